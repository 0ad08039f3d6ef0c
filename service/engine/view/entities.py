"""The article's entity view: who could speak, which mentions are one entity, and whom a pronoun or a
description stands for.

Mentions: every mention outside quotes that could be a speaker, in order. A mention enters when it is
the subject of a clause (of a verb of saying or of any other verb: the person the article has moved on
to is the subject of its narration) and it can speak: a name, a personal pronoun, a description of a
person, group or organisation, or a text that speaks for one. People named anywhere (not only as
subjects) enter too, marked as not in subject position; so do the speech verbs outside quotes.

Entities: named mentions grouped by surname ("Mr Macron", "Macron", "President Emmanuel Macron"), with
a gender where the article's own words show one (Mr, Ms, his wife, a first name it gives, "he" or "she"
said of the person). People who share a surname are told apart by first name (Bill and Hillary
Clinton): a bare "Clinton" is the first one named, "Mrs. Clinton" the nearest of that gender. A half of
a hyphenated surname joins the whole only when nobody else bears it ("Anne O'Rourke-Benoit" … "Benoit"
is Marc Benoit's once Marc Benoit is named); a first name alone joins the one person the article gave
it to. Descriptions and documents are entities of their own words, with the gender their word gives
("the spokeswoman", "a congressman"); groups named as subjects ("the protesters", "officials") are
entities too, for a "they" after them, which never stands for one person or a text.

Salience: ``last_subject`` is whom the narration was last about; a pronoun stands for the nearest
compatible entity quoted or named in subject position before it, "the official" for the last one
described as an official, "the mayor" for the person named as mayor.

Built once per article (``entity_view(ctx)``); every look-up is a bisection over offsets sorted once,
or a walk back over a bounded number of candidates, so the cost per quote does not grow with the article.
"""
from __future__ import annotations

import heapq
from bisect import bisect_left, bisect_right, insort
from dataclasses import dataclass
from functools import cached_property
from itertools import islice
from typing import Iterator

from spacy.tokens import Span, Token

from .context import Context, is_speech_verb
from .lexicon import (ANONYMOUS_HEADS, FEMALE_NOUNS, MALE_NOUNS, ORGANIZATION_HEADS, PEOPLE_HEADS, PERSONAL_PRONOUNS,
                      ROLE_HEADS, SPEECH_NOUNS, can_speak)
from .mentions import OWNER_PRONOUNS, is_speaker_mention, issuer, spoken_head
from .phrases import is_relative_who, noun_phrase, speaker_from_verb
from .names import (Cluster, description, description_kind, first_name, gender_of, is_person_name, surname,
                       surname_parts)

_SUBJECT_DEPS = ("nsubj", "nsubjpass")
# Pronouns that stand for someone named earlier, with what they say of that someone.
_NOT_ANTECEDENTS = {"i", "you", "we", "it"}
# How many earlier candidates a pronoun or a role looks at before giving up.
_MAX_CANDIDATES = 50
_GENDERS = ("male", "female")
PERSON_HEADS = ROLE_HEADS | ANONYMOUS_HEADS
_GROUP_HEADS = PEOPLE_HEADS | ANONYMOUS_HEADS | ORGANIZATION_HEADS


@dataclass(frozen=True)
class Mention:
    span: Span
    start: int  # character offset
    subject: bool  # the subject of a clause
    pronoun: str | None  # "male", "female", "plural" for he, she, they; None for a name or description
    main: bool = False  # the subject of its sentence's main clause, not of a clause it reports or embeds

    @property
    def is_name(self) -> bool:
        """The mention's head is a person's name or another proper noun."""
        return self.span.root.ent_type_ == "PERSON" or self.span.root.pos_ == "PROPN"

    @property
    def is_person(self) -> bool:
        """"he", "she", a person's name, or a description of a person ("the mayor", "an official")."""
        root = self.span.root
        return self.pronoun in _GENDERS or root.ent_type_ == "PERSON" \
            or root.pos_ == "NOUN" and root.lemma_.lower() in PERSON_HEADS


def _gender_of_word(head: Token) -> str | None:
    """The gender a description's own word gives: "the spokeswoman", "a congressman", "the actress"."""
    if head.tag_ != "NN":  # one person: "the women" is no antecedent for "she"
        return None
    lemma = head.lemma_.lower()
    return "male" if lemma in MALE_NOUNS else "female" if lemma in FEMALE_NOUNS else None


def _is_group(token: Token) -> bool:
    """A plural common noun that names people or an organisation: "the protesters", "officials"."""
    return token.tag_ == "NNS" and token.lemma_.lower() in _GROUP_HEADS


def _before(entries: list[tuple[int, str]], offset: int) -> Iterator[tuple[int, str]]:
    """The entries of a list sorted by offset that lie before ``offset``, nearest first."""
    for i in range(bisect_left(entries, (offset,)) - 1, -1, -1):
        yield entries[i]


def _in_main_clause(verb: Token) -> bool:
    """Is the verb its sentence's main verb, or joined to it ("Carter smiled and said …")?"""
    return verb.dep_ == "ROOT" or (verb.dep_ == "conj" and verb.head.dep_ == "ROOT")


def _is_subject(token: Token) -> bool:
    """The subject of a clause, or a name joined to one ("Angela Merkel and Emmanuel Macron met")."""
    if token.dep_ in _SUBJECT_DEPS:
        return True
    return token.dep_ == "conj" and token.head.dep_ in _SUBJECT_DEPS


class EntityView:
    """One article's mentions and entities; ``speaker_of`` is asked in the article's order."""

    def __init__(self, ctx: Context):
        self.ctx = ctx
        self.text = ctx.text
        self._subjects: list[Token] = []  # subjects outside quotes that can speak, in order
        self.speech_verbs: list[int] = []  # token indices of the verbs of saying outside quotes
        self.clusters: dict[str, Cluster] = {}
        self._parts: dict[str, str] = {}  # a half of a hyphenated surname -> the whole's cluster key
        self._first_of: dict[str, str] = {}  # cluster key -> the first name the article gives it
        self._first_names: dict[str, str | None] = {}  # first name -> its bearer's key; None when several
        # surname -> (offset, cluster key) of the full names bearing it, sorted: Donald and Ivanka Trump
        self._families: dict[str, list[tuple[int, str]]] = {}
        # (char offset, cluster key), sorted: people named as the subject of a clause (or organisations)
        self.subject_mentions: list[tuple[int, str]] = []
        # ... people named anywhere outside quotes
        self.person_mentions: list[tuple[int, str]] = []
        self.people: list[Span] = []  # their spans, in order
        # ... the speakers of the quotes resolved so far
        self.spoken: list[tuple[int, str]] = []
        self._last_spoken: str | None = None
        # head lemma ("official") -> (offset, key) of mentions with that head, sorted
        self._by_head: dict[str, list[tuple[int, str]]] = {}
        # head lemma -> (offset, token index) of unnamed sources that are the subject of a clause
        self._descriptions: dict[str, list[tuple[int, int]]] = {}
        self._entity_at: dict[int, Span] = {}  # token index -> the named entity holding it
        self._add_entities()
        self._add_tokens()
        self._add_named_subjects()
        self._person_ends = [span.end_char for span in self.people]

    def _add_entities(self) -> None:
        ctx = self.ctx
        for ent in ctx.doc.ents:
            for i in range(ent.start, ent.end):
                self._entity_at[i] = ent
            if ctx.in_quote(ent.root):
                continue
            if ent.label_ == "PERSON":
                self.people.append(ent)
                key = self._add_name(ent, "person")
                if key:
                    self.person_mentions.append((ent.start_char, key))
                    if _is_subject(ent.root):
                        self.subject_mentions.append((ent.start_char, key))
            elif ent.label_ in ("ORG", "NORP", "GPE") and ent.root.dep_ in _SUBJECT_DEPS:
                self.subject_mentions.append((ent.start_char, self._own(ent, "organization")))

    def _add_tokens(self) -> None:
        ctx = self.ctx
        for token in ctx.doc:
            if ctx.in_quote(token):
                continue
            if is_speech_verb(token):
                self.speech_verbs.append(token.i)
            if token.dep_ not in _SUBJECT_DEPS:
                continue
            lemma = token.lemma_.lower()
            if lemma in ANONYMOUS_HEADS:
                self._descriptions.setdefault(lemma, []).append((token.idx, token.i))
            if token.head.pos_ in ("VERB", "AUX") and can_speak(token) \
                    and not (token.pos_ == "PRON" and token.lower_ in _NOT_ANTECEDENTS):
                self._subjects.append(token)
                if _is_group(token):  # "the protesters", "officials": whom a "they" after may stand for
                    insort(self.subject_mentions, (token.idx, self._own(noun_phrase(ctx, token), "anonymous")))

    def _add_named_subjects(self) -> None:
        """Subjects the recogniser did not take for people but that carry a surname the article gives a
        person elsewhere ("Lynch announced …" after "Loretta Lynch"): candidates for the pronouns after."""
        for token in self._subjects:
            if token.pos_ == "PROPN" and token.ent_type_ != "PERSON" and self._known_person(token.lower_):
                span = noun_phrase(self.ctx, token)
                key = surname(self.text, span)
                if self._known_person(key):
                    insort(self.subject_mentions, (span.start_char, self._add_name(span, "person")))

    @cached_property
    def mentions(self) -> list[Mention]:
        """The subjects that can speak and the people named elsewhere, in order (made when first asked)."""
        mentions = [Mention(span, span.start_char, False, None) for span in self.people
                    if span.root.dep_ not in _SUBJECT_DEPS]
        for token in self._subjects:
            span = self.mention_of(token)
            mentions.append(Mention(span, span.start_char, True, PERSONAL_PRONOUNS.get(token.lower_),
                                    _in_main_clause(token.head)))
        return sorted(mentions, key=lambda m: m.start)

    @cached_property
    def _starts(self) -> list[int]:
        return [m.start for m in self.mentions]

    # --- what the sieves ask ---------------------------------------------------------------------
    def before(self, offset: int, floor: int = 0):
        """Mentions starting in text[floor:offset], nearest first."""
        stop = bisect_left(self._starts, offset)
        start = bisect_left(self._starts, floor)
        for i in range(stop - 1, start - 1, -1):
            yield self.mentions[i]

    def mention_of(self, head: Token) -> Span:
        """The view's mention headed by ``head``: the noun phrase it holds for that subject."""
        return noun_phrase(self.ctx, head)

    def speaker_of_verb(self, verb: Token) -> Span | None:
        """The mention of whoever ``verb`` says spoke ("Macron said", "said one voter", "was asked by
        Baker"), when it can be a speaker's mention; None when the verb names nobody who can."""
        mention = speaker_from_verb(self.ctx, verb)
        return mention if mention is not None and is_speaker_mention(mention) else None

    def last_subject(self, offset: int, floor: int = 0, main: bool = False) -> Mention | None:
        """The most recent mention in subject position before ``offset`` (not before ``floor``); with
        ``main``, of a main clause ("Carter said that critics …" is about Carter, not the critics)."""
        return next((m for m in self.before(offset, floor) if m.subject and (m.main or not main)), None)

    def moved_on(self, previous: int, offset: int) -> Mention | None:
        """The subject of a main clause the narration turned to after quote ``previous`` and its
        attribution (“…,” Chow said. Dana Price disagreed.), before ``offset``."""
        floor = max(self.ctx.quotes[previous].outer_end, self.ctx.attributions[previous].mention.end_char)
        return self.last_subject(offset, floor, main=True)

    def last_person(self, offset: int, floor: int = 0) -> Span | None:
        """The last person named outside quotes who ends before ``offset`` and starts at ``floor`` or after."""
        at = bisect_right(self._person_ends, offset) - 1
        return self.people[at] if at >= 0 and self.people[at].start_char >= floor else None

    def speech_verbs_between(self, start: int, end: int) -> list[int]:
        """Token indices of the verbs of saying outside quotes in text[start:end], in order."""
        tokens = self.ctx.tokens_between(start, end)
        return self.speech_verbs[bisect_left(self.speech_verbs, tokens.start):
                                 bisect_left(self.speech_verbs, tokens.stop)]

    # --- grouping mentions into entities ----------------------------------------------------------
    def _add_name(self, span: Span, kind: str) -> str | None:
        key = surname(self.text, span)
        if not key:
            return None
        if kind == "person":
            key = self._person_key(span, key)
        cluster = self.clusters.get(key)
        if cluster is None:
            cluster = self.clusters[key] = Cluster(key, kind, self.text)
            for part in surname_parts(key):
                self._parts.setdefault(part, key)
        elif kind == "person":
            cluster.kind = "person"
        cluster.forms.append(span)
        if cluster.gender is None:
            cluster.gender = gender_of(self.text, span)
        return key

    def _person_key(self, span: Span, key: str) -> str:
        """The entity a person's name joins: a full name by its first name among those who share the
        surname; a short form the nearest earlier bearer of it; a single word the person whose surname,
        half of a hyphenated surname or first name (as the article pairs them) it is."""
        first = first_name(self.text, span)
        if first:
            return self._full_name_key(span, key, first)
        if key not in self.clusters:
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
        for _offset, member in islice(_before(self._families.get(key, []), span.start_char), _MAX_CANDIDATES):
            if self.clusters[member].gender in (None, gender):
                return member
        return key

    def _own(self, mention: Span, kind: str) -> str:
        key = description(self.text, mention).lower()
        cluster = self.clusters.get(key)
        if cluster is None:
            cluster = self.clusters[key] = Cluster(key, kind, self.text, gender=_gender_of_word(mention.root))
        cluster.forms.append(mention)
        self._note_head(mention, key)
        return key

    def _note_head(self, mention: Span, key: str) -> None:
        lemma = mention.root.lemma_.lower()
        if lemma in ANONYMOUS_HEADS:
            insort(self._by_head.setdefault(lemma, []), (mention.start_char, key))

    def _known_person(self, key: str) -> bool:
        """Does the article name a person so: by this surname, or by this first name paired with one?"""
        cluster = self.clusters.get(key)
        return (cluster is not None and cluster.kind == "person") or bool(self._first_names.get(key))

    # --- resolving the speaker of a quote --------------------------------------------------------
    def speaker_of(self, mention: Span, kind: str | None = None) -> str:
        """The cluster key of the mention a quote's attribution rests on; ``kind`` is what the rule
        that found it knows ("person" for a transcript label). Asked in the article's order."""
        before = mention.start_char
        key = self._resolve(mention, before, kind)
        insort(self.spoken, (before, key))
        self._last_spoken = key
        self._note_head(mention, key)
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
            by = organization_before(self, by.idx, groups=by.lower_ == "their")
        if by is not None:  # "a statement from the ministry", "her letter": whoever issued it speaks
            return self._resolve(noun_phrase(self.ctx, by), by.idx, kind)
        if len(mention) == 1 and word in PERSONAL_PRONOUNS:
            return self._pronoun(PERSONAL_PRONOUNS[word], before) or self._own(mention, "unknown")
        named = self._named(mention, kind)
        if named is not None:
            return named
        return self._described_by(mention, before) or self._own(mention, description_kind(mention))

    def _named(self, mention: Span, kind: str | None) -> str | None:
        """The entity a name stands for (added when new); None when the mention is no name."""
        head = mention.root
        entity = self._entity_at.get(head.i)
        person = entity if entity is not None and entity.label_ == "PERSON" \
            and mention.start <= entity.start and entity.end <= mention.end else None
        # the small model tags some surnames as common nouns naming an organisation ("Trump said he was …")
        misread = head.pos_ == "NOUN" and head.ent_type_ in ("ORG", "NORP", "GPE") and head.text[:1].isupper() \
            and is_person_name(self.text, mention, self._known_person)
        if not (head.pos_ == "PROPN" or misread or (person is not None and person.root == head)):
            return None
        named = person if person is not None else mention
        is_person = person is not None or misread or kind == "person" or head.ent_type_ in ("", "PERSON") \
            or is_person_name(self.text, named, self._known_person)
        return self._add_name(named, "person" if is_person else "organization") or self._own(mention, "unknown")

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
        named = next(_before(self._by_head.get(lemma, []), before), None)
        described = next(_before(self._descriptions.get(lemma, []), before), None)
        if described is not None and (named is None or described[0] > named[0]):
            return self._own(noun_phrase(self.ctx, self.ctx.doc[described[1]]), "anonymous")
        return named[1] if named is not None else None

    def _role_holder(self, lemma: str, before: int) -> str | None:
        """The nearest earlier person whose name the article gives with this role ("Mayor Olivia Chow",
        "Chow, the mayor")."""
        for _offset, key in islice(_before(self.person_mentions, before), _MAX_CANDIDATES):
            for form in self.clusters[key].forms[:5]:
                doc = form.doc
                around = doc[max(0, form.start - 2):min(len(doc), form.end + 4)]
                if any(t.lemma_.lower() == lemma for t in around):
                    return key
        return None

    def _pronoun(self, gender: str, before: int) -> str | None:
        """The entity "he" or "she" stands for, which from then on has that gender."""
        key = self._antecedent(gender, before)
        cluster = self.clusters.get(key) if key is not None else None
        if cluster is not None and cluster.kind == "person" and cluster.gender is None and gender in _GENDERS:
            cluster.gender = gender
        return key

    def _antecedent(self, gender: str, before: int) -> str | None:
        """The nearest earlier speaker or person named as a subject that agrees with the pronoun;
        failing that, the nearest person named at all."""
        return (self._nearest(gender, before, self.spoken, self.subject_mentions)
                or self._nearest(gender, before, self.person_mentions))

    def _nearest(self, gender: str, before: int, *lists: list[tuple[int, str]]) -> str | None:
        candidates = heapq.merge(*(_before(entries, before) for entries in lists), reverse=True)
        for _offset, key in islice(candidates, _MAX_CANDIDATES):
            cluster = self.clusters[key]
            if gender in ("male", "female", "person"):
                # a description whose word gives the gender ("the spokeswoman") is a person too
                described = gender in _GENDERS and cluster.kind != "person" and cluster.gender == gender
                if (cluster.kind != "person" and not described) \
                        or (gender != "person" and cluster.gender not in (None, gender)):
                    continue
            elif gender in ("plural", "neuter") and cluster.kind == "person" \
                    or gender == "plural" and cluster.kind == "document":
                continue  # "they" is a group or an organisation, never one person or a text
            return key
        return None


def entity_view(ctx: Context) -> EntityView:
    view = ctx.memo.get("entity_view")
    if view is None:
        view = ctx.memo["entity_view"] = EntityView(ctx)
    return view


def organization_before(view: EntityView, offset: int, groups: bool = False) -> Token | None:
    """The head of the nearest organisation before ``offset`` outside quotes: one the recogniser names,
    or an organisation that is the subject of a clause ("the union met …"), or with ``groups`` people
    spoken of as a group ("the protesters marched"); a people's adjective ("American soldiers") is
    none. It is whom "its website" or "their statement" stands for."""
    ctx = view.ctx
    named = next((ent.root for ent in reversed(ctx.doc.ents) if ent.end_char <= offset
                  and (ent.label_ == "ORG" or ent.label_ == "NORP" and ent.root.dep_ not in ("amod", "compound"))
                  and not ctx.in_quote(ent.root)), None)
    for mention in islice(view.before(offset), _MAX_CANDIDATES):
        if named is not None and mention.start < named.idx:
            break
        if mention.pronoun is None and (description_kind(mention.span) == "organization"
                                        or groups and mention.span.root.tag_ == "NNS"):
            return mention.span.root
    return named

