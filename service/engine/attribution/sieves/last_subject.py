"""A quote standing alone in its paragraph after the narration has moved on to someone: that someone.

“…,” Mayor Chow said. / Councillor Dana Price told reporters the bylaw was outdated. / “It is time.”
— the last quote is Price's: she is the subject of the narration since Chow's quote, so she, not
Chow, is whom the article is talking about. A name counts, and so does "he" or "she" (the entity
view resolves it to whom the narration moved on to, or to Chow); a description could still be
Chow. The conversation sieve after this one handles quotes with no new subject in between.
"""
from __future__ import annotations

from ...view.context import Context
from ...view.entities import entity_view
from ..sieve import Sieve

NAME = "last_subject"


def sieve(ctx: Context) -> None:
    view = entity_view(ctx)
    for k, previous in ctx.open_quotes_after_attributed():
        quote = ctx.quotes[k]
        if not ctx.stands_alone(k) or previous is None:
            continue
        mention = view.moved_on(previous, quote.outer_start)
        if mention is not None and (mention.pronoun in ("male", "female") or mention.is_name):
            ctx.attribute(k, mention.span, None, NAME)


SIEVE = Sieve(NAME, sieve)
