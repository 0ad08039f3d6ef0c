"""A quote standing alone in its paragraph after a quote by a known speaker: the conversation continues."""
from __future__ import annotations

from ..context import Context

NAME = "conversation"
_MAX_PARAGRAPHS_BACK = 2


def _stands_alone(ctx: Context, k: int) -> bool:
    quote, para = ctx.quotes[k], ctx.paragraph_of(k)
    outside = ctx.text[para.start:quote.outer_start] + ctx.text[quote.outer_end:para.end]
    return sum(c.isalpha() for c in outside) < 3 or not any(
        not ctx.in_quote(ctx.doc[i]) and ctx.doc[i].pos_ in ("VERB", "PROPN")
        for i in ctx.tokens_between(para.start, para.end))


def sieve(ctx: Context) -> None:
    for k in ctx.open_quotes():
        if not _stands_alone(ctx, k):
            continue
        paragraph = ctx.quotes[k].paragraph
        previous = [j for j in ctx.attributions if j < k
                    and paragraph - ctx.quotes[j].paragraph <= _MAX_PARAGRAPHS_BACK]
        if previous:
            attribution = ctx.attributions[max(previous)]
            ctx.share(k, attribution, NAME, attribution.confidence * 0.8)
