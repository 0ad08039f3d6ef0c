"""A speech verb next to the quote, in the same sentence, tied to its subject by the parse.

“We are ready,” an Elysee official said. / “…,” said Mr Macron. / Macron said: “…” /
Trump said he was “very disappointed”.
"""
from __future__ import annotations

from ...view.context import Context
from ...view.entities import EntityView, entity_view
from ...view.lexicon import can_speak
from ...view.phrases import (
    SUBORDINATORS,
    heads_over,
    is_nickname,
    leading_tokens,
    reporting_verb,
    speech_verbs,
    trailing_tokens,
)
from ..sieve import Sieve

NAME = "speech_verb"


def _attribution_follows(ctx: Context, k: int, before, after) -> bool:
    """Does the attribution most likely come after the quote? It does when the quote opens its
    sentence, or when the quote ends on a comma and a speech verb follows at once (“…,” the union wrote)."""
    if not any(t.is_alpha for t in before):
        return True
    quote = ctx.quotes[k]
    ends_open = ctx.text[quote.start:quote.end].rstrip().endswith((",", "?", "!"))
    if not ends_open:
        return False
    for token in after[:6]:
        if token.pos_ == "SCONJ" or token.lower_ in SUBORDINATORS:
            return False  # “…,” when Clinton blasted him: another clause, not the attribution
        if speech_verbs([token]):
            return True
    return False


def _first_that_can_speak(view: EntityView, candidates, after):
    """(mention, verb) of the first verb whose subject can speak; else of one above the first verb
    with a subject at all whose subject can; None when no verb has a subject."""
    first = None
    for verb in candidates:
        verb = reporting_verb(view.ctx, verb)
        mention = view.speaker_of_verb(verb) or _named_between(view, after, verb)
        if mention is None:
            continue
        if can_speak(mention.root):
            return mention, verb
        first = first or (mention, verb)
    return _above(view, *first) if first is not None else None


def _named_between(view: EntityView, after, verb):
    """“…,” Scott's niece, state Del. Marcia “Cia” Price, shouted: the parser gave the verb no subject,
    but the words between the quote and the verb name one."""
    between = [t for t in after if t.i < verb.i]
    if not between or verb.i not in {t.i for t in after}:
        return None
    heads = [t for t in between if not (between[0].i <= t.head.i < verb.i) and can_speak(t)]
    return view.mention_of(heads[0]) if heads else None


def _above(view: EntityView, mention, verb):
    """"I hope America says “…”": America cannot speak; the clause above, whose subject can, is
    what the quote reports. (mention, verb) unchanged when there is none."""
    outer = verb
    for _ in range(4):
        if outer.dep_ not in ("ccomp", "xcomp") or outer.head.i == outer.i:
            break
        outer = outer.head
        subject = view.speaker_of_verb(outer)
        if subject is not None and can_speak(subject.root):
            return subject, verb
    return mention, verb


def sieve(ctx: Context) -> None:
    view = entity_view(ctx)
    for k in ctx.open_quotes():
        if is_nickname(ctx, k):
            continue
        before = leading_tokens(ctx, k)
        after = trailing_tokens(ctx, k)
        candidates = speech_verbs(after)[:1] + speech_verbs(before)[::-1]
        if not _attribution_follows(ctx, k, before, after):
            candidates = speech_verbs(before)[::-1] + speech_verbs(after)[:1]
        governing = {token.i for token in heads_over(ctx, k)}
        candidates.sort(key=lambda verb: verb.i not in governing)  # the quote's own verb first
        chosen = _first_that_can_speak(view, candidates, after)
        if chosen is not None:
            ctx.attribute(k, *chosen, NAME)


SIEVE = Sieve(NAME, sieve, sure=True)
