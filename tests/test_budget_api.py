"""Every request ends within its budget: over the cost limits 413 at once, past the deadline 503
with Retry-After, both as problem+json, on any route that uses the engine."""
from __future__ import annotations

from helpers import assert_problem
from service import create_app
from service.settings import Settings

ARTICLE = "“We are ready,” an Elysee official said on Monday."


def client_of(app, engine, **settings):
    built = create_app({"TESTING": True, "ENGINE": engine, "SETTINGS": Settings(**settings)})
    built.test_client_class = app.test_client_class
    return built.test_client()


def batch(*texts):
    return {"articles": [{"id": f"a{number}", "text": text} for number, text in enumerate(texts)]}


def test_a_passed_deadline_is_503_problem_json_with_retry_after(app, engine):
    client = client_of(app, engine, deadline=0)
    for response in (client.post("/v1/quotes", json={"text": ARTICLE}),
                     client.post("/v1/quotes/batch", json=batch(ARTICLE, ARTICLE))):
        problem = assert_problem(response, 503)
        assert response.headers["Retry-After"] == "5"
        assert "time budget of 0 s" in problem["detail"]
        assert "Elysee" not in response.get_data(as_text=True)


def test_the_deadline_is_logged_without_the_text(app, engine, caplog):
    client_of(app, engine, deadline=0).post("/v1/quotes", json={"text": ARTICLE})
    assert "deadline" in caplog.text and "Elysee" not in caplog.text


def test_more_tokens_than_the_limit_is_413_before_any_work(app, engine):
    client = client_of(app, engine, max_tokens=13)
    assert client.post("/v1/quotes", json={"text": ARTICLE}).status_code == 200  # 13 tokens
    problem = assert_problem(client.post("/v1/quotes", json={"text": ARTICLE + " Yes."}), 413)
    assert problem["detail"].startswith("The request holds about 15 tokens")
    assert "the limit is 13" in problem["detail"]


def test_a_batch_is_held_to_the_limits_as_a_whole(app, engine):
    client = client_of(app, engine, max_tokens=20)
    assert_problem(client.post("/v1/quotes/batch", json=batch(ARTICLE, ARTICLE)), 413)


def test_more_quotation_marks_than_the_limit_is_413(app, engine):
    client = client_of(app, engine, max_quote_marks=4)
    text = "“Yes,” he said. “No,” she said."
    assert client.post("/v1/quotes", json={"text": text}).status_code == 200
    problem = assert_problem(client.post("/v1/quotes", json={"text": text + " “Maybe.”"}), 413)
    assert "6 quotation marks; the limit is 4" in problem["detail"]


def test_info_reports_the_budget(client):
    limits = client.get("/v1/info").get_json()["limits"]
    assert (limits["max_tokens"], limits["max_quote_marks"], limits["deadline_seconds"]) == (60_000, 4_000, 30)
