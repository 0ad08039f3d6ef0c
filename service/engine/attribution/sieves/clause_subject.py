"""A quote set in a sentence of the writer's with no verb of saying: the subject of the clause that
holds it. ``Sanders credited Clinton's victory to “a closed primary …”`` is Sanders's, not Clinton's;
in ``Hoover estimated that the plan would leave “…”`` the plan cannot speak, so the quote goes up to
the clause whose subject can: Hoover's."""
from __future__ import annotations

from ...view.context import Context
from ...view.entities import entity_view
from ...view.lexicon import can_speak
from ...view.phrases import heads_over
from ...view.tags import MODIFIER_DEPS
from ..quote_types import names_something
from ..sieve import Sieve

NAME = "clause_subject"


def _verbs_above(ctx: Context, k: int) -> list:
    """The verbs outside the quote that its words hang from, nearest first, within its sentence; none
    when they name or qualify a noun first (Leaders of the “coalition of the willing” met: a term)."""
    verbs, below = [], ctx.doc[ctx.token_at(ctx.quotes[k].start)]
    for token in heads_over(ctx, k):
        if not ctx.in_quote(token) and token.pos_ in ("VERB", "AUX"):
            verbs.append(token)
        elif not ctx.in_quote(token) and token.pos_ in ("NOUN", "PROPN") and not verbs \
                and (below.lower_ == "of" or below.dep_ in MODIFIER_DEPS):
            return []
        below = token
    return verbs


def sieve(ctx: Context) -> None:
    view = entity_view(ctx)
    for k in ctx.open_quotes():
        if names_something(ctx, k):
            continue
        mentions = [m for m in map(view.speaker_of_verb, _verbs_above(ctx, k))
                    if m is not None and m[0].lower_ not in ("it", "this", "that")]
        if mentions:
            ctx.attribute(k, next((m for m in mentions if can_speak(m.root)), mentions[0]), None, NAME)


SIEVE = Sieve(NAME, sieve)
