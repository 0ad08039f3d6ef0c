"""The one way in: an article as the API, ``quotes extract`` (a file or a JSON line) and the Spark job
receive it, checked once and made the engine's ``Article``.

``load`` checks an article's data against the API's request schema (unknown members refused, text or
HTML, ``id``, ``include``) and its length against ``QUOTES_MAX_CHARS``; ``admit`` holds the articles
of one request together to the tokens and quotation marks the engine parses within its time budget
(an HTML article costs what its text does: its HTML is read once, here, and the engine reuses it).
An article refused is a ``Refused`` that carries its problem+json body, the same on every path.
"""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from marshmallow import ValidationError

from .contract.problems import problem_body, too_long_detail, validation_problem
from .contract.schemas import QuoteRequestSchema, is_unicode
from .engine.article import Article
from .engine.cost import Cost, check_limits
from .settings import Settings

_request_schema = None  # built on first use, then reused


class Refused(Exception):
    """An article the service does not take; ``problem`` is the problem+json body that says why."""

    def __init__(self, problem: dict) -> None:
        super().__init__(problem["detail"])
        self.problem = problem

    @property
    def status(self) -> int:
        return self.problem["status"]


def _schema() -> QuoteRequestSchema:
    global _request_schema
    if _request_schema is None:
        _request_schema = QuoteRequestSchema()
    return _request_schema


def article_of(loaded: dict) -> Article:
    """The ``Article`` of data the request schema has loaded."""
    html = "html" in loaded
    return Article(loaded["html"] if html else loaded["text"], is_html=html, id=loaded["id"],
                   include=frozenset(loaded["include"]))


def load(data: Any, max_chars: int, name: str | None = None) -> Article:
    """The article ``data`` gives (``{"text" or "html", "id", "include"}``), or ``Refused``: 422 when it
    is not valid, 413 when it is longer than ``max_chars``. ``name`` says which article a problem is
    about ("Line 3"); without it, the request body."""
    try:
        loaded = _schema().load(data)
    except ValidationError as error:
        raise Refused(validation_problem(error, name or "The request body")) from None
    article = article_of(loaded)
    check_length(article, max_chars, name)
    return article


def check_length(article: Article, max_chars: int, name: str | None = None) -> None:
    """``Refused`` (413) when ``article`` is longer than ``max_chars``."""
    if len(article) > max_chars:
        detail = too_long_detail(article.form, len(article), max_chars)
        raise Refused(problem_body(413, f"{name}: {detail}" if name else detail))


def id_of(data: Any) -> str | None:
    """The ``id`` of an article's data when it is one a response can carry, for the error in its place."""
    article_id = data.get("id") if isinstance(data, dict) else None
    return article_id if isinstance(article_id, str) and is_unicode(article_id) else None


def admit(articles: Sequence[Article], settings: Settings) -> Cost:
    """What ``articles`` cost together; ``OverLimits`` (answered 413) when they pass the limits of one
    request (``QUOTES_MAX_TOKENS``, ``QUOTES_MAX_QUOTE_MARKS``)."""
    return check_limits([article.text for article in articles], settings.max_tokens, settings.max_quote_marks)
