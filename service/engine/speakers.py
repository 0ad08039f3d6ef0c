"""Who the speakers are: one entry per distinct speaker, with a canonical name shared by every mention.

"Mr Macron", "Macron" and "President Emmanuel Macron" are one speaker named "Emmanuel Macron";
"he" in “…,” he said is the nearest compatible person before it; "the official" is the nearest
earlier mention described as an official, quoted or not.

Names are cut from the article's own text (the parser saw quoted sentences replaced by stand-ins),
so "Jean-Noel Barrot" keeps its hyphen. Every look-up is a bisection over offsets sorted once, or a
walk back over a bounded number of candidates, so the cost per quote does not grow with the article.
"""
from __future__ import annotations

import heapq
from bisect import bisect_left, insort
from dataclasses import dataclass, field
from itertools import islice
from typing import Iterator

from spacy.tokens import Span, Token

from .context import Context
from .lexicon import (ANONYMOUS_HEADS, VOX_POP, FEMALE_NAMES, FEMALE_WORDS, MALE_NAMES, MALE_WORDS, ORGANIZATION_HEADS,
                      PERSONAL_PRONOUNS, ROLE_HEADS, SPEECH_NOUNS, TITLES)
from .mentions import is_document, issuer, spoken_head
from .phrases import is_relative_who, noun_phrase

_DETERMINERS = {"a", "an", "the", "this", "that", "these", "those", "another", "one"}
_SUBJECT_DEPS = ("nsubj", "nsubjpass")
# Titles that only people bear ("General" and "Chief" also open names of companies).
_PERSONAL_TITLES = MALE_WORDS | FEMALE_WORDS | {
    "dr", "dr.", "prof", "prof.", "president", "senator", "sen", "sen.", "rep", "rep.", "gov", "gov.",
    "governor", "mayor", "chancellor", "minister", "secretary", "judge", "pope", "spokesman", "spokeswoman"}
# How many earlier candidates a pronoun or a role looks at before giving up.
_MAX_CANDIDATES = 50


def _strip_possessive(word: str) -> str:
    for suffix in ("'s", "’s"):
        if word.lower().endswith(suffix):
            return word[: -len(suffix)]
    return word.rstrip("'’")


def _is_word(token: Token) -> bool:
    return any(c.isalnum() for c in token.text)


def _name_tokens(span: Span) -> list[Token]:
    """The tokens of a name without titles, determiners and a possessive: "President Emmanuel Macron's"
    -> Emmanuel Macron."""
    tokens = [t for t in span if t.tag_ != "POS"]
    while tokens and (tokens[0].lower_ in TITLES or tokens[0].lower_ in _DETERMINERS or not _is_word(tokens[0])):
        tokens.pop(0)
    while tokens and not _is_word(tokens[-1]):
        tokens.pop()
    return tokens


def _name_text(text: str, span: Span) -> str:
    """The name as the article writes it (hyphens, accents and all), on one line."""
    tokens = _name_tokens(span)
    if not tokens:
        return ""
    last = tokens[-1]
    return " ".join(_strip_possessive(text[tokens[0].idx:last.idx + len(last.text)]).split())


def _description(text: str, span: Span) -> str:
    """The mention's own words without a leading determiner or a trailing possessive: "an Elysee
    official" -> Elysee official, "the network's" -> network; "one of the leaked emails" stays whole."""
    start, end = span.start, span.end
    while start < end - 1 and span.doc[start].lower_ in _DETERMINERS and span.doc[start + 1].lower_ != "of":
        start += 1
    while end - 1 > start and span.doc[end - 1].tag_ == "POS":
        end -= 1
    words = " ".join(text[span.doc[start].idx:span.doc[end - 1].idx + len(span.doc[end - 1])].split())
    return _strip_possessive(words) or span.text


def _first_name(text: str, span: Span) -> str:
    tokens = _name_tokens(span)
    if len(tokens) < 2:
        return ""
    words = text[tokens[0].idx:tokens[-1].idx].split()
    return words[0].lower() if words else ""


def _gender(text: str, span: Span) -> str | None:
    """From a title or word next to the name (Mr, Queen, his wife), else from a common first name."""
    for token in span.doc[max(0, span.start - 1): span.end]:
        if token.lower_ in MALE_WORDS:
            return "male"
        if token.lower_ in FEMALE_WORDS:
            return "female"
    first = _first_name(text, span)
    if first in FEMALE_NAMES:
        return "female"
    if first in MALE_NAMES:
        return "male"
    return None


@dataclass
class Cluster:
    key: str
    kind: str
    text: str = field(repr=False)
    forms: list[Span] = field(default_factory=list)  # mentions that name it
    gender: str | None = None

    @property
    def name(self) -> str:
        if self.kind != "person":
            return _description(self.text, self.forms[0])
        best = max(self.forms, key=lambda s: (sum(map(_is_word, _name_tokens(s))), -s.start_char))
        return _name_text(self.text, best) or " ".join(best.text.split())


def _before(entries: list[tuple[int, str]], offset: int) -> Iterator[tuple[int, str]]:
    """The entries of a list sorted by offset that lie before ``offset``, nearest first."""
    for i in range(bisect_left(entries, (offset,)) - 1, -1, -1):
        yield entries[i]


class SpeakerIndex:
    """Clusters of mentions across one article."""

    def __init__(self, ctx: Context):
        self.ctx = ctx
        self.text = ctx.text
        self.clusters: dict[str, Cluster] = {}
        # (char offset, cluster key), sorted: people named as the subject of a clause (or organisations)
        self.subject_mentions: list[tuple[int, str]] = []
        # ... people named anywhere outside quotes
        self.person_mentions: list[tuple[int, str]] = []
        # ... the speakers of the quotes resolved so far
        self.spoken: list[tuple[int, str]] = []
        self._last_spoken: str | None = None
        # head lemma ("official") -> (offset, key) of mentions with that head, sorted
        self._by_head: dict[str, list[tuple[int, str]]] = {}
        # head lemma -> (offset, token index) of unnamed sources that are the subject of a clause
        self._descriptions: dict[str, list[tuple[int, int]]] = {}
        self._entity_at: dict[int, Span] = {}  # token index -> the named entity holding it
        for ent in ctx.doc.ents:
            for i in range(ent.start, ent.end):
                self._entity_at[i] = ent
            if ctx.in_quote(ent.root):
                continue
            if ent.label_ == "PERSON":
                key = self._add_name(ent, "person")
                if key:
                    self.person_mentions.append((ent.start_char, key))
                    if _is_subject(ent.root):
                        self.subject_mentions.append((ent.start_char, key))
            elif ent.label_ in ("ORG", "NORP", "GPE") and ent.root.dep_ in _SUBJECT_DEPS:
                self.subject_mentions.append((ent.start_char, self._own(ent, "organization")))
        for token in ctx.doc:
            lemma = token.lemma_.lower()
            if lemma in ANONYMOUS_HEADS and token.dep_ in _SUBJECT_DEPS and not ctx.in_quote(token):
                self._descriptions.setdefault(lemma, []).append((token.idx, token.i))

    # --- building clusters -----------------------------------------------------------------------
    def _add_name(self, span: Span, kind: str) -> str | None:
        tokens = _name_tokens(span)
        if not tokens:
            return None
        surname = _strip_possessive(tokens[-1].text).lower()
        cluster = self.clusters.get(surname)
        if cluster is None:
            cluster = self.clusters[surname] = Cluster(surname, kind, self.text)
        elif kind == "person":
            cluster.kind = "person"
        cluster.forms.append(span)
        if cluster.gender is None:
            cluster.gender = _gender(self.text, span)
        return surname

    def _own(self, mention: Span, kind: str) -> str:
        key = _description(self.text, mention).lower()
        cluster = self.clusters.get(key)
        if cluster is None:
            cluster = self.clusters[key] = Cluster(key, kind, self.text)
        cluster.forms.append(mention)
        self._note_head(mention, key)
        return key

    def _note_head(self, mention: Span, key: str) -> None:
        lemma = mention.root.lemma_.lower()
        if lemma in ANONYMOUS_HEADS:
            insort(self._by_head.setdefault(lemma, []), (mention.start_char, key))

    # --- resolving the speaker of a quote --------------------------------------------------------
    def speaker_of(self, mention: Span, kind: str | None = None) -> str:
        """The cluster key of the mention a quote's attribution rests on; ``kind`` is what the rule
        that found it knows ("person" for a transcript label)."""
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
        if by is not None:  # "a statement from the ministry", "her letter": whoever issued it speaks
            return self._resolve(noun_phrase(self.ctx, by), by.idx, kind)
        if len(mention) == 1 and word in PERSONAL_PRONOUNS:
            return self._antecedent(PERSONAL_PRONOUNS[word], before) or self._own(mention, "unknown")
        entity = self._entity_at.get(head.i)
        person = entity if entity is not None and entity.label_ == "PERSON" \
            and mention.start <= entity.start and entity.end <= mention.end else None
        # the small model tags some surnames as common nouns naming an organisation ("Trump said he was …")
        misread = head.pos_ == "NOUN" and head.ent_type_ in ("ORG", "NORP", "GPE") and head.text[:1].isupper() \
            and self._named_person(mention)
        if head.pos_ == "PROPN" or misread or (person is not None and person.root == head):
            named = person if person is not None else mention
            is_person = person is not None or misread or kind == "person" or head.ent_type_ in ("", "PERSON") \
                or self._named_person(named)
            return self._add_name(named, "person" if is_person else "organization") \
                or self._own(mention, "unknown")
        lemma = head.lemma_.lower()
        definite = mention[0].lower_ in ("the", "this", "that")
        if definite and lemma in ANONYMOUS_HEADS:
            key = self._described(lemma, before)  # "the official": the last one described as an official
            if key is not None:
                return key
        if definite and lemma in SPEECH_NOUNS and self._last_spoken is not None:
            return self._last_spoken  # "the statement said": whoever last spoke
        if definite and lemma in ROLE_HEADS:  # "the mayor": the person named as mayor, else the nearest
            key = self._role_holder(lemma, before) or self._antecedent("person", before)
            if key is not None:
                return key
        if text is not None and is_document(text):
            kind = "document"
        elif lemma in ANONYMOUS_HEADS or mention[0].lower_ in VOX_POP:
            kind = "anonymous"
        elif head.ent_type_ in ("ORG", "GPE", "NORP") or lemma in ORGANIZATION_HEADS:
            kind = "organization"
        else:
            kind = "unknown"
        return self._own(mention, kind)

    def _named_person(self, span: Span) -> bool:
        """Is a name the recogniser took for an organisation a person's? It is when a title or a
        common first name goes with it, when the article names a person so elsewhere, or when the
        speaker goes on as "he" or "she" (Trump said he was …)."""
        previous = span.doc[span.start - 1] if span.start > 0 else None
        if any(t.lower_ in _PERSONAL_TITLES for t in span) or (previous is not None and previous.lower_ in
                                                                 _PERSONAL_TITLES):
            return True
        if _gender(self.text, span) is not None:
            return True
        tokens = _name_tokens(span)
        cluster = self.clusters.get(_strip_possessive(tokens[-1].text).lower()) if tokens else None
        if cluster is not None and cluster.kind == "person":
            return True
        root = span.root
        if root.dep_ in _SUBJECT_DEPS:
            verb = root.head
            for token in span.doc[verb.i + 1:verb.i + 4]:
                if token.lower_ in ("he", "she") and token.dep_ in _SUBJECT_DEPS and token.head.dep_ == "ccomp" \
                        and token.head.head.i == verb.i:
                    return True
        return False

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
                if cluster.kind != "person" or (gender != "person" and cluster.gender not in (None, gender)):
                    continue
            elif gender in ("plural", "neuter") and cluster.kind == "person":
                continue
            return key
        return None


def _is_subject(token: Token) -> bool:
    """The subject of a clause, or a name joined to one ("Angela Merkel and Emmanuel Macron met")."""
    if token.dep_ in _SUBJECT_DEPS:
        return True
    return token.dep_ == "conj" and token.head.dep_ in _SUBJECT_DEPS
