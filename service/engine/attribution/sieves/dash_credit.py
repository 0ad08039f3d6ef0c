"""“…” ― Sonya Herridge: a name after a dash that closes the quote's paragraph."""
from __future__ import annotations

import re

from ...view.context import Context
from ...view.entities import entity_view
from ..sieve import Sieve

NAME = "dash_credit"
_CREDIT = re.compile(r"\s*[―—–-]{1,2}\s*(?=\S)")


def sieve(ctx: Context) -> None:
    view = entity_view(ctx)
    for k in ctx.open_quotes():
        quote, para = ctx.quotes[k], ctx.paragraph_of(k)
        if not quote.closed:
            continue
        match = _CREDIT.match(ctx.text, quote.outer_end, para.end)
        if not match:
            continue
        credit = view.words(match.end(), para.end, alignment_mode="contract")
        if credit is None or not 0 < len(credit) <= 8 or credit[0].pos_ not in ("PROPN", "NOUN", "DET", "ADJ"):
            continue
        heads = [t for t in credit if t.head.i < credit.start or t.head.i >= credit.end or t.head == t]
        ctx.attribute(k, view.mention_of(heads[0]) if heads else credit, None, NAME)


SIEVE = Sieve(NAME, sieve, sure=True)
