"""A quote standing alone in its paragraph after a quote by a known speaker: the conversation continues,
unless the narration has moved on: a person in the subject of a main clause between the two quotes
(“…,” Mayor Chow said. / An aide shook her head. / “…”) is whom the article turned to, so the
quote is left to the sieves after."""
from __future__ import annotations

import re

from ...view.context import Context
from ...view.entities import entity_view
from ..sieve import Sieve

NAME = "conversation"
_LETTER = re.compile(r"[^\W\d_]")  # what str.isalpha() accepts, counted in C
_MAX_PARAGRAPHS_BACK = 2


def _paragraphs_without_clauses(ctx: Context) -> set[int]:
    """Paragraphs with no verb or name outside quotes."""
    out = set()
    for para in ctx.paragraphs:
        tokens = (ctx.doc[i] for i in ctx.tokens_between(para.start, para.end))
        if not any(not ctx.in_quote(t) and t.pos_ in ("VERB", "PROPN") for t in tokens):
            out.add(para.index)
    return out


def _letters(text: str, start: int, end: int) -> int:
    return len(_LETTER.findall(text, start, end))


def stands_alone(ctx: Context):
    """A test of whether quote k stands alone in its paragraph (no words of the writer's around it),
    made once per article."""
    if "stands_alone" not in ctx.memo:
        ctx.memo["stands_alone"] = _stands_alone(ctx)
    return ctx.memo["stands_alone"]


def _stands_alone(ctx: Context):
    letters = [_letters(ctx.text, para.start, para.end) for para in ctx.paragraphs]
    without_clauses = _paragraphs_without_clauses(ctx)

    def alone(k: int) -> bool:
        quote = ctx.quotes[k]
        outside = letters[quote.paragraph] - _letters(ctx.text, quote.outer_start, quote.outer_end)
        return outside < 3 or quote.paragraph in without_clauses
    return alone


def sieve(ctx: Context) -> None:
    alone = stands_alone(ctx)
    for k, previous in ctx.open_quotes_after_attributed():
        if not alone(k):
            continue  # the quote has words of the writer's around it
        quote = ctx.quotes[k]
        if previous is not None and quote.paragraph - ctx.quotes[previous].paragraph <= _MAX_PARAGRAPHS_BACK:
            attribution = ctx.attributions[previous]
            moved_on = entity_view(ctx).moved_on(previous, quote.outer_start)
            if moved_on is not None and moved_on.is_person:
                continue
            ctx.share(k, attribution, NAME, attribution.confidence * 0.8)


SIEVE = Sieve(NAME, sieve)
