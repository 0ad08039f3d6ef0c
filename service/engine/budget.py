"""What a text costs the engine, and the deadline a piece of work must end by. No Flask here.

The engine's time grows with the tokens it parses and with the quotation marks its sieves look
around (each mark costs a bounded window of tokens), not with characters: a megabyte of short
quoted words costs many times a megabyte of prose. ``cost_of`` counts both without running the
model, so a caller can refuse work that cannot fit before it starts.

A ``Deadline`` is handed to ``Engine.extract`` and ``Engine.extract_many``, which check it between
parse batches and between sieves and raise ``DeadlinePassed`` once it has gone by: a long request
ends on time with an answer instead of being killed.
"""
from __future__ import annotations

import re
import time
from dataclasses import dataclass
from typing import Callable, Iterable

from .marks import QUOTE_MARK

# What the tokenizer splits text into, closely enough to price it: words and single punctuation marks.
_TOKEN = re.compile(r"\w+|[^\w\s]")


@dataclass(frozen=True)
class Cost:
    """The work a text (or several) holds for the engine."""

    tokens: int = 0
    quote_marks: int = 0

    def __add__(self, other: Cost) -> Cost:
        return Cost(self.tokens + other.tokens, self.quote_marks + other.quote_marks)


def _count(pattern: re.Pattern, text: str) -> int:
    return sum(1 for _ in pattern.finditer(text))


def cost_of(texts: Iterable[str]) -> Cost:
    """The tokens and quotation marks of ``texts`` together (a linear scan, no model)."""
    total = Cost()
    for text in texts:
        total += Cost(_count(_TOKEN, text), _count(QUOTE_MARK, text))
    return total


class DeadlinePassed(Exception):
    """The work was stopped at its deadline. The message says where, never what the text was."""


class Deadline:
    """A point in time (``time.monotonic``) that work must end by."""

    def __init__(self, seconds: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.seconds = seconds
        self._clock = clock
        self.at = clock() + seconds

    def remaining(self) -> float:
        return self.at - self._clock()

    def check(self, where: str) -> None:
        """Raise ``DeadlinePassed`` once the deadline has gone by."""
        if self._clock() >= self.at:
            raise DeadlinePassed(f"the deadline of {self.seconds:g} s passed {where}")


def check(deadline: Deadline | None, where: str) -> None:
    """``deadline.check(where)``, for code that may run without a deadline."""
    if deadline is not None:
        deadline.check(where)
