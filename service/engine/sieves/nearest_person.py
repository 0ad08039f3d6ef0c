"""Last resort: the nearest person named before the quote in its paragraph, or the last speaker."""
from __future__ import annotations

from ..context import Context
from ..phrases import noun_phrase

NAME = "nearest_person"


def sieve(ctx: Context) -> None:
    for k in ctx.open_quotes():
        quote, para = ctx.quotes[k], ctx.paragraph_of(k)
        people = [e for e in ctx.doc.ents if e.label_ == "PERSON" and para.start <= e.start_char
                  and e.end_char <= quote.outer_start and not ctx.in_quote(e.root)]
        if people:
            ctx.attribute(k, noun_phrase(ctx, people[-1].root), None, NAME, 0.35)
            continue
        previous = [j for j in ctx.attributions if j < k]
        if previous:
            attribution = ctx.attributions[max(previous)]
            ctx.share(k, attribution, NAME, 0.25)
