"""``PENCE: Well, look, …``: a quote that opens with a speaker's label in capitals and a colon."""
from __future__ import annotations

import re

from ..context import Context

NAME = "transcript_label"
_LABEL = re.compile(r"([A-Z][A-Z.'’\- ]{1,40}[A-Z.]):\s")


def sieve(ctx: Context) -> None:
    for k in ctx.open_quotes():
        quote = ctx.quotes[k]
        match = _LABEL.match(ctx.text, quote.start, quote.end)
        if not match or len(match.group(1).split()) > 4:
            continue
        span = ctx.doc.char_span(match.start(1), match.end(1), alignment_mode="expand")
        if span is not None:
            ctx.attribute(k, span, None, NAME, 0.9)
