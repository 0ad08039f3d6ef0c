"""Response bodies of articles answered together (the batch route, ``quotes extract --jsonl``, the Spark
job): each article's body as ``POST /v1/quotes`` answers it, or an error body in place of one the
engine fails on."""
from __future__ import annotations

from collections.abc import Sequence
from http import HTTPStatus
from typing import TYPE_CHECKING, Any

from .contract.problems import problem_body
from .contract.schemas import dump_response
from .engine.bulk import extract_each

if TYPE_CHECKING:
    from .engine import Engine
    from .engine.article import Article

BATCH_ARTICLES = 64  # articles handed to the engine together by --jsonl and the Spark job
FAILED_DETAIL = "The service failed on this article; the failure is logged. The other articles are not affected."


def error_body(article_id: Any, problem: dict) -> dict:
    """What stands in place of an article that could not be answered."""
    return {"id": article_id, "error": problem}


def failed_body(article_id: Any) -> dict:
    return error_body(article_id, problem_body(HTTPStatus.INTERNAL_SERVER_ERROR, FAILED_DETAIL))


def answer_bodies(engine: Engine, articles: Sequence[Article], max_quotes: int) -> list[dict]:
    """The answer to each article, in order: its response body, or an error body when the engine fails."""
    results = extract_each(engine, articles)
    return [dump_response(result, article.id, max_quotes=max_quotes) if result is not None
            else failed_body(article.id) for article, result in zip(articles, results, strict=True)]
