"""Transcript labels: ``PENCE: Well, look, …`` — a quote that opens with its speaker's name in capitals."""
from __future__ import annotations

import re

_LABEL = re.compile(r"([A-Z][A-Z.'’\- ]{1,40}[A-Z.]):\s")
_MAX_WORDS = 4


def transcript_label(text: str, start: int, end: int) -> tuple[int, int, int] | None:
    """(label start, label end, where the spoken words start) when text[start:end] opens with a label."""
    match = _LABEL.match(text, start, end)
    if not match or len(match.group(1).split()) > _MAX_WORDS:
        return None
    return match.start(1), match.end(1), match.end()
