"""Articles given as HTML, as a newsroom CMS stores them: the same quotes, speakers and cues as the
plain article, and every record placed in the HTML as sent."""
from __future__ import annotations

import re

import pytest

from helpers import ROOT, as_cms_would_store, assert_html_offsets, assert_references, check, cms_html, digest, records
from service.contract.schemas import dump_response
from service.engine.article import Article

SEEDS = sorted((ROOT / "seeds" / "articles").glob("*.txt"))


@pytest.mark.parametrize("path", SEEDS, ids=lambda path: path.stem)
def test_a_seed_article_stored_as_html_gives_what_the_plain_article_gives(engine, path):
    text = path.read_text(encoding="utf-8")
    plain = dump_response(engine.extract(text))
    source = as_cms_would_store(text, plain)
    assert "&ldquo;" in source and "&#8217;" in source and "<em>" in source and "<a href" in source
    result = engine.extract(Article(source, is_html=True))
    check(result.text, result)
    body = dump_response(result)
    paragraphs = (re.sub("[ \t\f\r]+", " ", line).strip(" ") for line in text.split("\n"))
    assert body["text"] == "\n\n".join(paragraph for paragraph in paragraphs if paragraph)
    assert_html_offsets(source, body)
    assert_references(body)
    assert digest(body) == digest(plain)
    assert all("html_start" in quote and "html_end" in quote for quote in body["quotes"])


def test_the_embedded_post_and_the_caption_are_not_quoted(engine):
    source = cms_html("“We are ready,” an Elysee official said.", [], [])
    body = dump_response(engine.extract(Article(source, is_html=True)))
    assert [quote["text"] for quote in body["quotes"]] == ["We are ready,"]
    assert "Jane Roe" not in body["text"] and "Huge day" not in body["text"]


def test_extract_many_answers_html_and_text_in_order(engine):
    source = '<p class="lead">&ldquo;We are ready,&rdquo; <a href="/m">Emmanuel Macron</a> said.</p>'
    text = "“No,” she said."
    results = list(engine.extract_many([Article(source, is_html=True), text, Article(source, is_html=True)]))
    assert [result.text for result in results] == ["“We are ready,” Emmanuel Macron said.", None,
                                                   "“We are ready,” Emmanuel Macron said."]
    for result in (results[0], results[2]):
        body = dump_response(result)
        assert_html_offsets(source, body)
        assert body == {**dump_response(engine.extract(Article(source, is_html=True))), "meta": body["meta"]}
    assert "text" not in dump_response(results[1])
    assert "html_start" not in dump_response(results[1])["quotes"][0]


@pytest.mark.parametrize("source", [
    "<p>unclosed <b>“We are ready,” <i>an official said",
    "a < b “and c<d,” he said &amp; &bogus; &#;",
    "<div><figure>“Caption,” he said</div>“After,” she said.",
    "<p title='never closed>“Quoted,” he said",
    "<!-- “hidden,” he said",
    "<script>“x”",
    "",
])
def test_malformed_html_is_answered(engine, source):
    result = engine.extract(Article(source, is_html=True))
    check(result.text, result)
    assert_html_offsets(source, dump_response(result))


# --- markup in a plain-text article -------------------------------------------------------------

MARKUP_OR_MARKS = re.compile(r"[<>\"“”„«»]")


def assert_no_markup_in_speakers(body: dict) -> None:
    for where, span in records(body):
        if "mention" in where:
            assert not MARKUP_OR_MARKS.search(span["text"]), f"{where}: {span['text']!r}"
    for speaker in body["speakers"]:
        assert not MARKUP_OR_MARKS.search(speaker["name"]), f"speaker {speaker['id']}: {speaker['name']!r}"


@pytest.mark.parametrize("path", SEEDS, ids=lambda path: path.stem)
def test_a_seed_article_pasted_with_its_tags_as_plain_text(engine, path):
    text = path.read_text(encoding="utf-8")
    plain = dump_response(engine.extract(text))
    pasted = as_cms_would_store(text, plain).replace("&ldquo;", "“").replace("&rdquo;", "”").replace("&#8217;", "’")
    body = dump_response(check(pasted, engine.extract(pasted)))
    assert_no_markup_in_speakers(body)
    assert len(body["speakers"]) >= len(plain["speakers"]) - 1


@pytest.mark.parametrize(("text", "speaker", "mention"), [
    ('<p class="story-body-text" data-para-word-count="42">“We are ready,” an Elysee official said.</p>',
     "Elysee official", "an Elysee official"),
    ('<p class="story-body-text" data-para-word-count="42">President Emmanuel Macron met Ukrainian officials '
     'on Tuesday in Paris. <a href="/people/macron">Mr Macron</a> told reporters: “France will not wait.”</p>',
     "Emmanuel Macron", "Mr Macron"),
    ('“We are ready,” said <a href="/x" title="Jean “JJ” Barrot">Emmanuel Macron</a>, “to act.”',
     "Emmanuel Macron", "Emmanuel Macron"),
    ("<p>“We told them “no” three times,” the mayor said.</p>", "mayor", "the mayor"),
])
def test_markup_in_a_plain_text_article_is_not_a_speaker(engine, text, speaker, mention):
    body = dump_response(check(text, engine.extract(text)))
    assert_no_markup_in_speakers(body)
    first = body["quotes"][0]
    assert (first["speaker"]["name"], first["speaker"]["mention"]["text"]) == (speaker, mention)


def test_an_inner_quote_typed_with_the_outer_marks_is_the_mayors(engine):
    text = "“We told them “no” three times,” the mayor said."
    [quote] = dump_response(check(text, engine.extract(text)))["quotes"]
    assert quote["text"] == "We told them “no” three times,"
    assert (quote["speaker"]["mention"]["text"], quote["cue"]["text"]) == ("the mayor", "said")
