"""``Cruz: Trump Would Put Liberals On Court, ‘I Fear The Same Thing Is True’``: a headline or
paragraph that opens with a short name and a colon gives the quote in it to that name."""
from __future__ import annotations

from ...view.context import Context
from ...view.entities import EntityView, entity_view
from ..sieve import Sieve

NAME = "headline_label"
_MAX_LABEL_TOKENS = 5


def _label(view: EntityView, k: int):
    """The name before the colon that opens quote k's paragraph, or None."""
    ctx = view.ctx
    quote, para = ctx.quotes[k], ctx.paragraph_of(k)
    colon = ctx.text.find(":", para.start, quote.outer_start)
    if colon < 0:
        return None
    tokens = [ctx.doc[i] for i in ctx.tokens_between(para.start, colon)]
    if not 0 < len(tokens) <= _MAX_LABEL_TOKENS or not tokens[0].text[:1].isupper() \
            or any(t.pos_ in ("VERB", "AUX") or ctx.in_quote(t) for t in tokens):
        return None
    name = []
    for token in tokens:
        if token.pos_ == "ADP":
            break  # "CNN President On Trump:" is CNN's president
        name.append(token)
    owner = next((t for t in name if t.dep_ == "poss"), None)  # "Republicans' reaction:"
    if owner is not None:
        return view.mention_of(owner)
    if not name or not any(t.pos_ == "PROPN" or t.ent_type_ in ("PERSON", "ORG", "NORP")
                           or (t.pos_ == "NOUN" and t.text[:1].isupper()) for t in name):
        return None
    return ctx.doc[name[0].i:name[-1].i + 1]


def sieve(ctx: Context) -> None:
    view = entity_view(ctx)
    for k in ctx.open_quotes():
        label = _label(view, k)
        if label is not None:
            ctx.attribute(k, label, None, NAME)


SIEVE = Sieve(NAME, sieve)
