"""What a request may cost, for every route that uses the engine.

Views get the engine through ``BudgetedEngine``: before any work, the texts' cost (tokens and
quotation marks, ``service.engine.cost``) is held to ``QUOTES_MAX_TOKENS`` and
``QUOTES_MAX_QUOTE_MARKS`` (``OverLimits``, answered 413: such a request could never finish within the
deadline); the work then runs where ``service.server.offload`` puts it, with the request's
deadline (``QUOTES_DEADLINE`` seconds from when its body had been read), and a passed deadline is
answered 503 with ``Retry-After``.
"""
from __future__ import annotations

from typing import Any, Callable, Collection, Iterable, Iterator

from flask import Flask, g

from ..engine.cost import check_limits
from ..engine.text.html import HtmlSource, html_to_text
from ..engine.deadline import Deadline
from ..server import offload
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


def _text_of(article: str | HtmlSource) -> str:
    return html_to_text(article.html).text if isinstance(article, HtmlSource) else article


def admit(articles: list[str | HtmlSource], settings: Settings) -> None:
    """``OverLimits`` (answered 413) when ``articles`` together cost more than the limits (an HTML
    article costs what the text read from it does)."""
    check_limits([_text_of(article) for article in articles], settings.max_tokens, settings.max_quote_marks)


class BudgetedEngine:
    """The engine as the views use it: the same ``extract``, ``extract_html`` and ``extract_many``,
    held to the limits, bounded by the request's deadline and run off the server's event loop (the
    counting too). Anything else is the engine's own (``model``, ``model_info``, ``nlp``)."""

    def __init__(self, engine: Any, settings: Settings) -> None:
        self.engine = engine
        self.settings = settings

    def __getattr__(self, name: str) -> Any:
        return getattr(self.engine, name)

    def _run(self, articles: list[str | HtmlSource], work: Callable[[Deadline], Any]) -> Any:
        deadline = request_deadline(self.settings)

        def admitted() -> Any:
            admit(articles, self.settings)
            return work(deadline)

        return offload.call(admitted)

    def extract(self, text: str, include: Collection[str] = ()) -> Any:
        return self._run([text], lambda deadline: self.engine.extract(text, include, deadline=deadline))

    def extract_html(self, html: str, include: Collection[str] = ()) -> Any:
        return self._run([HtmlSource(html)],
                         lambda deadline: self.engine.extract_html(html, include, deadline=deadline))

    def extract_many(self, articles: Iterable[str | HtmlSource], **options: Any) -> Iterator[Any]:
        articles = list(articles)
        return iter(self._run(articles, lambda deadline: list(
            self.engine.extract_many(articles, deadline=deadline, **options))))


def register(app: Flask, settings: Settings) -> None:
    @app.before_request
    def _start_the_clock() -> None:
        g.deadline = Deadline(settings.deadline)
