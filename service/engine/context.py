"""What the sieves share: the parsed article, its quotes and the attributions decided so far."""
from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field

from spacy.tokens import Doc, Span, Token

from .lexicon import PHRASAL_SPEECH, SPEECH_VERBS
from .marks import Paragraph, QuoteSpan


@dataclass
class Attribution:
    """The speaker of one quote as a sieve decided it."""

    mention: Span  # the words the attribution rests on ("he", "an Elysee official")
    cue: Token | Span | None
    method: str
    confidence: float
    kind: str | None = None  # what the rule itself knows of the speaker ("person" for a transcript label)


@dataclass
class Context:
    text: str
    doc: Doc
    quotes: list[QuoteSpan]
    paragraphs: list[Paragraph]
    attributions: dict[int, Attribution] = field(default_factory=dict)  # quote index -> attribution
    _token_starts: list[int] = field(default_factory=list, repr=False)
    _quote_of_token: list[int] = field(default_factory=list, repr=False)

    def __post_init__(self) -> None:
        self._token_starts = [t.idx for t in self.doc]
        # which quote (outer marks included) each token sits in, or -1
        self._quote_of_token = [-1] * len(self.doc)
        for k, quote in enumerate(self.quotes):
            for i in range(self.token_at(quote.outer_start), self.token_at(quote.outer_end - 1) + 1):
                self._quote_of_token[i] = k

    # --- positions -------------------------------------------------------------------------------
    def token_at(self, char: int) -> int:
        """Index of the token holding character ``char`` (or the one just before it)."""
        return max(0, bisect_right(self._token_starts, char) - 1)

    def tokens_between(self, start: int, end: int) -> range:
        """Token indices that start in text[start:end]."""
        return range(bisect_left(self._token_starts, start), bisect_left(self._token_starts, end))

    def in_quote(self, token: Token) -> bool:
        return self._quote_of_token[token.i] >= 0

    def quote_of(self, token: Token) -> int:
        return self._quote_of_token[token.i]

    def paragraph_of(self, k: int) -> Paragraph:
        return self.paragraphs[self.quotes[k].paragraph]

    # --- state -----------------------------------------------------------------------------------
    def open_quotes(self) -> list[int]:
        """Indices of the quotes no sieve has attributed yet."""
        return [k for k in range(len(self.quotes)) if k not in self.attributions]

    def attribute(self, k: int, mention: Span, cue, method: str, confidence: float, kind: str | None = None) -> None:
        if k not in self.attributions:
            self.attributions[k] = Attribution(mention, cue, method, confidence, kind)

    def share(self, k: int, source: Attribution, method: str, confidence: float, cue=None) -> None:
        """Give quote k the speaker of another quote's attribution."""
        self.attribute(k, source.mention, cue, method, confidence, source.kind)


def is_speech_verb(token: Token) -> bool:
    if token.pos_ not in ("VERB", "AUX") and token.tag_ not in ("VBD", "VBZ", "VBP", "VBG", "VBN", "VB"):
        return False
    lemma = token.lemma_.lower()
    if lemma in SPEECH_VERBS:
        return True
    particles = PHRASAL_SPEECH.get(lemma)
    return bool(particles) and any(c.lower_ in particles for c in token.children)
