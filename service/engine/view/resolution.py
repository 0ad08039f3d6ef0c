"""Whom the mention a quote's attribution rests on stands for: a name for its entity, "he" or "she" for
the nearest compatible entity quoted or named in subject position before it, "the official" for the
last one described as an official, "the mayor" for the person named as mayor, "the statement" for
whoever last spoke, "a statement from the ministry" or "its website" for whoever issued the text.

Asked in the article's order: each speaker resolved is a candidate for the pronouns after it.
"""
from __future__ import annotations

import heapq
from bisect import insort
from itertools import islice
from typing import TYPE_CHECKING

from spacy.tokens import Span, Token

from .grouping import MAX_CANDIDATES, nearest_first
from .lexicon import ANONYMOUS_HEADS, PERSONAL_PRONOUNS, ROLE_HEADS, SPEECH_NOUNS
from .mentions import OWNER_PRONOUNS, issuer, spoken_head
from .names import description_kind
from .phrases import is_relative_who, noun_phrase

if TYPE_CHECKING:
    from .entities import EntityView

_GENDERS = ("male", "female")


class Resolution:
    """The speakers of one article's quotes, resolved in order against its entity view."""

    def __init__(self, view: EntityView):
        self.view = view
        self.ctx = view.ctx
        self.grouping = view.grouping
        # (char offset, key) of the speakers of the quotes resolved so far, sorted
        self.spoken: list[tuple[int, str]] = []
        self._last_spoken: str | None = None

    def speaker_of(self, mention: Span, kind: str | None = None) -> str:
        """The entity key of the mention a quote's attribution rests on; ``kind`` is what the rule
        that found it knows ("person" for a transcript label). Asked in the article's order."""
        before = mention.start_char
        key = self._resolve(mention, before, kind)
        insort(self.spoken, (before, key))
        self._last_spoken = key
        self.grouping.note_head(mention, key)
        return key

    def _resolve(self, mention: Span, before: int, kind: str | None) -> str:
        head = mention.root
        word = head.lower_
        if len(mention) == 1 and is_relative_who(head):  # "who" stands for the noun its clause describes
            antecedent = noun_phrase(self.ctx, head.head.head)
            return self._resolve(antecedent, antecedent.start_char, kind)
        text = spoken_head(mention)
        by = issuer(text) if text is not None else None
        if by is not None and by.lower_ in OWNER_PRONOUNS:  # "its website": the organisation named before
            by = organization_before(self.view, by.idx, groups=by.lower_ == "their")
        if by is not None:  # "a statement from the ministry", "her letter": whoever issued it speaks
            return self._resolve(noun_phrase(self.ctx, by), by.idx, kind)
        if len(mention) == 1 and word in PERSONAL_PRONOUNS:
            return self._pronoun(PERSONAL_PRONOUNS[word], before) or self.grouping.own(mention, "unknown")
        named = self.grouping.named(mention, kind)
        if named is not None:
            return named
        return self._described_by(mention, before) or self.grouping.own(mention, description_kind(mention))

    def _described_by(self, mention: Span, before: int) -> str | None:
        """The entity a definite description stands for: "the official", "the statement", "the mayor"."""
        if mention[0].lower_ not in ("the", "this", "that"):
            return None
        lemma = mention.root.lemma_.lower()
        if lemma in ANONYMOUS_HEADS:
            key = self._described(lemma, before)  # "the official": the last one described as an official
            if key is not None:
                return key
        if lemma in SPEECH_NOUNS and self._last_spoken is not None:
            return self._last_spoken  # "the statement said": whoever last spoke
        if lemma in ROLE_HEADS:  # "the mayor": the person named as mayor, else the nearest
            return self._role_holder(lemma, before) or self._antecedent("person", before)
        return None

    def _described(self, lemma: str, before: int) -> str | None:
        """The nearest earlier mention with this head: a speaker's, or an unnamed source's outside quotes."""
        named = next(nearest_first(self.grouping.by_head.get(lemma, []), before), None)
        described = next(nearest_first(self.view.descriptions.get(lemma, []), before), None)
        if described is not None and (named is None or described[0] > named[0]):
            return self.grouping.own(noun_phrase(self.ctx, self.ctx.doc[described[1]]), "anonymous")
        return named[1] if named is not None else None

    def _role_holder(self, lemma: str, before: int) -> str | None:
        """The nearest earlier person whose name the article gives with this role ("Mayor Olivia Chow",
        "Chow, the mayor")."""
        for _offset, key in islice(nearest_first(self.view.person_mentions, before), MAX_CANDIDATES):
            for form in self.grouping.entities[key].forms[:5]:
                doc = form.doc
                around = doc[max(0, form.start - 2):min(len(doc), form.end + 4)]
                if any(t.lemma_.lower() == lemma for t in around):
                    return key
        return None

    def _pronoun(self, gender: str, before: int) -> str | None:
        """The entity "he" or "she" stands for, which from then on has that gender."""
        key = self._antecedent(gender, before)
        entity = self.grouping.entities.get(key) if key is not None else None
        if entity is not None and entity.kind == "person" and entity.gender is None and gender in _GENDERS:
            entity.gender = gender
        return key

    def _antecedent(self, gender: str, before: int) -> str | None:
        """The nearest earlier speaker or person named as a subject that agrees with the pronoun;
        failing that, the nearest person named at all."""
        return (self._nearest(gender, before, self.spoken, self.view.subject_mentions)
                or self._nearest(gender, before, self.view.person_mentions))

    def _nearest(self, gender: str, before: int, *lists: list[tuple[int, str]]) -> str | None:
        candidates = heapq.merge(*(nearest_first(entries, before) for entries in lists), reverse=True)
        for _offset, key in islice(candidates, MAX_CANDIDATES):
            entity = self.grouping.entities[key]
            if gender in ("male", "female", "person"):
                # a description whose word gives the gender ("the spokeswoman") is a person too
                described = gender in _GENDERS and entity.kind != "person" and entity.gender == gender
                if (entity.kind != "person" and not described) \
                        or (gender != "person" and entity.gender not in (None, gender)):
                    continue
            elif gender in ("plural", "neuter") and entity.kind == "person" \
                    or gender == "plural" and entity.kind == "document":
                continue  # "they" is a group or an organisation, never one person or a text
            return key
        return None


def organization_before(view: EntityView, offset: int, groups: bool = False) -> Token | None:
    """The head of the nearest organisation before ``offset`` outside quotes: one the recogniser names,
    or an organisation that is the subject of a clause ("the union met …"), or with ``groups`` people
    spoken of as a group ("the protesters marched"); a people's adjective ("American soldiers") is
    none. It is whom "its website" or "their statement" stands for."""
    ctx = view.ctx
    named = next((ent.root for ent in reversed(ctx.doc.ents) if ent.end_char <= offset
                  and (ent.label_ == "ORG" or ent.label_ == "NORP" and ent.root.dep_ not in ("amod", "compound"))
                  and not ctx.in_quote(ent.root)), None)
    for mention in islice(view.before(offset), MAX_CANDIDATES):
        if named is not None and mention.start < named.idx:
            break
        if mention.pronoun is None and (description_kind(mention.span) == "organization"
                                        or groups and mention.span.root.tag_ == "NNS"):
            return mention.span.root
    return named
