"""Stand-ins for quoted sentences, so the parser sees the writer's sentence around them.

A long quotation inside a sentence confuses the parser about the words outside it (who said
what), and parsing it costs time. Each quoted sentence is replaced by a short stand-in padded to
the same length, so every character offset outside the quotes stays as it is.
"""
from __future__ import annotations

import re

from .marks import QuoteSpan
from .markup import blank_markup
from .transcripts import transcript_label

# Four or more quotation marks in a row quote nothing; to the parser they are only noise.
_MARK_RUN = re.compile(r"[\"“”„«»‘’'`‚‹›]{4,}")

# A one-word sentence the parser reads as a whole clause; measured on the evaluation sets against
# other stand-ins ("Something", "Hello", "We will") and other thresholds.
STAND_IN = "Yes"
MIN_WORDS = 4


def _masked_start(text: str, quote: QuoteSpan) -> int | None:
    """Where the stand-in for the quote starts (after a transcript label, which the parser must see
    to name the speaker), or None when the quote is to be left as it is."""
    label = transcript_label(text, quote.start, quote.end)
    start = label[2] if label is not None else quote.start
    words = text[start:quote.end]
    if len(words.split()) >= MIN_WORDS and (words[:1].isupper() or not words[:1].isalpha()):
        return start
    return None


def _blank_mark_runs(text: str, quotes: list[QuoteSpan]) -> str:
    if not _MARK_RUN.search(text):
        return text
    kept = {quote.open_mark.pos for quote in quotes} | {quote.close_mark.pos for quote in quotes if quote.close_mark}
    chars = list(text)
    for run in _MARK_RUN.finditer(text):
        for i in range(run.start(), run.end()):
            if i not in kept:
                chars[i] = " "
    return "".join(chars)


def mask_quotes(text: str, quotes: list[QuoteSpan]) -> str:
    """``text`` as the parser should see it: same length, quoted sentences, runs of marks and markup
    blanked."""
    text = blank_markup(_blank_mark_runs(text, quotes))
    parts, at = [], 0
    for quote in quotes:
        start = _masked_start(text, quote)
        if start is None:
            continue
        length = quote.end - start
        last = text[quote.end - 1]
        tail = last if last in ".,!?;:" else ""
        stand_in = (STAND_IN + tail)[:length]
        parts.append(text[at:start])
        parts.append(stand_in + " " * (length - len(stand_in)))
        at = quote.end
    parts.append(text[at:])
    return "".join(parts)
