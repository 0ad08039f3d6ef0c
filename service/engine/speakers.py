"""Who the speakers are: one entry per distinct speaker, with a canonical name shared by every mention.

"Mr Macron", "Macron" and "President Emmanuel Macron" are one speaker named "Emmanuel Macron";
"he" in “…,” he said is the nearest compatible person before it; "the official" is the nearest
earlier speaker described as an official.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from spacy.tokens import Span

from .context import Context
from .lexicon import (ANONYMOUS_HEADS, FEMALE_WORDS, MALE_WORDS, ORGANIZATION_HEADS, PERSONAL_PRONOUNS,
                      ROLE_HEADS, SPEECH_NOUNS, TITLES)

_DETERMINERS = {"a", "an", "the", "this", "that", "these", "those", "another", "one"}


@dataclass
class Cluster:
    key: str
    kind: str
    forms: list[Span] = field(default_factory=list)  # mentions that name it
    gender: str | None = None

    @property
    def name(self) -> str:
        if self.kind != "person":
            return _description(self.forms[0])
        best = max(self.forms, key=lambda s: (len(_name_words(s)), -s.start_char))
        return " ".join(_name_words(best)) or best.text


def _strip_possessive(word: str) -> str:
    for suffix in ("'s", "’s"):
        if word.lower().endswith(suffix):
            return word[: -len(suffix)]
    return word.rstrip("'’")


def _name_words(span: Span) -> list[str]:
    """The words of a name without titles or determiners: "President Emmanuel Macron" -> Emmanuel Macron."""
    words = [_strip_possessive(t.text) for t in span if not t.is_punct and t.tag_ != "POS"]
    while words and (words[0].lower() in TITLES or words[0].lower() in _DETERMINERS):
        words.pop(0)
    return [w for w in words if w]


def _description(span: Span) -> str:
    """The mention's own words without a leading determiner: "an Elysee official" -> Elysee official."""
    start = span.start
    while start < span.end - 1 and span.doc[start].lower_ in _DETERMINERS:
        start += 1
    return span.doc.text[span.doc[start].idx:span.end_char] if start < span.end else span.text


def _gender(span: Span) -> str | None:
    for token in span.doc[max(0, span.start - 1): span.end]:
        if token.lower_ in MALE_WORDS:
            return "male"
        if token.lower_ in FEMALE_WORDS:
            return "female"
    return None


class SpeakerIndex:
    """Clusters of mentions across one article."""

    def __init__(self, ctx: Context):
        self.ctx = ctx
        self.clusters: dict[str, Cluster] = {}
        # (char offset, cluster key) of people named as the subject of a clause, in order
        self.subject_mentions: list[tuple[int, str]] = []
        self.person_mentions: list[tuple[int, str]] = []
        for ent in ctx.doc.ents:
            if ent.label_ == "PERSON" and not ctx.in_quote(ent.root):
                key = self._add_name(ent, "person")
                if key:
                    self.person_mentions.append((ent.start_char, key))
                    if ent.root.dep_ in ("nsubj", "nsubjpass"):
                        self.subject_mentions.append((ent.start_char, key))
            elif ent.label_ in ("ORG", "NORP", "GPE") and ent.root.dep_ in ("nsubj", "nsubjpass") \
                    and not ctx.in_quote(ent.root):
                self.subject_mentions.append((ent.start_char, self._own(ent, "organization")))

    def _add_name(self, span: Span, kind: str) -> str | None:
        words = _name_words(span)
        if not words:
            return None
        surname = words[-1].lower()
        cluster = self.clusters.get(surname)
        if cluster is None:
            cluster = self.clusters[surname] = Cluster(surname, kind)
        cluster.forms.append(span)
        if cluster.gender is None:
            cluster.gender = _gender(span)
        return surname

    def resolve(self, mention: Span, before: int, spoken: list[tuple[int, str]]) -> str:
        """The cluster key of a speaker mention; ``spoken`` lists earlier speakers as (offset, key)."""
        head = mention.root
        word = head.lower_
        if len(mention) == 1 and word in PERSONAL_PRONOUNS:
            return self._antecedent(PERSONAL_PRONOUNS[word], before, spoken) or self._own(mention, "unknown")
        person = next((e for e in mention.ents if e.label_ == "PERSON" and e.start <= head.i < e.end), None)
        if head.pos_ == "PROPN" or (person is not None and person.root == head):
            return self._add_name(person if person is not None else mention,
                                  "person" if person is not None or head.ent_type_ in ("", "PERSON")
                                  else "organization") or self._own(mention, "unknown")
        if head.ent_type_ in ("ORG", "GPE", "NORP") and head.pos_ == "PROPN":
            return self._own(mention, "organization")
        lemma = head.lemma_.lower()
        definite = mention[0].lower_ in ("the", "this", "that")
        if definite and lemma in ANONYMOUS_HEADS:
            for _, key in reversed(spoken):  # "the official": the last speaker described as an official
                if any(f.root.lemma_.lower() == lemma for f in self.clusters[key].forms):
                    return key
        if definite and lemma in SPEECH_NOUNS and spoken:
            return spoken[-1][1]  # "the statement said": whoever last spoke
        if definite and lemma in ROLE_HEADS:  # "the French leader": the nearest person before it
            key = self._antecedent("person", before, spoken)
            if key is not None:
                return key
        if lemma in ANONYMOUS_HEADS:
            kind = "anonymous"
        elif head.ent_type_ in ("ORG", "GPE", "NORP") or lemma in ORGANIZATION_HEADS:
            kind = "organization"
        else:
            kind = "unknown"
        return self._own(mention, kind)

    def _own(self, mention: Span, kind: str) -> str:
        key = _description(mention).lower()
        cluster = self.clusters.get(key)
        if cluster is None:
            cluster = self.clusters[key] = Cluster(key, kind)
        cluster.forms.append(mention)
        return key

    def _antecedent(self, gender: str, before: int, spoken: list[tuple[int, str]]) -> str | None:
        """The nearest earlier speaker or person named as a subject that agrees with the pronoun;
        failing that, the nearest person named at all."""
        return (self._nearest(gender, before, spoken + self.subject_mentions)
                or self._nearest(gender, before, self.person_mentions))

    def _nearest(self, gender: str, before: int, candidates: list[tuple[int, str]]) -> str | None:
        for offset, key in sorted(candidates, reverse=True):
            if offset >= before:
                continue
            cluster = self.clusters[key]
            if gender in ("male", "female", "person"):
                if cluster.kind != "person" or (gender != "person" and cluster.gender not in (None, gender)):
                    continue
            elif gender in ("plural", "neuter") and cluster.kind == "person":
                continue
            return key
        return None
