"""A lead-in ending with a colon: ``Caddell continued:`` then the quote, in the same or the next paragraph."""
from __future__ import annotations

from ..context import Context
from ..phrases import noun_phrase, speaker_from_verb, subject_of

NAME = "colon_lead_in"


def _lead_in_end(ctx: Context, k: int) -> int | None:
    """Index of the colon token that introduces quote k, if any."""
    quote = ctx.quotes[k]
    para = ctx.paragraph_of(k)
    before = ctx.text[para.start:quote.outer_start].rstrip()
    if not before and quote.paragraph > 0:
        previous = ctx.paragraphs[quote.paragraph - 1]
        before = ctx.text[previous.start:previous.end].rstrip()
        end = previous.start + len(before)
    else:
        end = para.start + len(before)
    if not before.endswith(":"):
        return None
    return ctx.token_at(end - 1)


def sieve(ctx: Context) -> None:
    for k in ctx.open_quotes():
        colon = _lead_in_end(ctx, k)
        if colon is None or ctx.in_quote(ctx.doc[colon]):
            continue
        sentence = ctx.doc[colon].sent
        verbs = [t for t in sentence if t.pos_ in ("VERB", "AUX") and t.i < colon and not ctx.in_quote(t)]
        for verb in reversed(verbs):
            mention = speaker_from_verb(ctx, verb)
            if mention is None:
                subject = subject_of(ctx, verb)
                mention = noun_phrase(ctx, subject) if subject is not None and not ctx.in_quote(subject) else None
            if mention is not None:
                ctx.attribute(k, mention, verb, NAME, 0.8)
                break
