"""``POST /v1/quotes``: one article in, its quotes and speakers out. ``POST /v1/quotes/batch``: many.
``POST /v1/compare``: versions of one story, and what became of each quote of one in the others."""
from __future__ import annotations

import json
import time
from typing import Any

from flask import Blueprint, jsonify, request
from marshmallow import ValidationError
from werkzeug.exceptions import BadRequest, RequestEntityTooLarge, UnsupportedMediaType

from .. import intake
from ..contract.schemas import (
    BatchRequestSchema,
    BatchResponseSchema,
    CompareRequestSchema,
    IncludeQuerySchema,
    dump_comparison,
    dump_response,
)
from ..engine.article import Article
from ..engine.compare import compare
from ..responses import answer_bodies, error_body
from . import ready_engine, service_state
from .errors import body_limit, body_too_large
from .tracing import note_text_length

bp = Blueprint("quotes", __name__, url_prefix="/v1")

ACCEPTED = "send application/json, text/plain or text/html; charset=utf-8"

_batch_schema = BatchRequestSchema()
_batch_response_schema = BatchResponseSchema()
_compare_schema = CompareRequestSchema()
_include_schema = IncludeQuerySchema()

BATCH_ACCEPTED = "send application/json"


@bp.post("/quotes")
def extract_quotes():
    engine = ready_engine()
    settings = service_state().settings
    article = intake.load(_request_payload(), settings.max_chars).including(_query_include())
    note_text_length(len(article))
    result = engine.extract(article)
    return jsonify(dump_response(result, article.id, max_quotes=settings.max_quotes))


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
    entries, include = batch["articles"], [*_query_include(), *batch["include"]]
    if len(entries) > settings.max_batch:
        raise RequestEntityTooLarge(f"The batch has {len(entries)} articles; the limit is {settings.max_batch}.")
    results: list[dict | None] = [None] * len(entries)
    articles: list[tuple[int, Article]] = []  # (place in results, article)
    for number, entry in enumerate(entries):
        try:
            articles.append((number, intake.load(entry, settings.max_chars, _batch_entry(number, entry))
                             .including(include)))
        except intake.Refused as refused:
            results[number] = error_body(intake.id_of(entry), refused.problem)
    note_text_length(sum(len(article) for _number, article in articles))
    bodies = answer_bodies(engine, [article for _number, article in articles], settings.max_quotes)
    for (number, _article), body in zip(articles, bodies, strict=True):
        results[number] = body
    errors = sum(1 for entry in results if "error" in entry)
    elapsed = round((time.perf_counter() - started) * 1000, 3)
    return jsonify(_batch_response_schema.dump({
        "results": results, "meta": {"articles": len(results), "errors": errors, "elapsed_ms": elapsed}}))


def _batch_entry(number: int, entry: Any) -> str:
    """How a problem names an article of a batch: its place (counted from 1) and its id when it has one."""
    article_id = intake.id_of(entry)
    return f"Article {number + 1} of the batch" + (f" (id {article_id[:100]!r})" if article_id else "")


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
    if len(loaded["articles"]) > settings.max_compare:
        raise RequestEntityTooLarge(f"The comparison has {len(loaded['articles'])} articles; the limit is "
                                    f"{settings.max_compare}.")
    include = [*_query_include(), *loaded["include"]]
    articles = [intake.article_of({**entry, "include": include}) for entry in loaded["articles"]]
    for number, article in enumerate(articles):
        intake.check_length(article, settings.max_chars, f"Article {number}")
    note_text_length(sum(len(article) for article in articles))
    results = engine.extract_many(articles)
    versions = list(zip([article.id for article in articles], results, strict=True))
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
