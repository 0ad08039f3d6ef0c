"""Last resort: the nearest person named before the quote in its paragraph, or the last speaker."""
from __future__ import annotations

from bisect import bisect_right

from ..context import Context
from ..phrases import noun_phrase
from ..sieve import Sieve

NAME = "nearest_person"


def sieve(ctx: Context) -> None:
    people = [e for e in ctx.doc.ents if e.label_ == "PERSON" and not ctx.in_quote(e.root)]
    ends = [e.end_char for e in people]  # entities do not overlap: sorted as their starts are
    for k, previous in ctx.open_quotes_after_attributed():
        quote, para = ctx.quotes[k], ctx.paragraph_of(k)
        at = bisect_right(ends, quote.outer_start) - 1
        if at >= 0 and people[at].start_char >= para.start:
            ctx.attribute(k, noun_phrase(ctx, people[at].root), None, NAME, 0.35)
        elif previous is not None:
            ctx.share(k, ctx.attributions[previous], NAME, 0.25)


SIEVE = Sieve(NAME, sieve)
