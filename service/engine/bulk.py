"""Many articles at once, parsed together, where one article the engine fails on does not fail the rest."""
from __future__ import annotations

import logging
import traceback
from typing import TYPE_CHECKING, Sequence

from .html import HtmlSource

if TYPE_CHECKING:
    from .model import Result
    from .pipeline import Engine

log = logging.getLogger(__name__)

FAILED_DETAIL = "The service failed on this article; the failure is logged. The other articles are not affected."


def failure_site(error: BaseException) -> str:
    """Where an exception was raised (its last frames), for a log line that must not quote the article."""
    return "; ".join(f"{frame.filename}:{frame.lineno} in {frame.name}"
                     for frame in traceback.extract_tb(error.__traceback__)[-3:])


def extract_one(engine: Engine, article: str | HtmlSource) -> Result:
    """The ``Result`` of one article, given as text or as HTML."""
    return engine.extract_html(article.html) if isinstance(article, HtmlSource) else engine.extract(article)


def extract_each(engine: Engine, texts: Sequence[str | HtmlSource]) -> list[Result | None]:
    """The ``Result`` of each text, in order, parsed together with ``nlp.pipe``; ``None`` for a text
    the engine fails on (logged without its text), the others answered all the same."""
    if not texts:
        return []
    try:
        return list(engine.extract_many(texts))
    except Exception:  # find the article at fault: one at a time
        pass
    results = []
    for number, text in enumerate(texts):
        try:
            results.append(extract_one(engine, text))
        except Exception as error:
            log.error("extraction failed on article %d of a batch (%d characters): %s (at %s)",
                      number, len(text), type(error).__name__, failure_site(error))
            results.append(None)
    return results
