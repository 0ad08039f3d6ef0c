"""What the sieves share: the parsed article, its quotes and the attributions decided so far.

Also what the sieves look up for every quote, built once per article so that no look-up costs more
as the article grows: token offsets, the quote each token is in, sentence starts, each token's
children, the nearest earlier attributed quote; and, filled as they are first asked for, the noun
phrase each head stands for, the speaker each verb reports, each quote's type and the entity view.
spaCy's own ``Token.sent`` and ``Token.children`` walk the whole sentence or subtree on every call.
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

from spacy.tokens import Doc, Span, Token

from ..text.marks import Paragraph, QuoteSpan
from .lexicon import PHRASAL_SPEECH, SPEECH_VERBS
from .mentions import document_mention, is_speaker_mention, text_that_reads

if TYPE_CHECKING:
    from .entities import EntityView

_LETTER = re.compile(r"[^\W\d_]")  # what str.isalpha() accepts, counted in C


@dataclass
class Attribution:
    """The speaker of one quote as a sieve decided it."""

    mention: Span  # the words the attribution rests on ("he", "an Elysee official")
    cue: Token | Span | None
    method: str  # the name of the sieve that decided
    kind: str | None = None  # what the rule itself knows of the speaker ("person" for a transcript label)


@dataclass
class Context:
    text: str
    doc: Doc
    quotes: list[QuoteSpan]
    paragraphs: list[Paragraph]
    attributions: dict[int, Attribution] = field(default_factory=dict)  # quote index -> attribution
    # Filled as they are first asked for (``view.phrases``, ``attribution.quote_types``, ``view.entities``):
    noun_phrases: dict[int, Span] = field(default_factory=dict, repr=False)  # head token -> its mention
    verb_speakers: dict[int, Span | None] = field(default_factory=dict, repr=False)  # verb token -> speaker
    quote_types: dict[int, str] = field(default_factory=dict, repr=False)  # first quote of a group -> type
    entity_view: EntityView | None = field(default=None, repr=False)
    _token_starts: list[int] = field(default_factory=list, repr=False)
    _quote_of_token: list[int] = field(default_factory=list, repr=False)
    _sentence_starts: list[int] = field(default_factory=list, repr=False)
    _children: list[list[int]] | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        self._token_starts = [t.idx for t in self.doc]
        # which quote (outer marks included) each token sits in, or -1
        self._quote_of_token = [-1] * len(self.doc)
        for k, quote in enumerate(self.quotes):
            for i in range(self.token_at(quote.outer_start), self.token_at(quote.outer_end - 1) + 1):
                self._quote_of_token[i] = k
        self._sentence_starts = [t.i for t in self.doc if t.is_sent_start] if len(self.doc) else []
        if self._sentence_starts[:1] != [0] and len(self.doc):
            self._sentence_starts.insert(0, 0)

    # --- positions -------------------------------------------------------------------------------
    def token_at(self, char: int) -> int:
        """Index of the token holding character ``char`` (or the one just before it)."""
        return max(0, bisect_right(self._token_starts, char) - 1)

    def tokens_between(self, start: int, end: int) -> range:
        """Token indices that start in text[start:end]."""
        return range(bisect_left(self._token_starts, start), bisect_left(self._token_starts, end))

    def sentence(self, token: Token) -> range:
        """Indices of the tokens in ``token``'s sentence."""
        at = bisect_right(self._sentence_starts, token.i) - 1
        end = self._sentence_starts[at + 1] if at + 1 < len(self._sentence_starts) else len(self.doc)
        return range(self._sentence_starts[at], end)

    def same_sentence(self, a: Token, b: Token) -> bool:
        return bisect_right(self._sentence_starts, a.i) == bisect_right(self._sentence_starts, b.i)

    def children(self, token: Token) -> list[Token]:
        """``token.children``, from lists built in one pass over the article."""
        if self._children is None:
            self._children = [[] for _ in range(len(self.doc))]
            for t in self.doc:
                if t.head.i != t.i:
                    self._children[t.head.i].append(t.i)
        return [self.doc[i] for i in self._children[token.i]]

    def in_quote(self, token: Token) -> bool:
        return self._quote_of_token[token.i] >= 0

    def quote_of(self, token: Token) -> int:
        return self._quote_of_token[token.i]

    def paragraph_of(self, k: int) -> Paragraph:
        return self.paragraphs[self.quotes[k].paragraph]

    def paragraph_at(self, char: int) -> int:
        """The index of the paragraph holding character ``char``."""
        return self.paragraphs[max(0, bisect_right(self.paragraph_starts, char) - 1)].index

    @cached_property
    def paragraph_starts(self) -> list[int]:
        return [para.start for para in self.paragraphs]

    @cached_property
    def quote_ends(self) -> list[int]:
        """Where each quote ends, closing mark included, in order."""
        return [quote.outer_end for quote in self.quotes]

    @cached_property
    def first_of_group(self) -> list[int]:
        """For each quote, the first part of the quotation it belongs to (parts are consecutive)."""
        firsts: list[int] = []
        for j, quote in enumerate(self.quotes):
            same = j > 0 and self.quotes[j - 1].group == quote.group
            firsts.append(firsts[j - 1] if same else j)
        return firsts

    def letters(self, start: int, end: int) -> int:
        """How many letters text[start:end] holds."""
        return len(_LETTER.findall(self.text, start, end))

    def stands_alone(self, k: int) -> bool:
        """Does quote k stand alone in its paragraph, with no words of the writer's around it (or none
        that make a clause)?"""
        quote = self.quotes[k]
        outside = self.paragraph_letters[quote.paragraph] - self.letters(quote.outer_start, quote.outer_end)
        return outside < 3 or quote.paragraph in self.paragraphs_without_clauses

    @cached_property
    def paragraph_letters(self) -> list[int]:
        return [self.letters(para.start, para.end) for para in self.paragraphs]

    @cached_property
    def paragraphs_without_clauses(self) -> set[int]:
        """Paragraphs with no verb or name outside quotes."""
        out = set()
        for para in self.paragraphs:
            tokens = (self.doc[i] for i in self.tokens_between(para.start, para.end))
            if not any(not self.in_quote(t) and t.pos_ in ("VERB", "PROPN") for t in tokens):
                out.add(para.index)
        return out

    # --- state -----------------------------------------------------------------------------------
    def open_quotes(self) -> list[int]:
        """Indices of the quotes no sieve has attributed yet."""
        return [k for k in range(len(self.quotes)) if k not in self.attributions]

    def open_quotes_after_attributed(self):
        """(k, j) for each quote k no sieve has attributed yet, in order, with j the nearest earlier
        attributed quote (None if there is none); attributions made while iterating count."""
        last = None
        for k in range(len(self.quotes)):
            if k not in self.attributions:
                yield k, last
            if k in self.attributions:
                last = k

    def attribute(self, k: int, mention: Span, cue, method: str, kind: str | None = None) -> None:
        """Quote k's speaker, unless a sieve decided it already or the mention cannot be a speaker's
        (the quote is then left to the sieves after). A text's mention is cut to the words naming it
        ("a statement" of "a statement from the ministry")."""
        mention = document_mention(mention)
        if k not in self.attributions and is_speaker_mention(mention, capitals=method == "transcript_label"):
            self.attributions[k] = Attribution(mention, cue, method, kind)

    def share(self, k: int, source: Attribution, method: str, cue=None) -> None:
        """Give quote k the speaker of another quote's attribution."""
        self.attribute(k, source.mention, cue, method, source.kind)


def is_speech_verb(token: Token) -> bool:
    if token.pos_ not in ("VERB", "AUX") and token.tag_ not in ("VBD", "VBZ", "VBP", "VBG", "VBN", "VB"):
        return text_that_reads(token) is not None
    lemma = token.lemma_.lower()
    if lemma in SPEECH_VERBS or _stem_in_lexicon(token.lower_):
        return True
    particles = PHRASAL_SPEECH.get(lemma)
    # the particle follows the verb closely ("pointed out", "put it bluntly", "went on")
    return bool(particles) and any(c.head.i == token.i and c.lower_ in particles
                                   for c in token.doc[token.i + 1:token.i + 4])


def _stem_in_lexicon(word: str) -> bool:
    """The word's own form undone, for verbs the lemmatizer gets wrong ("sniped" -> "snip")."""
    for suffix in ("ed", "d", "es", "s"):
        if word.endswith(suffix) and len(word) > len(suffix) + 2:
            stem = word[:-len(suffix)]
            if stem in SPEECH_VERBS:
                return True
    return False
