"""A noun that carries someone's words beside the quote: ``Her response: “…”``, ``“…” was the reply
of the minister``, ``In Mr Lee's words, “…”``. The speaker is the noun's owner."""
from __future__ import annotations

from ...view.context import Context
from ...view.entities import entity_view
from ...view.lexicon import NOUN_CUES, can_speak
from ...view.phrases import leading_tokens, trailing_tokens
from ..sieve import Sieve

NAME = "noun_cue"


def _owner(ctx: Context, noun):
    """Whose words the noun names: its possessor ("her reply"), or the object of "of"/"from"."""
    for child in ctx.children(noun):
        if child.dep_ == "poss" and can_speak(child) and not ctx.in_quote(child):
            return child
        if child.dep_ == "prep" and child.lower_ in ("of", "from"):
            objects = [c for c in ctx.children(child) if c.dep_ == "pobj" and not ctx.in_quote(c)]
            if objects and can_speak(objects[0]):
                return objects[0]
    return None


def sieve(ctx: Context) -> None:
    view = entity_view(ctx)
    for k in ctx.open_quotes():
        for token in trailing_tokens(ctx, k) + leading_tokens(ctx, k)[::-1]:
            if token.pos_ != "NOUN" or token.lemma_.lower() not in NOUN_CUES:
                continue
            owner = _owner(ctx, token)
            if owner is not None:
                ctx.attribute(k, view.mention_of(owner), token, NAME)
                break


SIEVE = Sieve(NAME, sieve)
