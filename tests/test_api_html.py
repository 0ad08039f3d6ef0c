"""Articles sent to the API as HTML: ``text/html`` bodies, ``{"html": ...}`` in JSON and in batches.

The client checks every answer against openapi.yaml, and for HTML the offsets of every record in the
``text`` answered and in the HTML sent (helpers.ContractClient, helpers.assert_html_offsets).
"""
from __future__ import annotations

import json
import re

import pytest

from helpers import ROOT, app_with, as_cms_would_store, assert_html_offsets, assert_problem, cms_html, digest
from service.settings import Settings

HTML = ('<p class="story-body-text" data-para-word-count="8">&ldquo;We are <em>ready</em>,&rdquo; '
        '<a href="/people/elysee">an Elysee official</a> said.</p>')
TEXT = "“We are ready,” an Elysee official said."
TEXT_HTML = "text/html; charset=utf-8"
SEEDS = sorted((ROOT / "seeds" / "articles").glob("*.txt"))


def post_html(client, source: str, content_type: str = TEXT_HTML):
    return client.post("/v1/quotes", data=source.encode("utf-8"), headers={"Content-Type": content_type})


def test_html_as_a_body_or_in_json_gives_the_text_and_its_places_in_the_html(client):
    as_body = post_html(client, HTML).get_json()
    as_json = client.post("/v1/quotes", json={"html": HTML, "id": "a1"}).get_json()
    assert as_json["id"] == "a1" and as_body["id"] is None
    assert as_body["text"] == as_json["text"] == TEXT
    assert as_body["quotes"] == as_json["quotes"]
    quote = as_body["quotes"][0]
    assert (quote["text"], quote["speaker"]["name"], quote["cue"]["text"]) == (
        "We are ready,", "Elysee official", "said")
    assert HTML[quote["html_start"]:quote["html_end"]] == "We are <em>ready</em>,"
    mention = quote["speaker"]["mention"]
    assert HTML[mention["html_start"]:mention["html_end"]] == "an Elysee official"
    assert as_body["meta"]["characters"] == len(TEXT)
    plain = client.post("/v1/quotes", json={"text": TEXT}).get_json()
    assert without_html_offsets(as_body["quotes"]) == plain["quotes"]
    assert without_html_offsets(as_body["speakers"]) == plain["speakers"]


def without_html_offsets(value):
    if isinstance(value, dict):
        return {key: without_html_offsets(inner) for key, inner in value.items() if not key.startswith("html_")}
    if isinstance(value, list):
        return [without_html_offsets(inner) for inner in value]
    return value


@pytest.mark.parametrize("path", SEEDS, ids=lambda path: path.stem)
def test_a_seed_article_as_a_cms_stores_it(client, path):
    text = path.read_text(encoding="utf-8")
    plain = client.post("/v1/quotes", json={"text": text}).get_json()
    source = as_cms_would_store(text, plain)
    answer = post_html(client, source).get_json()
    assert digest(answer) == digest(plain)
    assert_html_offsets(source, answer)


@pytest.mark.parametrize("source", [
    "<p>unclosed <b>“We are ready,” <i>an official said",
    "<<<>>> “a < b,” he said <",
    "<div title=\"never closed “We are ready,” he said",
    "<!-- never closed “hidden,” he said",
    "<![CDATA[ “x,” he said ]]> <? pi “y” ?> <!DOCTYPE “z”>",
    "&#x110000; &#0; &#xD800; &ldquo;Bad refs,&rdquo; &bogus; he said &",
    "<script>“Only a script,” it said</script>",
    "</p></div></html>",
    "\x00<p>\x00“NUL,”\x00 he said</p>",
])
def test_malformed_html_is_answered_never_a_500(client, source):
    response = post_html(client, source)
    assert response.status_code == 200, response.get_data(as_text=True)
    assert_html_offsets(source, response.get_json())


def test_html_over_the_character_limit_is_413(app, engine):
    client = app_with(app, engine, Settings(max_chars=100)).test_client()
    problem = assert_problem(post_html(client, "<p>" + "word " * 30 + "</p>"), 413)
    assert "The HTML has 157 characters; the limit is 100." in problem["detail"]


@pytest.mark.parametrize(("body", "words"), [(b"", "The HTML is empty"), (b" \n\t ", "The HTML is empty")])
def test_empty_html_is_422(client, body, words):
    problem = assert_problem(client.post("/v1/quotes", data=body, headers={"Content-Type": TEXT_HTML}), 422)
    assert words in problem["errors"]["html"][0]


def test_html_in_another_charset_is_415(client):
    assert_problem(post_html(client, HTML, "text/html; charset=latin-1"), 415)


def test_a_batch_mixes_text_and_html_articles(client):
    source = cms_html(TEXT, [], [])
    articles = [{"id": "h", "html": source}, {"id": "t", "text": TEXT}, {"id": "both", "text": TEXT, "html": HTML},
                {"id": "e", "html": "  "}]
    results = client.post("/v1/quotes/batch", json={"articles": articles}).get_json()["results"]
    assert [result["id"] for result in results] == ["h", "t", "both", "e"]
    assert results[0]["text"] == TEXT and "text" not in results[1]
    assert digest(results[0]) == digest(results[1])
    assert_html_offsets(source, results[0])
    assert results[2]["error"]["status"] == 422 and results[3]["error"]["status"] == 422


def test_compare_takes_versions_as_html_or_text(client):
    afp = (ROOT / "seeds" / "articles" / "001_81a850ca81dad687.txt").read_text(encoding="utf-8")
    plain = client.post("/v1/quotes", json={"text": afp}).get_json()
    source = as_cms_would_store(afp, plain)
    articles = [{"id": "text", "text": afp}, {"id": "cms", "html": source}]
    response = client.post("/v1/compare", json={"articles": articles})
    assert response.status_code == 200, response.get_data(as_text=True)
    body = response.get_json()
    assert body["unmatched"] == []
    assert {counterpart["status"] for alignment in body["alignments"] for counterpart in alignment["counterparts"]} \
        == {"verbatim"}
    assert_html_offsets(source, body["articles"][1])


def test_the_readme_html_example_is_what_the_service_answers(client):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    source = re.search(r"--data-binary \\\n  '(.*?)'\n```", readme, re.S).group(1)
    shown = re.search(r"<!-- html-example-response:[^>]*-->\n```json\n(.*?)\n```", readme, re.S).group(1)
    shown = json.loads(shown.replace("[...]", "null").replace("{...}", "null"))
    answer = post_html(client, source).get_json()
    assert answer["text"] == shown["text"]
    assert answer["quotes"] == shown["quotes"]
    quote = answer["quotes"][0]
    assert source[quote["html_start"]:quote["html_end"]] == "We are <em>ready</em>,"
