"""“…,” according to a French diplomatic source. Runs before ``speech_verb``: in “…,” Sanders said,
according to CNN, the article gives the quote on CNN's word, and CNN is its source."""
from __future__ import annotations

from ...view.context import Context
from ...view.entities import entity_view
from ...view.phrases import leading_tokens, trailing_tokens
from ..sieve import Sieve

NAME = "according_to"


def sieve(ctx: Context) -> None:
    view = entity_view(ctx)
    for k in ctx.open_quotes():
        for token in trailing_tokens(ctx, k) + leading_tokens(ctx, k)[::-1]:
            if token.lower_ != "according" or token.i + 1 >= len(token.doc):
                continue
            to = token.doc[token.i + 1]
            objects = [c for c in ctx.children(to) if c.dep_ == "pobj" and not ctx.in_quote(c)]
            if to.lower_ == "to" and objects:
                ctx.attribute(k, view.mention_of(objects[0]), token.doc[token.i:token.i + 2], NAME)
                break


SIEVE = Sieve(NAME, sieve, sure=True)
