"""What a text costs the engine, counted without running the model.

The engine's time grows with the tokens it parses and with the quotes its sieves look around (each
quotation mark costs a bounded window of tokens), not with characters: a megabyte of short quoted
words costs many times a megabyte of prose. ``cost_of`` counts both with linear scans, so that a
caller can refuse work that could not fit its time budget before it starts.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .nlp.parsing import LONG_WORD
from .text.marks import find_quotes

# What the tokenizer splits text into, closely enough to price it: words and single punctuation marks;
# a stretch without whitespace longer than LONG_WORD goes to the parser as tokens of LONG_WORD characters.
_TOKEN = re.compile(r"\w+|[^\w\s]")
_LONG_WORD = re.compile(r"\S{%d,}" % (LONG_WORD + 1))


@dataclass(frozen=True)
class Cost:
    """The work a text (or several) holds for the engine."""

    tokens: int = 0
    quote_marks: int = 0

    def __add__(self, other: Cost) -> Cost:
        return Cost(self.tokens + other.tokens, self.quote_marks + other.quote_marks)


def _count(pattern: re.Pattern, text: str) -> int:
    return sum(1 for _ in pattern.finditer(text))


def tokens_of(text: str) -> int:
    """About the number of tokens the engine parses for ``text``."""
    tokens = _count(_TOKEN, text)
    for long_word in _LONG_WORD.finditer(text):
        word = long_word.group()
        tokens += -_count(_TOKEN, word) + -(-len(word) // LONG_WORD)
    return tokens


def quote_marks_of(text: str) -> int:
    """The quotation marks that open or close a quote the engine will attribute (stray marks and
    runs of marks cost nothing more than the tokens they make)."""
    return sum(1 + (quote.close_mark is not None) for quote in find_quotes(text))


def cost_of(texts: list[str], max_tokens: int | None = None) -> Cost:
    """The tokens and quotation marks of ``texts`` together (linear scans, no model). Once the
    tokens pass ``max_tokens`` the marks are not counted (the cost is already too high)."""
    total = Cost()
    for text in texts:
        total += Cost(tokens_of(text), 0)
    if max_tokens is not None and total.tokens > max_tokens:
        return total
    for text in texts:
        total += Cost(0, quote_marks_of(text))
    return total


class OverLimits(Exception):
    """The texts cost more than a caller's limits; the message says which limit, never the text."""


def check_limits(texts: list[str], max_tokens: int, max_quote_marks: int) -> Cost:
    """The cost of ``texts``, or ``OverLimits`` when it passes either limit."""
    cost = cost_of(texts, max_tokens)
    if cost.tokens > max_tokens:
        raise OverLimits(f"The request holds about {cost.tokens} tokens (words and punctuation); the limit "
                         f"is {max_tokens}, what the service parses within its time budget. Send less text.")
    if cost.quote_marks > max_quote_marks:
        raise OverLimits(f"The request holds {cost.quote_marks} quotation marks; the limit is "
                         f"{max_quote_marks}, what the service attributes within its time budget.")
    return cost
