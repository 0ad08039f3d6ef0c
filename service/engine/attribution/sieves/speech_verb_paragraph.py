"""A speech verb elsewhere in the quote's paragraph, before it: ``Barrot told reporters in Paris on
Monday that the talks, which …, had “stressed the good existing cooperation”``.

A verb in another sentence that already reports another quote is that quote's cue, not this one's:
in ``Leaders of the “coalition of the willing” met. “We are ready,” Starmer said.`` the term is not
Starmer's words.

The speech verbs come from the entity view, listed once per article; a quote tries the nearest
few on each side.
"""
from __future__ import annotations

from bisect import bisect_left

from ...view.context import Context
from ...view.entities import entity_view
from ..sieve import Sieve

NAME = "speech_verb_paragraph"
_MAX_VERBS = 20  # on each side of the quote


def _cue_tokens(ctx: Context) -> set[int]:
    cues = set()
    for attribution in ctx.attributions.values():
        cue = attribution.cue
        if cue is not None:
            cues.update(range(cue.i, cue.i + 1) if hasattr(cue, "i") else range(cue.start, cue.end))
    return cues


def sieve(ctx: Context) -> None:
    cues = _cue_tokens(ctx)
    view = entity_view(ctx)
    for k in ctx.open_quotes():
        quote, para = ctx.quotes[k], ctx.paragraph_of(k)
        verbs = view.speech_verbs_between(para.start, para.end)
        if not verbs:
            continue
        sentence = ctx.sentence(ctx.doc[ctx.token_at(quote.outer_start)])
        before = bisect_left(verbs, ctx.tokens_between(0, quote.outer_start).stop)
        after = bisect_left(verbs, ctx.tokens_between(0, quote.outer_end).stop)
        nearest_before = (verbs[j] for j in range(before - 1, max(before - 1 - _MAX_VERBS, -1), -1))
        candidates = [*nearest_before, *verbs[after:after + _MAX_VERBS]]
        for i in candidates:
            if i in cues and i not in sentence:
                continue
            verb = ctx.doc[i]
            mention = view.speaker_of_verb(verb, checked=False)
            if mention is not None:
                ctx.attribute(k, mention, verb, NAME)
                break


SIEVE = Sieve(NAME, sieve)
