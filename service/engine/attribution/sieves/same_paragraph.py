"""A quote with no cue of its own after an attributed quote in the same paragraph:
“…,” Mr. Obama said at the gala, where Mrs. Clinton also spoke. “Tolerance is on the ballot.”

Unless the paragraph has moved on: when the entity view shows a person named as the subject of a main
clause since that quote (“…,” Mayor Chow said. Councillor Dana Price disagreed with her. “…”), the
quote is that person's."""
from __future__ import annotations

from ...view.context import Context
from ...view.entities import entity_view
from ..sieve import Sieve

NAME = "same_paragraph"


def sieve(ctx: Context) -> None:
    view = entity_view(ctx)
    last_in_paragraph: dict[int, int] = {}  # paragraph -> last attributed quote so far
    for k, quote in enumerate(ctx.quotes):
        attribution = ctx.attributions.get(k)
        if attribution is not None:
            last_in_paragraph[quote.paragraph] = k
            continue
        earlier = last_in_paragraph.get(quote.paragraph)
        if earlier is not None:
            moved_on = view.moved_on(earlier, quote.outer_start)
            if moved_on is not None and moved_on.span.root.ent_type_ == "PERSON":
                ctx.attribute(k, moved_on.span, None, NAME)
            else:
                ctx.share(k, ctx.attributions[earlier], NAME)


SIEVE = Sieve(NAME, sieve)
