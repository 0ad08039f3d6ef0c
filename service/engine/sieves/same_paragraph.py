"""A quote with no cue of its own after an attributed quote in the same paragraph:
“…,” Mr. Obama said at the gala, where Mrs. Clinton also spoke. “Tolerance is on the ballot.”"""
from __future__ import annotations

from ..context import Context
from ..sieve import Sieve

NAME = "same_paragraph"


def sieve(ctx: Context) -> None:
    last_in_paragraph: dict[int, int] = {}  # paragraph -> last attributed quote so far
    for k, quote in enumerate(ctx.quotes):
        attribution = ctx.attributions.get(k)
        if attribution is not None:
            last_in_paragraph[quote.paragraph] = k
            continue
        earlier = last_in_paragraph.get(quote.paragraph)
        if earlier is not None:
            previous = ctx.attributions[earlier]
            ctx.share(k, previous, NAME, previous.confidence * 0.85)


SIEVE = Sieve(NAME, sieve)
