"""Many articles at once, parsed together, where one article the engine fails on does not fail the rest."""
from __future__ import annotations

import logging
import traceback
from typing import TYPE_CHECKING, Collection, Sequence

from .cost import OverLimits
from .deadline import DeadlinePassed
from .text.html import HtmlSource

if TYPE_CHECKING:
    from .result import Result
    from .pipeline import Engine

log = logging.getLogger(__name__)

FAILED_DETAIL = "The service failed on this article; the failure is logged. The other articles are not affected."


def failure_site(error: BaseException) -> str:
    """Where an exception was raised (its last frames), for a log line that must not quote the article."""
    return "; ".join(f"{frame.filename}:{frame.lineno} in {frame.name}"
                     for frame in traceback.extract_tb(error.__traceback__)[-3:])


def extract_one(engine: Engine, article: str | HtmlSource, include: Collection[str] = ()) -> Result:
    """The ``Result`` of one article, given as text or as HTML; ``include`` as for ``Engine.extract``."""
    if isinstance(article, HtmlSource):
        return engine.extract_html(article.html, include)
    return engine.extract(article, include)


def extract_each(engine: Engine, texts: Sequence[str | HtmlSource],
                 include: Collection[str] = ()) -> list[Result | None]:
    """The ``Result`` of each text, in order, parsed together with ``nlp.pipe``; ``None`` for a text
    the engine fails on (logged without its text), the others answered all the same. ``include`` as
    for ``Engine.extract``. A passed deadline (``DeadlinePassed``) or limits passed
    (``OverLimits``) stop the whole batch."""
    if not texts:
        return []
    try:
        return list(engine.extract_many(texts, include=include))
    except (DeadlinePassed, OverLimits):
        raise
    except Exception:  # find the article at fault: one at a time
        pass
    results = []
    for number, text in enumerate(texts):
        try:
            results.append(extract_one(engine, text, include))
        except (DeadlinePassed, OverLimits):
            raise
        except Exception as error:
            log.error("extraction failed on article %d of a batch (%d characters): %s (at %s)",
                      number, len(text), type(error).__name__, failure_site(error))
            results.append(None)
    return results


def extract_each_including(engine, texts: Sequence[str], includes: Sequence[Collection[str]]) -> list:
    """``extract_each`` for texts that may ask for different records (``includes[i]`` for
    ``texts[i]``): the texts that ask alike are parsed together; results in the order of ``texts``."""
    results: list = [None] * len(texts)
    alike: dict[tuple[str, ...], list[int]] = {}
    for number, include in enumerate(includes):
        alike.setdefault(tuple(sorted(set(include))), []).append(number)
    for include, numbers in alike.items():
        for number, result in zip(numbers, extract_each(engine, [texts[n] for n in numbers], include), strict=True):
            results[number] = result
    return results
