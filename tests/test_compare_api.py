"""``POST /v1/compare``: versions of one story in, each quote of the reference with its counterparts out.

The ``client`` fixture holds every response to the contract and checks each answer's offsets and that
the alignments name every quote once (tests/helpers.py, ``assert_comparison``).
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from helpers import assert_problem, client_with, without_timing

SEEDS = Path(__file__).resolve().parent.parent / "seeds" / "articles"
AFP, REWRITE = "001_81a850ca81dad687", "000_efcebe05e6753dc0"
COMPARE = "/v1/compare"
WIRE = "“We now have enough contributions to be able to say so,” an Elysee official said."
REWORDED = "“We now have sufficient contributions to be able to say so,” an Elysee official said."


def seed_article(name: str) -> dict:
    return {"id": name, "text": (SEEDS / f"{name}.txt").read_text(encoding="utf-8")}


def post_compare(client, articles, **members):
    return client.post(COMPARE, json={"articles": articles, **members})


def statuses(body: dict) -> dict[str, list[tuple]]:
    """Reference quote text -> (article, status, speakers_agree) of each counterpart."""
    texts = {(answer["id"], quote["id"]): quote["text"] for answer in body["articles"] for quote in answer["quotes"]}
    return {texts[body["reference"], alignment["quote"]["id"]]:
            [(c["article"], c["status"], c["speakers_agree"]) for c in alignment["counterparts"]]
            for alignment in body["alignments"]}


def test_the_seed_rewrite_against_the_afp_report(client):
    response = post_compare(client, [seed_article(AFP), seed_article(REWRITE)])
    assert response.status_code == 200
    body = response.get_json()
    assert body["reference"] == AFP and body["unmatched"] == []
    found = statuses(body)
    assert found["We are ready,"] == [(REWRITE, "verbatim", True)]
    reworded = [text for text, [(_, status, _agree)] in found.items() if status == "reworded"]
    assert sorted(text[:20] for text in reworded) == ["We now have enough c", "agreed to continue c"]
    assert sum(status == "missing" for [(_, status, _agree)] in found.values()) == 4
    enough = next(alignment["counterparts"][0] for alignment in body["alignments"]
                  if found_text(body, alignment).startswith("We now have"))
    assert {"op": "replace", "reference": "enough", "other": "sufficient"} in enough["diff"]


def found_text(body: dict, alignment: dict) -> str:
    answer = next(answer for answer in body["articles"] if answer["id"] == alignment["quote"]["article"])
    return next(quote["text"] for quote in answer["quotes"] if quote["id"] == alignment["quote"]["id"])


def test_the_reference_can_be_any_article_and_the_others_keep_their_order(client):
    articles = [{"id": "wire", "text": WIRE}, {"id": "rewrite", "text": REWORDED}, {"id": "plain", "text": "No."}]
    body = post_compare(client, articles, reference="rewrite").get_json()
    assert body["reference"] == "rewrite"
    assert [answer["id"] for answer in body["articles"]] == ["wire", "rewrite", "plain"]
    (alignment,) = body["alignments"]
    assert [(c["article"], c["status"]) for c in alignment["counterparts"]] == [("wire", "reworded"),
                                                                               ("plain", "missing")]


def test_each_article_is_answered_as_the_single_route_answers_it(client):
    body = post_compare(client, [{"id": "wire", "text": WIRE}, {"id": "rewrite", "text": REWORDED}]).get_json()
    single = client.post("/v1/quotes", json={"id": "rewrite", "text": REWORDED}).get_json()
    assert without_timing(body["articles"][1]) == without_timing(single)


QUOTED = "“We will not send troops to Ukraine,” Trump said."
REPORTED = "Trump said he would not send troops to Ukraine."


def test_reported_speech_is_a_paraphrase_when_included(client):
    articles = [{"id": "quoted", "text": QUOTED}, {"id": "reported", "text": REPORTED}]
    body = post_compare(client, articles, include=["indirect"]).get_json()
    (reported,) = body["articles"][1]["quotes"]
    assert reported["type"] == "indirect"
    (alignment,) = body["alignments"]
    (counterpart,) = alignment["counterparts"]
    assert (counterpart["id"], counterpart["status"], counterpart["speakers_agree"]) == (
        reported["id"], "paraphrased", True)
    assert {"op": "replace", "reference": "We will", "other": "he would"} in counterpart["diff"]
    assert body["unmatched"] == []


def test_without_include_the_reported_version_has_no_counterpart(client):
    body = post_compare(client, [{"id": "quoted", "text": QUOTED}, {"id": "reported", "text": REPORTED}]).get_json()
    assert body["articles"][1]["quotes"] == []
    assert [c["status"] for c in body["alignments"][0]["counterparts"]] == ["missing"]


def test_include_in_the_query_string(client):
    response = client.post(f"{COMPARE}?include=indirect",
                           json={"articles": [{"id": "quoted", "text": QUOTED}, {"id": "reported", "text": REPORTED}]})
    assert [c["status"] for c in response.get_json()["alignments"][0]["counterparts"]] == ["paraphrased"]


def test_the_reference_reported_speech_is_not_aligned(client):
    articles = [{"id": "reported", "text": REPORTED}, {"id": "quoted", "text": QUOTED}]
    body = post_compare(client, articles, include=["indirect"]).get_json()
    assert [quote["type"] for quote in body["articles"][0]["quotes"]] == ["indirect"]
    assert body["alignments"] == []
    assert body["unmatched"] == [{"article": "quoted", "id": "q0"}]


def test_include_is_for_the_whole_comparison_not_one_article(client):
    articles = [{"id": "quoted", "text": QUOTED, "include": ["indirect"]}, {"id": "reported", "text": REPORTED}]
    problem = assert_problem(post_compare(client, articles), 422)
    assert "include" in problem["detail"]


def test_only_the_quotes_answered_are_compared(app, engine):
    client = client_with(app, engine, max_quotes=1)
    two = WIRE + "\n\n“We will not wait,” Macron said."
    body = post_compare(client, [{"id": "wire", "text": two}, {"id": "rewrite", "text": two}]).get_json()
    assert body["articles"][0]["meta"]["quotes_omitted"] == 1
    assert [alignment["quote"]["id"] for alignment in body["alignments"]] == ["q0"]
    assert body["unmatched"] == []


# --- limits and errors -------------------------------------------------------------------------

@pytest.mark.parametrize(("limits", "texts", "detail"), [
    ({"max_compare": 3}, [WIRE] * 4, "The comparison has 4 articles; the limit is 3."),
    ({"max_chars": 100}, [WIRE, WIRE, WIRE * 2], "Article 2: The text has 162 characters; the limit is 100."),
])
def test_over_the_limits_is_413(app, engine, limits, texts, detail):
    client = client_with(app, engine, **limits)
    articles = [{"id": str(number), "text": text} for number, text in enumerate(texts)]
    assert post_compare(client, articles[:2]).status_code == 200
    assert assert_problem(post_compare(client, articles), 413)["detail"] == detail


def test_info_reports_the_limit(app, engine):
    client = client_with(app, engine, max_compare=3)
    assert client.get("/v1/info").get_json()["limits"]["max_compare"] == 3


def test_the_body_limit_is_the_batch_one(app, engine):
    client = client_with(app, engine, max_body_bytes=200, max_batch_body_bytes=400)
    body = json.dumps({"articles": [{"id": "a", "text": WIRE}, {"id": "b", "text": REWORDED}]}).encode()
    assert 200 < len(body) <= 400
    assert client.post(COMPARE, data=body, content_type="application/json").status_code == 200
    padded = body[:-1] + b" " * (401 - len(body)) + b"}"
    problem = assert_problem(client.post(COMPARE, data=padded, content_type="application/json"), 413)
    assert problem["detail"] == "The request body is larger than the limit of 400 bytes."


@pytest.mark.parametrize(("payload", "field"), [
    ({}, "articles"),
    ({"articles": [{"id": "a", "text": WIRE}]}, "articles"),
    ({"articles": [{"id": "a", "text": WIRE}, {"id": "a", "text": REWORDED}]}, "articles"),
    ({"articles": [{"text": WIRE}, {"id": "b", "text": REWORDED}]}, "articles"),
    ({"articles": [{"id": "", "text": WIRE}, {"id": "b", "text": REWORDED}]}, "articles"),
    ({"articles": [{"id": "a", "text": "  "}, {"id": "b", "text": REWORDED}]}, "articles"),
    ({"articles": [{"id": "a", "text": WIRE}, {"id": "b", "text": REWORDED}], "reference": "c"}, "reference"),
    ({"articles": [{"id": "a", "text": WIRE}, {"id": "b", "text": REWORDED}], "extra": 1}, "extra"),
    ({"articles": [{"id": "a", "text": WIRE}, "b"]}, "articles"),
    ([{"id": "a", "text": WIRE}], "_schema"),
])
def test_a_comparison_of_the_wrong_shape_is_422(client, payload, field):
    problem = assert_problem(client.post(COMPARE, json=payload), 422)
    assert field in problem["errors"]
    assert "Elysee" not in problem["detail"]


@pytest.mark.parametrize("content_type", ["text/plain; charset=utf-8", None])
def test_a_comparison_must_be_json(client, content_type):
    headers = {"Content-Type": content_type} if content_type else {}
    assert_problem(client.post(COMPARE, data=WIRE.encode(), headers=headers), 415)


def test_a_comparison_that_is_not_json_is_400(client):
    assert_problem(client.post(COMPARE, data=b'{"articles": [', content_type="application/json"), 400)


def test_get_on_the_compare_route_is_405(client):
    assert_problem(client.get(COMPARE), 405)
