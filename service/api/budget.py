"""What a request may cost, for every route that uses the engine.

Views get the engine through ``BudgetedEngine``: before any work, the articles' cost (tokens and
quotation marks, ``service.intake.admit``) is held to ``QUOTES_MAX_TOKENS`` and
``QUOTES_MAX_QUOTE_MARKS`` (``OverLimits``, answered 413: such a request could never finish within the
deadline); the work then runs where the server says engine work runs (``service.environ.RUN_ENGINE``;
in place when no server says, as under the test client), with the request's deadline
(``QUOTES_DEADLINE`` seconds from when its body had been read), and a passed deadline is answered
503 with ``Retry-After``.
"""
from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Iterator
from typing import Any

from flask import Flask, g, request

from .. import environ, intake
from ..engine.article import Article
from ..engine.deadline import Deadline
from ..settings import Settings

RETRY_AFTER_SECONDS = 5


def request_deadline(settings: Settings) -> Deadline:
    """The deadline of the request being handled (set when it started)."""
    deadline = g.get("deadline")
    if deadline is None:
        deadline = g.deadline = Deadline(settings.deadline)
    return deadline


def deadline_detail(settings: Settings) -> str:
    return (f"The request did not finish within the service's time budget of {settings.deadline} s: the "
            f"service is busy, or the text is long for it. Retry after {RETRY_AFTER_SECONDS} s, or send "
            "less text.")


def _in_place(function: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    return function(*args, **kwargs)


class BudgetedEngine:
    """The engine as the views use it: the same ``extract`` and ``extract_many``, held to the limits,
    bounded by the request's deadline and run off the server's event loop (the counting too).
    Anything else is the engine's own (``model``, ``model_info``, ``nlp``)."""

    def __init__(self, engine: Any, settings: Settings) -> None:
        self.engine = engine
        self.settings = settings

    def __getattr__(self, name: str) -> Any:
        return getattr(self.engine, name)

    def _run(self, articles: list[Article], work: Callable[[Deadline], Any]) -> Any:
        deadline = request_deadline(self.settings)

        def admitted() -> Any:
            intake.admit(articles, self.settings)
            return work(deadline)

        return request.environ.get(environ.RUN_ENGINE, _in_place)(admitted)

    def extract(self, article: Article | str, include: Collection[str] = ()) -> Any:
        article = Article.of(article).including(include)
        return self._run([article], lambda deadline: self.engine.extract(article, deadline=deadline))

    def extract_many(self, articles: Iterable[Article | str], **options: Any) -> Iterator[Any]:
        articles = [Article.of(article) for article in articles]
        return iter(self._run(articles, lambda deadline: list(
            self.engine.extract_many(articles, deadline=deadline, **options))))


def register(app: Flask, settings: Settings) -> None:
    @app.before_request
    def _start_the_clock() -> None:
        g.deadline = Deadline(settings.deadline)
