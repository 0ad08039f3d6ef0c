"""Which mentions are one entity: named mentions grouped by surname, descriptions by their own words.

"Mr Macron", "Macron" and "President Emmanuel Macron" are one entity, keyed by the surname; its gender
is the first the article's own words give (Mr, Ms, his wife, a first name). People who share a surname
are told apart by first name (Bill and Hillary Clinton): a bare "Clinton" is the first one named,
"Mrs. Clinton" the nearest of that gender. A half of a hyphenated surname joins the whole only when
nobody else bears it ("Anne O'Rourke-Benoit" … "Benoit" is Marc Benoit's once Marc Benoit is named); a
first name alone joins the one person the article gave it to. Descriptions and documents are entities
of their own words, with the gender their word gives ("the spokeswoman", "a congressman").
"""
from __future__ import annotations

from bisect import bisect_left, insort
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import islice

from spacy.tokens import Span, Token

from .lexicon import ANONYMOUS_HEADS, FEMALE_NOUNS, MALE_NOUNS
from .names import (
    description,
    first_name,
    gender_of,
    is_person_name,
    is_word,
    name_text,
    name_tokens,
    surname,
    surname_parts,
)

# How many earlier candidates a pronoun, a role or a family name looks at before giving up.
MAX_CANDIDATES = 50


@dataclass
class Entity:
    """The mentions that name one speaker, under one key."""

    key: str
    kind: str
    text: str = field(repr=False)
    forms: list[Span] = field(default_factory=list)  # mentions that name it
    gender: str | None = None

    @property
    def name(self) -> str:
        if self.kind != "person":
            return description(self.text, self.forms[0])
        best = max(self.forms, key=lambda s: (sum(map(is_word, name_tokens(s))), -s.start_char))
        return name_text(self.text, best) or " ".join(best.text.split())


def nearest_first(entries: list[tuple[int, str]], offset: int) -> Iterator[tuple[int, str]]:
    """The entries of a list sorted by offset that lie before ``offset``, nearest first."""
    for i in range(bisect_left(entries, (offset,)) - 1, -1, -1):
        yield entries[i]


def gender_of_word(head: Token) -> str | None:
    """The gender a description's own word gives: "the spokeswoman", "a congressman", "the actress"."""
    if head.tag_ != "NN":  # one person: "the women" is no antecedent for "she"
        return None
    lemma = head.lemma_.lower()
    return "male" if lemma in MALE_NOUNS else "female" if lemma in FEMALE_NOUNS else None


class Grouping:
    """One article's entities, as its mentions are added in order."""

    def __init__(self, text: str, entity_at: dict[int, Span]):
        self.text = text
        self.entity_at = entity_at  # token index -> the named entity holding it
        self.entities: dict[str, Entity] = {}
        self._parts: dict[str, str] = {}  # a half of a hyphenated surname -> the whole's key
        self._first_of: dict[str, str] = {}  # key -> the first name the article gives it
        self._first_names: dict[str, str | None] = {}  # first name -> its bearer's key; None when several
        # surname -> (offset, key) of the full names bearing it, sorted: Donald and Ivanka Trump
        self._families: dict[str, list[tuple[int, str]]] = {}
        # head lemma ("official") -> (offset, key) of mentions with that head, sorted
        self.by_head: dict[str, list[tuple[int, str]]] = {}

    def add_name(self, span: Span, kind: str) -> str | None:
        """The key of the entity a name joins (made when new); None when the span holds no name."""
        key = surname(self.text, span)
        if not key:
            return None
        if kind == "person":
            key = self._person_key(span, key)
        entity = self.entities.get(key)
        if entity is None:
            entity = self.entities[key] = Entity(key, kind, self.text)
            for part in surname_parts(key):
                self._parts.setdefault(part, key)
        elif kind == "person":
            entity.kind = "person"
        entity.forms.append(span)
        if entity.gender is None:
            entity.gender = gender_of(self.text, span)
        return key

    def _person_key(self, span: Span, key: str) -> str:
        """The entity a person's name joins: a full name by its first name among those who share the
        surname; a short form the nearest earlier bearer of it; a single word the person whose surname,
        half of a hyphenated surname or first name (as the article pairs them) it is."""
        first = first_name(self.text, span)
        if first:
            return self._full_name_key(span, key, first)
        if key not in self.entities:
            return self._parts.get(key) or self._first_names.get(key) or key
        return self._family_member(span, key)

    def _full_name_key(self, span: Span, key: str, first: str) -> str:
        owner = self._first_of.setdefault(key, first)
        family = key
        if owner != first:
            key = f"{first} {key}"  # "Ivanka Trump" after "Donald Trump": someone else
            self._first_of.setdefault(key, first)
        insort(self._families.setdefault(family, []), (span.start_char, key))
        bearer = self._first_names.setdefault(first, key)
        if bearer != key:
            self._first_names[first] = None
        return key

    def _family_member(self, span: Span, key: str) -> str:
        """"Mrs. Clinton": the nearest earlier full name with this surname whose gender fits; a bare
        "Trump" is the first one the article named so."""
        gender = gender_of(self.text, span)
        if gender is None:
            return key
        for _offset, member in islice(nearest_first(self._families.get(key, []), span.start_char), MAX_CANDIDATES):
            if self.entities[member].gender in (None, gender):
                return member
        return key

    def own(self, mention: Span, kind: str) -> str:
        """The key of the entity a mention that is no name stands for by its own words."""
        key = description(self.text, mention).lower()
        entity = self.entities.get(key)
        if entity is None:
            entity = self.entities[key] = Entity(key, kind, self.text, gender=gender_of_word(mention.root))
        entity.forms.append(mention)
        self.note_head(mention, key)
        return key

    def note_head(self, mention: Span, key: str) -> None:
        """Remember a mention of an unnamed source by its head ("official"), for "the official" after."""
        lemma = mention.root.lemma_.lower()
        if lemma in ANONYMOUS_HEADS:
            insort(self.by_head.setdefault(lemma, []), (mention.start_char, key))

    def known_person(self, key: str) -> bool:
        """Does the article name a person so: by this surname, or by this first name paired with one?"""
        entity = self.entities.get(key)
        return (entity is not None and entity.kind == "person") or bool(self._first_names.get(key))

    def named(self, mention: Span, kind: str | None) -> str | None:
        """The entity a name stands for (added when new); None when the mention is no name."""
        head = mention.root
        entity = self.entity_at.get(head.i)
        person = entity if entity is not None and entity.label_ == "PERSON" \
            and mention.start <= entity.start and entity.end <= mention.end else None
        # the small model tags some surnames as common nouns naming an organisation ("Trump said he was …")
        misread = head.pos_ == "NOUN" and head.ent_type_ in ("ORG", "NORP", "GPE") and head.text[:1].isupper() \
            and is_person_name(self.text, mention, self.known_person)
        if not (head.pos_ == "PROPN" or misread or (person is not None and person.root == head)):
            return None
        named = person if person is not None else mention
        is_person = person is not None or misread or kind == "person" or head.ent_type_ in ("", "PERSON") \
            or is_person_name(self.text, named, self.known_person)
        return self.add_name(named, "person" if is_person else "organization") or self.own(mention, "unknown")
