"""Last resort: the nearest person named before the quote in its paragraph, or the last speaker."""
from __future__ import annotations

from ...view.context import Context
from ...view.entities import entity_view
from ..sieve import Sieve

NAME = "nearest_person"


def sieve(ctx: Context) -> None:
    view = entity_view(ctx)
    for k, previous in ctx.open_quotes_after_attributed():
        quote, para = ctx.quotes[k], ctx.paragraph_of(k)
        person = view.last_person(quote.outer_start, para.start)
        if person is not None:
            ctx.attribute(k, view.mention_of(person.root), None, NAME)
        elif previous is not None:
            ctx.share(k, ctx.attributions[previous], NAME)


SIEVE = Sieve(NAME, sieve)
