"""A speech verb elsewhere in the quote's paragraph, before it: ``Barrot told reporters in Paris on
Monday that the talks, which …, had “stressed the good existing cooperation”``.

A verb in another sentence that already reports another quote is that quote's cue, not this one's:
in ``Leaders of the “coalition of the willing” met. “We are ready,” Starmer said.`` the term is not
Starmer's words.
"""
from __future__ import annotations

from ..context import Context
from ..phrases import speaker_from_verb, speech_verbs

NAME = "speech_verb_paragraph"


def _cue_tokens(ctx: Context) -> set[int]:
    cues = set()
    for attribution in ctx.attributions.values():
        cue = attribution.cue
        if cue is not None:
            cues.update(range(cue.i, cue.i + 1) if hasattr(cue, "i") else range(cue.start, cue.end))
    return cues


def sieve(ctx: Context) -> None:
    cues = _cue_tokens(ctx)
    for k in ctx.open_quotes():
        quote, para = ctx.quotes[k], ctx.paragraph_of(k)
        sentence = ctx.doc[ctx.token_at(quote.outer_start)].sent
        before = [ctx.doc[i] for i in ctx.tokens_between(para.start, quote.outer_start)]
        after = [ctx.doc[i] for i in ctx.tokens_between(quote.outer_end, para.end)]
        outside = [t for t in before[::-1] + after if not ctx.in_quote(t)
                   and (t.i not in cues or sentence.start <= t.i < sentence.end)]
        for verb in speech_verbs(outside):
            mention = speaker_from_verb(ctx, verb)
            if mention is not None:
                ctx.attribute(k, mention, verb, NAME, 0.6)
                break
