"""A speech verb elsewhere in the quote's paragraph, before it: ``Barrot told reporters in Paris on
Monday that the talks, which …, had “stressed the good existing cooperation”``."""
from __future__ import annotations

from ..context import Context
from ..phrases import speaker_from_verb, speech_verbs

NAME = "speech_verb_paragraph"


def sieve(ctx: Context) -> None:
    for k in ctx.open_quotes():
        quote, para = ctx.quotes[k], ctx.paragraph_of(k)
        before = [ctx.doc[i] for i in ctx.tokens_between(para.start, quote.outer_start)]
        after = [ctx.doc[i] for i in ctx.tokens_between(quote.outer_end, para.end)]
        outside = [t for t in before[::-1] + after if not ctx.in_quote(t)]
        for verb in speech_verbs(outside):
            mention = speaker_from_verb(ctx, verb)
            if mention is not None:
                ctx.attribute(k, mention, verb, NAME, 0.6)
                break
