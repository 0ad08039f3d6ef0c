"""The article's entity view: who could speak, which mentions are one entity, and whom a pronoun or a
description stands for. Sieves ask it for their candidates; the speakers are named from it.

Mentions: every mention outside quotes that could be a speaker, in order. A mention enters when it is
the subject of a clause (of a verb of saying or of any other verb: the person the article has moved on
to is the subject of its narration) and it can speak: a name, a personal pronoun, a description of a
person, group or organisation, or a text that speaks for one. People named anywhere (not only as
subjects) enter too, marked as not in subject position; so do the speech verbs outside quotes. Groups
named as subjects ("the protesters", "officials") are entities too, for a "they" after them.

The view has three parts: the queries here (what the sieves ask: the last subject before a place,
whether the narration has moved on, the speaker a verb reports, the last person named); the grouping
of mentions into entities (``grouping.py``); and the resolution of the mention a quote rests on to
its entity (``resolution.py``).

Built once per article (``entity_view(ctx)``); every look-up is a bisection over offsets sorted once,
or a walk back over a bounded number of candidates, so the cost per quote does not grow with the article.
"""
from __future__ import annotations

from bisect import bisect_left, bisect_right, insort
from dataclasses import dataclass
from functools import cached_property

from spacy.tokens import Span, Token

from .context import Context, is_speech_verb
from .grouping import Entity, Grouping
from .lexicon import ANONYMOUS_HEADS, ORGANIZATION_HEADS, PEOPLE_HEADS, PERSONAL_PRONOUNS, ROLE_HEADS, can_speak
from .mentions import is_speaker_mention
from .names import surname
from .phrases import noun_phrase, speaker_from_verb, subject_of
from .resolution import Resolution
from .tags import SUBJECT_DEPS

# Pronouns that stand for someone named earlier, with what they say of that someone.
_NOT_ANTECEDENTS = {"i", "you", "we", "it"}
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


def _is_group(token: Token) -> bool:
    """A plural common noun that names people or an organisation: "the protesters", "officials"."""
    return token.tag_ == "NNS" and token.lemma_.lower() in _GROUP_HEADS


def _in_main_clause(verb: Token) -> bool:
    """Is the verb its sentence's main verb, or joined to it ("Carter smiled and said …")?"""
    return verb.dep_ == "ROOT" or (verb.dep_ == "conj" and verb.head.dep_ == "ROOT")


def _is_subject(token: Token) -> bool:
    """The subject of a clause, or a name joined to one ("Angela Merkel and Emmanuel Macron met")."""
    if token.dep_ in SUBJECT_DEPS:
        return True
    return token.dep_ == "conj" and token.head.dep_ in SUBJECT_DEPS


class EntityView:
    """One article's mentions and entities; ``speaker_of`` is asked in the article's order."""

    def entity(self, key: str) -> Entity:
        return self.grouping.entities[key]

    def speaker_of(self, mention: Span, kind: str | None = None) -> str:
        """The key of the entity the mention a quote's attribution rests on stands for (``resolution``)."""
        return self.resolution.speaker_of(mention, kind)

    def __init__(self, ctx: Context):
        self.ctx = ctx
        self.text = ctx.text
        self._subjects: list[Token] = []  # subjects outside quotes that can speak, in order
        self.speech_verbs: list[int] = []  # token indices of the verbs of saying outside quotes
        self._entity_at: dict[int, Span] = {}  # token index -> the named entity holding it
        self.grouping = Grouping(ctx.text, self._entity_at)
        # (char offset, entity key), sorted: people named as the subject of a clause (or organisations)
        self.subject_mentions: list[tuple[int, str]] = []
        # ... people named anywhere outside quotes
        self.person_mentions: list[tuple[int, str]] = []
        self.people: list[Span] = []  # their spans, in order
        # head lemma -> (offset, token index) of unnamed sources that are the subject of a clause
        self.descriptions: dict[str, list[tuple[int, int]]] = {}
        self._add_entities()
        self._add_tokens()
        self._add_named_subjects()
        self._person_ends = [span.end_char for span in self.people]
        self.resolution = Resolution(self)

    def _add_entities(self) -> None:
        ctx = self.ctx
        for ent in ctx.doc.ents:
            for i in range(ent.start, ent.end):
                self._entity_at[i] = ent
            if ctx.in_quote(ent.root):
                continue
            if ent.label_ == "PERSON":
                self.people.append(ent)
                key = self.grouping.add_name(ent, "person")
                if key:
                    self.person_mentions.append((ent.start_char, key))
                    if _is_subject(ent.root):
                        self.subject_mentions.append((ent.start_char, key))
            elif ent.label_ in ("ORG", "NORP", "GPE") and ent.root.dep_ in SUBJECT_DEPS:
                self.subject_mentions.append((ent.start_char, self.grouping.own(ent, "organization")))

    def _add_tokens(self) -> None:
        ctx = self.ctx
        for token in ctx.doc:
            if ctx.in_quote(token):
                continue
            if is_speech_verb(token):
                self.speech_verbs.append(token.i)
            if token.dep_ not in SUBJECT_DEPS:
                continue
            lemma = token.lemma_.lower()
            if lemma in ANONYMOUS_HEADS:
                self.descriptions.setdefault(lemma, []).append((token.idx, token.i))
            if token.head.pos_ in ("VERB", "AUX") and can_speak(token) \
                    and not (token.pos_ == "PRON" and token.lower_ in _NOT_ANTECEDENTS):
                self._subjects.append(token)
                if _is_group(token):  # "the protesters", "officials": whom a "they" after may stand for
                    insort(self.subject_mentions, (token.idx, self.grouping.own(noun_phrase(ctx, token), "anonymous")))

    def _add_named_subjects(self) -> None:
        """Subjects the recogniser did not take for people but that carry a surname the article gives a
        person elsewhere ("Lynch announced …" after "Loretta Lynch"): candidates for the pronouns after."""
        for token in self._subjects:
            if token.pos_ == "PROPN" and token.ent_type_ != "PERSON" and self.grouping.known_person(token.lower_):
                span = noun_phrase(self.ctx, token)
                key = surname(self.text, span)
                if self.grouping.known_person(key):
                    insort(self.subject_mentions, (span.start_char, self.grouping.add_name(span, "person")))

    @cached_property
    def mentions(self) -> list[Mention]:
        """The subjects that can speak and the people named elsewhere, in order (made when first asked)."""
        mentions = [Mention(span, span.start_char, False, None) for span in self.people
                    if span.root.dep_ not in SUBJECT_DEPS]
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

    def speaker_of_verb(self, verb: Token, checked: bool = True) -> Span | None:
        """The mention of whoever ``verb`` says spoke ("Macron said", "said one voter", "was asked by
        Baker"), when it can be a speaker's mention; None when the verb names nobody who can. With
        ``checked=False``, whatever the parse names, whether or not it can speak."""
        mention = speaker_from_verb(self.ctx, verb)
        return mention if mention is not None and (not checked or is_speaker_mention(mention)) else None

    def subject_of(self, verb: Token) -> Span | None:
        """The mention of ``verb``'s subject outside quotes, whether or not the verb is one of saying."""
        subject = subject_of(self.ctx, verb)
        return self.mention_of(subject) if subject is not None and not self.ctx.in_quote(subject) else None

    def words(self, start: int, end: int, alignment_mode: str = "strict") -> Span | None:
        """The tokens of text[start:end] as a mention (a label, a credit); None when they do not align."""
        return self.ctx.doc.char_span(start, end, alignment_mode=alignment_mode)

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


def entity_view(ctx: Context) -> EntityView:
    """The article's entity view, made when first asked for and kept in the context."""
    if ctx.entity_view is None:
        ctx.entity_view = EntityView(ctx)
    return ctx.entity_view
