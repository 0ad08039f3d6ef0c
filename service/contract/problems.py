"""The one shape of every error: RFC 9457 problem details (``application/problem+json``).

The HTTP API, the batch route, ``quotes extract --jsonl`` and the Spark job's error rows all build
their problems here, so a client reads one shape wherever an error reaches it.
"""
from __future__ import annotations

from http import HTTPStatus
from typing import Any

from marshmallow import ValidationError

from .schemas import ProblemSchema

PROBLEM_MEDIA_TYPE = "application/problem+json"

_problem_schema = ProblemSchema()


def problem_body(status: int, detail: str, **members: Any) -> dict:
    """A problem details object. ``members`` are extension members such as ``errors``."""
    return _problem_schema.dump({
        "type": "about:blank",
        "title": HTTPStatus(status).phrase,
        "status": status,
        "detail": detail,
        **members,
    })


def too_long_detail(what: str, length: int, limit: int) -> str:
    """What a 413 says of an article over the character limit, wherever it is refused."""
    return f"The {what} has {length} characters; the limit is {limit}."


def validation_problem(error: ValidationError, what: str = "The request body") -> dict:
    """The 422 problem body for a failed schema load: a one-line detail and the messages per field."""
    messages = _encodable(error.normalized_messages())
    summary = " ".join(f"{'body' if field == '_schema' else field}: {' '.join(map(str, texts))}"
                       for field, texts in _flatten(messages))
    return problem_body(422, f"{what} is invalid. {summary}", errors=messages)


def _encodable(value: Any) -> Any:
    """``value`` with unpaired surrogates (from JSON \\u escapes, e.g. in an unknown member's name)
    replaced, so that the response can be encoded."""
    if isinstance(value, str):
        return value.encode("utf-8", "replace").decode("utf-8")
    if isinstance(value, dict):
        return {_encodable(key): _encodable(inner) for key, inner in value.items()}
    if isinstance(value, list):
        return [_encodable(inner) for inner in value]
    return value


def _flatten(messages: dict, prefix: str = "") -> list[tuple[str, list]]:
    """``{"a": {"0": {"b": [...]}}}`` → ``[("a.0.b", [...])]``, for the one-line detail."""
    flat = []
    for key, value in messages.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.extend(_flatten(value, f"{name}."))
        else:
            flat.append((name, value if isinstance(value, list) else [value]))
    return flat
