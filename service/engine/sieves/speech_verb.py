"""A speech verb next to the quote, in the same sentence, tied to its subject by the parse.

“We are ready,” an Elysee official said. / “…,” said Mr Macron. / Macron said: “…” /
Trump said he was “very disappointed”.
"""
from __future__ import annotations

from ..context import Context
from ..phrases import leading_tokens, reporting_verb, speaker_from_verb, speech_verbs, trailing_tokens

NAME = "speech_verb"


def sieve(ctx: Context) -> None:
    for k in ctx.open_quotes():
        before = leading_tokens(ctx, k)
        after = trailing_tokens(ctx, k)
        starts_sentence = not any(t.is_alpha for t in before)
        candidates = speech_verbs(after)[:1] + speech_verbs(before)[::-1]
        if not starts_sentence:
            candidates = speech_verbs(before)[::-1] + speech_verbs(after)[:1]
        for verb in candidates:
            verb = reporting_verb(verb)
            mention = speaker_from_verb(ctx, verb)
            if mention is not None:
                ctx.attribute(k, mention, verb, NAME, 0.9)
                break
