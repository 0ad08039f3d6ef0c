"""A quote standing alone in its paragraph after a quote by a known speaker: the conversation continues,
unless the narration has moved on: a person in the subject of a main clause between the two quotes
(“…,” Mayor Chow said. / An aide shook her head. / “…”) is whom the article turned to, so the
quote is left to the sieves after."""
from __future__ import annotations

from ...view.context import Context
from ...view.entities import entity_view
from ..sieve import Sieve

NAME = "conversation"
_MAX_PARAGRAPHS_BACK = 2


def sieve(ctx: Context) -> None:
    view = entity_view(ctx)
    for k, previous in ctx.open_quotes_after_attributed():
        if not ctx.stands_alone(k):
            continue  # the quote has words of the writer's around it
        quote = ctx.quotes[k]
        if previous is not None and quote.paragraph - ctx.quotes[previous].paragraph <= _MAX_PARAGRAPHS_BACK:
            moved_on = view.moved_on(previous, quote.outer_start)
            if moved_on is not None and moved_on.is_person:
                continue
            ctx.share(k, ctx.attributions[previous], NAME)


SIEVE = Sieve(NAME, sieve)
