"""``POST /v1/quotes``: one article in, its quotes and speakers out."""
from __future__ import annotations

import json
from typing import Any

from flask import Blueprint, jsonify, request
from werkzeug.exceptions import BadRequest, RequestEntityTooLarge, UnsupportedMediaType

from ..schemas import QuoteRequestSchema, dump_response
from . import ready_engine, service_state
from .errors import body_too_large
from .tracing import note_text_length

bp = Blueprint("quotes", __name__, url_prefix="/v1")

ACCEPTED = "send application/json or text/plain; charset=utf-8"

_request_schema = QuoteRequestSchema()


@bp.post("/quotes")
def extract_quotes():
    engine = ready_engine()
    quote_request = _request_schema.load(_request_payload())
    text = quote_request["text"]
    note_text_length(len(text))
    settings = service_state().settings
    if len(text) > settings.max_chars:
        raise RequestEntityTooLarge(f"The text has {len(text)} characters; the limit is {settings.max_chars}.")
    result = engine.extract(text)
    return jsonify(dump_response(result, quote_request["id"], max_quotes=settings.max_quotes))


def _request_payload() -> Any:
    """The body as the request schema expects it: JSON as sent, or a plain-text article as ``text``."""
    if request.is_json:
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
    mimetype = request.mimetype
    if mimetype == "text/plain":
        _require_utf8_charset()
        # Kept as sent, byte order mark included, so offsets index the article the client holds.
        return {"text": _decode(_body(), "utf-8")}
    if not mimetype:
        raise UnsupportedMediaType(f"The request has no Content-Type; {ACCEPTED}.")
    raise UnsupportedMediaType(f"Content-Type {mimetype[:100]} is not supported; {ACCEPTED}.")


def _require_utf8_charset() -> None:
    charset = request.mimetype_params.get("charset", "utf-8").lower()
    if charset not in ("utf-8", "utf8"):
        raise UnsupportedMediaType(f"charset={charset[:40]} is not supported; {ACCEPTED}.")


def _body() -> bytes:
    body = request.get_data(cache=False)
    if len(body) > service_state().settings.max_body_bytes:
        raise RequestEntityTooLarge(body_too_large())
    return body


def _decode(body: bytes, encoding: str) -> str:
    try:
        return body.decode(encoding)
    except UnicodeDecodeError as error:
        raise BadRequest(f"The body is not valid UTF-8: byte {error.start} cannot be decoded.") from None
