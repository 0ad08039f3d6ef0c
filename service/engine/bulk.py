"""Many articles at once, parsed together, where one article the engine fails on does not fail the rest."""
from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import TYPE_CHECKING

from ..failures import failure_site
from .article import Article
from .cost import OverLimits
from .deadline import DeadlinePassed

if TYPE_CHECKING:
    from .pipeline import Engine
    from .result import Result

log = logging.getLogger(__name__)


def _extract_alike(engine: Engine, articles: Sequence[Article]) -> list[Result | None]:
    """The ``Result`` of each article, in order, parsed together with ``nlp.pipe``; ``None`` for an
    article the engine fails on (logged without its text), the others answered all the same. A passed
    deadline (``DeadlinePassed``) or limits passed (``OverLimits``) stop the whole batch."""
    if not articles:
        return []
    try:
        return list(engine.extract_many(articles))
    except (DeadlinePassed, OverLimits):
        raise
    except Exception:  # find the article at fault: one at a time
        pass
    results: list[Result | None] = []
    for number, article in enumerate(articles):
        try:
            results.append(engine.extract(article))
        except (DeadlinePassed, OverLimits):
            raise
        except Exception as error:
            log.error("extraction failed on article %d of a batch (%d characters): %s (at %s)",
                      number, len(article), type(error).__name__, failure_site(error))
            results.append(None)
    return results


def extract_each(engine: Engine, articles: Sequence[Article]) -> list[Result | None]:
    """The ``Result`` of each article, in order, or ``None`` for one the engine fails on: the articles
    that ask for the same records (``Article.include``) are parsed together."""
    results: list[Result | None] = [None] * len(articles)
    alike: dict[tuple[str, ...], list[int]] = {}
    for number, article in enumerate(articles):
        alike.setdefault(tuple(sorted(article.include)), []).append(number)
    for numbers in alike.values():
        for number, result in zip(numbers, _extract_alike(engine, [articles[n] for n in numbers]), strict=True):
            results[number] = result
    return results
