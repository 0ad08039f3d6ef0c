"""``POST /v1/quotes``: one article in, its quotes and speakers out. ``POST /v1/quotes/batch``: many.
``POST /v1/compare``: versions of one story, and what became of each quote of one in the others."""
from __future__ import annotations

import json
import time
from typing import Any

from flask import Blueprint, jsonify, request
from marshmallow import ValidationError
from werkzeug.exceptions import BadRequest, RequestEntityTooLarge, UnsupportedMediaType

from ..contract.schemas import (BatchRequestSchema, BatchResponseSchema, CompareRequestSchema, IncludeQuerySchema,
                                QuoteRequestSchema, dump_comparison, dump_response, is_unicode)
from ..engine import bulk
from ..engine.compare import compare
from ..engine.text.html import HtmlSource
from . import ready_engine, service_state
from ..contract.problems import problem_body, too_long_detail, validation_problem
from .errors import body_limit, body_too_large
from .tracing import note_text_length

bp = Blueprint("quotes", __name__, url_prefix="/v1")

ACCEPTED = "send application/json, text/plain or text/html; charset=utf-8"

_request_schema = QuoteRequestSchema()
_batch_schema = BatchRequestSchema()
_batch_response_schema = BatchResponseSchema()
_compare_schema = CompareRequestSchema()
_include_schema = IncludeQuerySchema()

BATCH_ACCEPTED = "send application/json"


@bp.post("/quotes")
def extract_quotes():
    engine = ready_engine()
    quote_request = _request_schema.load(_request_payload())
    article = article_of(quote_request)
    note_text_length(len(article))
    settings = service_state().settings
    if len(article) > settings.max_chars:
        raise RequestEntityTooLarge(_too_long(article))
    result = bulk.extract_one(engine, article, {*_query_include(), *quote_request["include"]})
    return jsonify(dump_response(result, quote_request["id"], max_quotes=settings.max_quotes))


@bp.post("/quotes/batch")
def extract_batch():
    """Up to ``max_batch`` articles parsed together; an article that is not valid, or that the engine
    fails on, gets an error in its place and the others are answered."""
    engine = ready_engine()
    settings = service_state().settings
    request.max_content_length = settings.max_batch_body_bytes + 1  # one byte of slack, as in create_app
    started = time.perf_counter()
    if not request.is_json:
        raise _unsupported(BATCH_ACCEPTED)
    batch = _batch_schema.load(_json_payload())
    articles, include = batch["articles"], {*_query_include(), *batch["include"]}
    if len(articles) > settings.max_batch:
        raise RequestEntityTooLarge(f"The batch has {len(articles)} articles; the limit is {settings.max_batch}.")
    results: list[dict | None] = []
    # (place in results, article, id, include)
    to_extract: list[tuple[int, str | HtmlSource, str | None, set[str]]] = []
    for number, article in enumerate(articles):
        loaded, error = _load_article(number, article)
        results.append(error)
        if loaded is not None:
            to_extract.append((number, article_of(loaded), loaded["id"], include | set(loaded["include"])))
    note_text_length(sum(len(entry[1]) for entry in to_extract))
    extracted = bulk.extract_each_including(engine, [entry[1] for entry in to_extract],
                                            [entry[3] for entry in to_extract])
    for (number, _text, article_id, _include), result in zip(to_extract, extracted, strict=True):
        results[number] = (dump_response(result, article_id, max_quotes=settings.max_quotes) if result is not None
                           else {"id": article_id, "error": problem_body(500, bulk.FAILED_DETAIL)})
    errors = sum(1 for entry in results if "error" in entry)
    elapsed = round((time.perf_counter() - started) * 1000, 3)
    return jsonify(_batch_response_schema.dump({
        "results": results, "meta": {"articles": len(results), "errors": errors, "elapsed_ms": elapsed}}))


@bp.post("/compare")
def compare_versions():
    """Versions of one story: every quote of the reference with its counterpart in each other version."""
    engine = ready_engine()
    settings = service_state().settings
    request.max_content_length = settings.max_batch_body_bytes + 1  # as the batch route
    started = time.perf_counter()
    if not request.is_json:
        raise _unsupported(BATCH_ACCEPTED)
    loaded = _compare_schema.load(_json_payload())
    articles = loaded["articles"]
    if len(articles) > settings.max_compare:
        raise RequestEntityTooLarge(f"The comparison has {len(articles)} articles; the limit is "
                                    f"{settings.max_compare}.")
    sources = [article_of(article) for article in articles]
    for number, source in enumerate(sources):
        if len(source) > settings.max_chars:
            raise RequestEntityTooLarge(f"Article {number}: {_too_long(source)}")
    note_text_length(sum(len(source) for source in sources))
    results = engine.extract_many(sources, include={*_query_include(), *loaded["include"]})
    versions = list(zip([article["id"] for article in articles], results, strict=True))
    comparison = compare(versions, loaded["reference"], max_quotes=settings.max_quotes)
    elapsed = round((time.perf_counter() - started) * 1000, 3)
    return jsonify(dump_comparison(comparison, versions, elapsed, max_quotes=settings.max_quotes))
def _query_include() -> list[str]:
    """The ``include`` query parameter, repeated or comma-separated (422 for a kind not offered)."""
    values = [part.strip() for value in request.args.getlist("include") for part in value.split(",") if part.strip()]
    try:
        return _include_schema.load({"include": values})["include"] if values else []
    except ValidationError as error:
        error.what = "The query string"  # read by the error handler, for the problem's detail
        raise


def _load_article(number: int, article: Any) -> tuple[dict | None, dict | None]:
    """An article of a batch as the request schema loads it, or the error entry to answer in its place."""
    try:
        loaded = _request_schema.load(article)
    except ValidationError as error:
        article_id = article.get("id") if isinstance(article, dict) else None
        if not (isinstance(article_id, str) and is_unicode(article_id)):  # only an id a response can carry
            article_id = None
        return None, {"id": article_id, "error": validation_problem(error, f"Article {number} of the batch")}
    article = article_of(loaded)
    if len(article) > service_state().settings.max_chars:
        return None, {"id": loaded["id"], "error": problem_body(
            413, f"Article {number} of the batch: {_too_long(article)}")}
    return loaded, None


def article_of(loaded: dict) -> str | HtmlSource:
    """The article of a loaded request: its text, or its HTML to read the text from."""
    return HtmlSource(loaded["html"]) if "html" in loaded else loaded["text"]


def _too_long(article: str | HtmlSource) -> str:
    what = "HTML" if isinstance(article, HtmlSource) else "text"
    return too_long_detail(what, len(article), service_state().settings.max_chars)


def _request_payload() -> Any:
    """The body as the request schema expects it: JSON as sent, or a plain-text article as ``text``,
    or an HTML one as ``html``."""
    if request.is_json:
        return _json_payload()
    if request.mimetype in ("text/plain", "text/html"):
        _require_utf8_charset()
        # Kept as sent, byte order mark included, so offsets index the article the client holds.
        return {"html" if request.mimetype == "text/html" else "text": _decode(_body(), "utf-8")}
    raise _unsupported(ACCEPTED)


def _unsupported(accepted: str) -> UnsupportedMediaType:
    if not request.mimetype:
        return UnsupportedMediaType(f"The request has no Content-Type; {accepted}.")
    return UnsupportedMediaType(f"Content-Type {request.mimetype[:100]} is not supported; {accepted}.")


def _json_payload() -> Any:
    _require_utf8_charset()
    # RFC 8259 lets a parser ignore a byte order mark; the article is the decoded string.
    body = _decode(_body(), "utf-8-sig")
    try:
        return json.loads(body)
    except json.JSONDecodeError as error:
        raise BadRequest(f"The body is not valid JSON: {error.msg} "
                         f"(line {error.lineno}, column {error.colno}).") from None
    except RecursionError:
        raise BadRequest("The body is not valid JSON for this service: it nests arrays or objects "
                         "too deeply.") from None
    except ValueError:  # e.g. an integer of more digits than Python converts
        raise BadRequest("The body is not valid JSON for this service: a number in it is too "
                         "long.") from None


def _require_utf8_charset() -> None:
    charset = request.mimetype_params.get("charset", "utf-8").lower()
    if charset not in ("utf-8", "utf8"):
        raise UnsupportedMediaType(f"charset={charset[:40]} is not supported; {ACCEPTED}.")


def _body() -> bytes:
    body = request.get_data(cache=False)
    if len(body) > body_limit():
        raise RequestEntityTooLarge(body_too_large())
    return body


def _decode(body: bytes, encoding: str) -> str:
    try:
        return body.decode(encoding)
    except UnicodeDecodeError as error:
        raise BadRequest(f"The body is not valid UTF-8: byte {error.start} cannot be decoded.") from None
