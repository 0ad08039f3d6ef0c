"""The article's entity view: every mention outside quotes that could be a speaker, in order.

A mention enters when it is the subject of a clause (of a verb of saying or of any other verb: the
person the article has moved on to is the subject of its narration) and it can speak: a name, a
personal pronoun, a description of a person, group or organisation, or a text that speaks for one.
People named anywhere (not only as subjects) enter too, marked as not in subject position.

Sieves ask it who the article was last talking about before a quote: ``last_subject(before, floor)``
is the most recent mention in subject position, so that a quote standing alone after
"Councillor Dana Price told reporters the bylaw was outdated." goes to Price and not to whoever
was quoted before. Built once per article (``entity_view(ctx)``); every look-up is a bisection.
"""
from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass

from spacy.tokens import Span

from .context import Context
from .lexicon import PERSONAL_PRONOUNS, can_speak
from .phrases import noun_phrase

_SUBJECT_DEPS = ("nsubj", "nsubjpass")
# Pronouns that stand for someone named earlier, with what they say of that someone.
_NOT_ANTECEDENTS = {"i", "you", "we", "it"}


@dataclass(frozen=True)
class Mention:
    span: Span
    start: int  # character offset
    subject: bool  # the subject of a clause
    pronoun: str | None  # "male", "female", "plural" for he, she, they; None for a name or description

    @property
    def is_person_name(self) -> bool:
        return self.span.root.ent_type_ == "PERSON" or self.span.root.pos_ == "PROPN"


class EntityView:
    def __init__(self, ctx: Context):
        self.ctx = ctx
        self.mentions: list[Mention] = []
        people = {e.start: e for e in ctx.doc.ents if e.label_ == "PERSON"}
        for token in ctx.doc:
            subject = token.dep_ in _SUBJECT_DEPS
            if (not subject and token.i not in people) or ctx.in_quote(token):
                continue
            if subject and token.head.pos_ in ("VERB", "AUX") and can_speak(token):
                word = token.lower_
                if token.pos_ == "PRON" and word in _NOT_ANTECEDENTS:
                    continue
                span = noun_phrase(ctx, token)
                self.mentions.append(Mention(span, span.start_char, True, PERSONAL_PRONOUNS.get(word)))
            elif token.i in people and people[token.i].root.dep_ not in _SUBJECT_DEPS:
                span = people[token.i]
                self.mentions.append(Mention(span, span.start_char, False, None))
        self.mentions.sort(key=lambda m: m.start)
        self._starts = [m.start for m in self.mentions]

    def before(self, offset: int, floor: int = 0):
        """Mentions starting in text[floor:offset], nearest first."""
        stop = bisect_left(self._starts, offset)
        start = bisect_left(self._starts, floor)
        for i in range(stop - 1, start - 1, -1):
            yield self.mentions[i]

    def last_subject(self, offset: int, floor: int = 0) -> Mention | None:
        """The most recent mention in subject position before ``offset`` (not before ``floor``)."""
        return next((m for m in self.before(offset, floor) if m.subject), None)


def entity_view(ctx: Context) -> EntityView:
    view = ctx.memo.get("entity_view")
    if view is None:
        view = ctx.memo["entity_view"] = EntityView(ctx)
    return view
