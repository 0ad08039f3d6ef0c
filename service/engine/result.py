"""Plain data the engine returns: no spaCy objects, no Flask."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

QuoteType = Literal["direct", "partial", "indirect"]
SpeakerKind = Literal["person", "organization", "anonymous", "document", "unknown"]


@dataclass(frozen=True)
class Span:
    """A stretch of the article: ``article[start:end] == text``; for an article given as HTML, also
    where it lies in the HTML (``html_start``, ``html_end``)."""

    text: str
    start: int
    end: int
    html_start: int | None = None
    html_end: int | None = None


@dataclass
class SpeakerRef:
    """The speaker of one quote: the canonical speaker and the mention the attribution rests on."""

    id: str
    name: str
    mention: Span


@dataclass
class Quote:
    id: str
    text: str
    start: int
    end: int
    type: QuoteType
    paragraph: int
    group: int
    confidence: float
    speaker: SpeakerRef | None = None
    cue: Span | None = None
    method: str | None = None
    html_start: int | None = None
    html_end: int | None = None


@dataclass
class Speaker:
    id: str
    name: str
    kind: SpeakerKind
    mentions: list[Span] = field(default_factory=list)
    quote_ids: list[str] = field(default_factory=list)


@dataclass
class Result:
    quotes: list[Quote]
    speakers: list[Speaker]
    model: str
    characters: int
    elapsed_ms: float
    text: str | None = None  # the text extracted from an article given as HTML
