"""``POST /v1/quotes/batch``: many articles in one request, one answer per article, in order.

The ``client`` fixture holds every response to the contract and checks the offsets of every
record of every article answered (tests/helpers.py); the tests below check them again where
they compare with the one-article route.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from helpers import FailsOn, assert_offsets, assert_problem, assert_references, client_with, without_timing
from service import create_app

SEEDS = sorted((Path(__file__).resolve().parent.parent / "seeds" / "articles").glob("*.txt"))
ARTICLE = "“We are ready,” an Elysee official said."
BATCH = "/v1/quotes/batch"


def post_batch(client, articles):
    return client.post(BATCH, json={"articles": articles})


def test_a_batch_answers_each_article_as_the_single_route_does(client):
    articles = [{"id": path.stem, "text": path.read_text(encoding="utf-8")} for path in SEEDS]
    response = post_batch(client, articles)
    assert response.status_code == 200
    body = response.get_json()
    assert body["meta"]["articles"] == len(articles) and body["meta"]["errors"] == 0
    assert [result["id"] for result in body["results"]] == [article["id"] for article in articles]
    for article, result in zip(articles, body["results"], strict=True):
        assert_offsets(article["text"], result)
        assert_references(result)
        assert result["quotes"], f"no quote found in {article['id']}"
        single = client.post("/v1/quotes", json=article).get_json()
        assert without_timing(result) == without_timing(single)


def test_the_answers_keep_the_order_of_the_articles(client):
    names = ["Adams", "Baker", "Clark", "Davis", "Evans", "Frank", "Green"]
    articles = [{"id": f"a{i}", "text": f"“Point {i} stands,” said Minister {name}."} for i, name in enumerate(names)]
    articles.insert(3, {"text": "No quotes in this one."})
    body = post_batch(client, articles).get_json()
    assert [result["id"] for result in body["results"]] == [article.get("id") for article in articles]
    for article, result in zip(articles, body["results"], strict=True):
        assert_offsets(article["text"], result)
        if "Minister" in article["text"]:
            (quote,) = result["quotes"]
            assert quote["text"] == article["text"][1:article["text"].index("”")]
            assert quote["speaker"]["name"].endswith(names[int(article["id"][1:])])
        else:
            assert result["quotes"] == []


BAD_ARTICLES = [
    ({"id": "no-text"}, "no-text", "text"),
    ({"id": "number", "text": 12}, "number", "text"),
    ({"id": "blank", "text": "  \n "}, "blank", "text"),
    ({"id": "extra", "text": ARTICLE, "source": "wire"}, "extra", "source"),
    ({"id": 7, "text": ARTICLE}, None, "id"),
    (["not", "an", "object"], None, "_schema"),
    ("a string", None, "_schema"),
    (None, None, "_schema"),
]


@pytest.mark.parametrize(("bad", "echoed_id", "field"), BAD_ARTICLES)
def test_a_bad_article_gets_an_error_in_its_place_and_the_others_are_answered(client, bad, echoed_id, field):
    articles = [{"id": "before", "text": ARTICLE}, bad, {"id": "after", "text": ARTICLE}]
    response = post_batch(client, articles)
    assert response.status_code == 200
    body = response.get_json()
    before, error, after = body["results"]
    assert body["meta"] == {"articles": 3, "errors": 1, "elapsed_ms": body["meta"]["elapsed_ms"]}
    for article, result in ((articles[0], before), (articles[2], after)):
        assert result["id"] == article["id"]
        assert_offsets(article["text"], result)
        assert len(result["quotes"]) == 1
    assert error["id"] == echoed_id
    problem = error["error"]
    assert problem["status"] == 422 and problem["type"] == "about:blank" and problem["title"]
    named = f"Article 2 of the batch (id {echoed_id!r})" if echoed_id else "Article 2 of the batch"
    assert problem["detail"].startswith(f"{named} is invalid.")
    assert field in problem["errors"]


def test_an_article_over_the_character_limit_gets_413_in_its_place(app, engine):
    client = client_with(app, engine, max_chars=100)
    long_text = ARTICLE + " It went on." * 10
    body = post_batch(client, [{"id": "long", "text": long_text}, {"id": "short", "text": ARTICLE}]).get_json()
    long, short = body["results"]
    assert long["id"] == "long" and long["error"]["status"] == 413
    assert "the limit is 100" in long["error"]["detail"]
    assert_offsets(ARTICLE, short)
    assert short["quotes"][0]["speaker"]["name"] == "Elysee official"


def test_an_article_the_engine_fails_on_gets_500_in_its_place(app, engine, caplog):
    failing = create_app({"TESTING": True, "ENGINE": FailsOn(engine, "BOOM")})
    failing.test_client_class = app.test_client_class
    articles = [{"id": "1", "text": ARTICLE}, {"id": "2", "text": "BOOM, secret embargoed copy"},
                {"id": "3", "text": ARTICLE}]
    body = post_batch(failing.test_client(), articles).get_json()
    first, failed, third = body["results"]
    assert failed["id"] == "2" and failed["error"]["status"] == 500
    assert "Traceback" not in failed["error"]["detail"] and "broke" not in failed["error"]["detail"]
    assert body["meta"]["errors"] == 1
    assert_offsets(ARTICLE, first)
    assert_offsets(ARTICLE, third)
    assert "RuntimeError" in caplog.text and "embargoed" not in caplog.text


# --- limits ------------------------------------------------------------------------------------

def test_more_articles_than_the_limit_is_413(app, engine):
    client = client_with(app, engine, max_batch=3)
    assert client.get("/v1/info").get_json()["limits"]["max_batch"] == 3
    articles = [{"id": str(i), "text": ARTICLE} for i in range(4)]
    assert post_batch(client, articles[:3]).status_code == 200
    problem = assert_problem(post_batch(client, articles), 413)
    assert problem["detail"] == "The batch has 4 articles; the limit is 3."


def test_the_batch_has_a_body_limit_of_its_own(app, engine):
    client = client_with(app, engine, max_body_bytes=200, max_batch_body_bytes=400)
    assert client.get("/v1/info").get_json()["limits"]["max_batch_body_bytes"] == 400
    articles = [{"id": str(i), "text": ARTICLE} for i in range(3)]
    body = json.dumps({"articles": articles}).encode()
    assert 200 < len(body) <= 400
    response = client.post(BATCH, data=body, content_type="application/json")
    assert response.status_code == 200
    assert [result["id"] for result in response.get_json()["results"]] == ["0", "1", "2"]
    padded = body[:-1] + b" " * (401 - len(body)) + b"}"
    problem = assert_problem(client.post(BATCH, data=padded, content_type="application/json"), 413)
    assert problem["detail"] == "The request body is larger than the limit of 400 bytes."
    # The one-article route keeps its own, smaller limit.
    problem = assert_problem(client.post("/v1/quotes", data=body, content_type="application/json"), 413)
    assert problem["detail"] == "The request body is larger than the limit of 200 bytes."


# --- wrong shapes ------------------------------------------------------------------------------

@pytest.mark.parametrize(("payload", "field"), [
    ({}, "articles"),
    ({"articles": []}, "articles"),
    ({"articles": {"id": "1", "text": ARTICLE}}, "articles"),
    ({"articles": "text"}, "articles"),
    ({"articles": [{"text": ARTICLE}], "extra": 1}, "extra"),
    ([{"text": ARTICLE}], "_schema"),
    ({"text": ARTICLE}, "text"),
])
def test_a_batch_of_the_wrong_shape_is_422(client, payload, field):
    problem = assert_problem(client.post(BATCH, json=payload), 422)
    assert field in problem["errors"]


def test_a_batch_that_is_not_json_is_400(client):
    problem = assert_problem(client.post(BATCH, data=b'{"articles": [', content_type="application/json"), 400)
    assert "not valid JSON" in problem["detail"]


@pytest.mark.parametrize("content_type", ["text/plain; charset=utf-8", "application/x-www-form-urlencoded", None])
def test_a_batch_must_be_json(client, content_type):
    headers = {"Content-Type": content_type} if content_type else {}
    problem = assert_problem(client.post(BATCH, data=ARTICLE.encode(), headers=headers), 415)
    assert "application/json" in problem["detail"]


def test_get_on_the_batch_route_is_405(client):
    assert_problem(client.get(BATCH), 405)
