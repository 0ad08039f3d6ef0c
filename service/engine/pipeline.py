"""From text to ``Result``: find the quotes, parse, run the sieves, name the speakers."""
from __future__ import annotations

import time
from bisect import bisect_left
from collections import deque
from typing import TYPE_CHECKING, Iterable, Iterator, Sequence

from spacy.language import Language
from spacy.tokens import Doc

from . import nlp as nlp_loader
from . import kinds
from .context import Context
from .html import HtmlSource, HtmlText, html_to_text, with_html_offsets
from .markup import clean_name, clean_span, markup_spans
from .marks import QuoteSpan, find_quotes, paragraphs
from .masking import mask_quotes
from .parsing import BATCH_CHARS, parse, parse_many
from .model import Quote, Result, Speaker, SpeakerRef, Span
from .sieve import Sieve, run_sieves
from .sieves import SIEVES
from .speakers import SpeakerIndex

if TYPE_CHECKING:
    from ..settings import Settings


def _span(text: str, start: int, end: int) -> Span:
    return Span(text[start:end], start, end)


def _name_span(text: str, start: int, end: int, markup: list[tuple[int, int]]) -> Span | None:
    """The span of a mention, without markup or quotation marks; None when nothing is left of it."""
    cleaned = clean_span(text, start, end, markup)
    return None if cleaned is None else _span(text, *cleaned)


def _cue_span(text: str, cue) -> Span | None:
    if cue is None:
        return None
    start = cue.idx if hasattr(cue, "idx") else cue.start_char
    end = start + len(cue.text)
    return _span(text, start, end)


def _mentions(own: list[Span], forms: list[Span]) -> list[Span]:
    """A speaker's mentions in order: those its quotes rest on, then the other forms of its name that
    overlap none already kept ("Macron" inside "Mr Macron" is not a second mention), longest first."""
    kept = sorted({(m.start, m.end): m for m in own}.values(), key=lambda m: (m.start, m.end))
    starts = [m.start for m in kept]
    for form in sorted(forms, key=lambda m: (m.start - m.end, m.start)):
        at = bisect_left(starts, form.start)
        if (at < len(kept) and kept[at].start < form.end) or (at > 0 and kept[at - 1].end > form.start):
            continue
        kept.insert(at, form)
        starts.insert(at, form.start)
    return kept


def build_result(text: str, found: list[QuoteSpan], doc: Doc, model: str, started: float,
                 sieves: Sequence[Sieve] = SIEVES) -> Result:
    ctx = Context(text, doc, found, paragraphs(text))
    run_sieves(ctx, sieves)
    sure_methods = {sieve.name for sieve in sieves if sieve.sure}
    index = SpeakerIndex(ctx)
    markup = markup_spans(text)
    quotes: list[Quote] = []
    speaker_ids: dict[str, str] = {}
    speakers: dict[str, Speaker] = {}
    for k, found in enumerate(ctx.quotes):
        quote_type = kinds.quote_type(ctx, k)
        quote = Quote(id=f"q{k}", text=text[found.start:found.end], start=found.start, end=found.end,
                      type=quote_type, paragraph=found.paragraph, group=found.group, confidence=0.2)
        attribution = ctx.attributions.get(k)
        mention = attribution and _name_span(text, attribution.mention.start_char, attribution.mention.end_char,
                                             markup)
        if mention and (attribution.method in sure_methods or not kinds.is_scare_quote(ctx, k)):
            key = index.speaker_of(attribution.mention, attribution.kind)
            if key not in speaker_ids:
                speaker_ids[key] = f"s{len(speaker_ids)}"
            sid = speaker_ids[key]
            quote.speaker = SpeakerRef(sid, "", mention)
            quote.cue = _cue_span(text, attribution.cue)
            quote.method = attribution.method
            confidence = attribution.confidence * (0.5 if kinds.is_scare_quote(ctx, k) else 1.0)
            quote.confidence = round(confidence, 3)
            speaker = speakers.setdefault(key, Speaker(sid, "", index.clusters[key].kind))
            speaker.quote_ids.append(quote.id)
            speaker.mentions.append(quote.speaker.mention)
        quotes.append(quote)
    names: dict[str, str] = {}
    for key, speaker in speakers.items():
        cluster = index.clusters[key]
        speaker.name = names[speaker.id] = clean_name(cluster.name) or speaker.mentions[0].text
        speaker.kind = cluster.kind
        forms = (_name_span(text, form.start_char, form.end_char, markup) for form in cluster.forms)
        speaker.mentions = _mentions(speaker.mentions, [form for form in forms if form is not None])
    for quote in quotes:
        if quote.speaker is not None:
            quote.speaker.name = names[quote.speaker.id]
    elapsed = round((time.perf_counter() - started) * 1000, 3)
    return Result(quotes, sorted(speakers.values(), key=lambda s: int(s.id[1:])), model, len(text), elapsed)


class Engine:
    """A loaded pipeline and the sieves over it: ``Engine.from_settings(settings).extract(text)``."""

    def __init__(self, nlp: Language, sieves: Sequence[Sieve] = SIEVES):
        self.nlp = nlp_loader.prepare(nlp)
        self.sieves = tuple(sieves)
        self.model = nlp_loader.describe(self.nlp)

    @classmethod
    def from_settings(cls, settings: Settings) -> Engine:
        """The engine over the model ``settings`` names (loaded once per process)."""
        return cls(nlp_loader.load(settings.model))

    def model_info(self) -> dict[str, str]:
        """The model's name and version, as ``GET /v1/info`` reports them."""
        return nlp_loader.model_info(self.nlp)

    def extract(self, text: str) -> Result:
        started = time.perf_counter()
        found = find_quotes(text)
        return build_result(text, found, parse(self.nlp, mask_quotes(text, found)), self.model, started,
                            self.sieves)

    def extract_html(self, html: str) -> Result:
        """The quotes of an article given as HTML: ``Result.text`` is the text read from it, and every
        quote, mention and cue also carries its place in the HTML (``html_start``, ``html_end``)."""
        started = time.perf_counter()
        article = html_to_text(html)
        return with_html_offsets(self.extract(article.text), article, started)

    def extract_many(self, texts: Iterable[str | HtmlSource], batch_chars: int = BATCH_CHARS) -> Iterator[Result]:
        """Results for many texts (or ``HtmlSource`` articles), in order, parsed with ``nlp.pipe`` in
        batches of about ``batch_chars`` characters; the texts are read as the results are asked for."""
        prepared: deque[tuple[str, list[QuoteSpan], HtmlText | None, float]] = deque()

        def masked() -> Iterator[str]:
            for item in texts:
                started = time.perf_counter()
                article = html_to_text(item.html) if isinstance(item, HtmlSource) else None
                text = article.text if article is not None else item
                found = find_quotes(text)
                prepared.append((text, found, article, time.perf_counter() - started))
                yield mask_quotes(text, found)

        started = time.perf_counter()
        for doc in parse_many(self.nlp, masked(), batch_chars=batch_chars):
            text, found, article, reading = prepared.popleft()
            result = build_result(text, found, doc, self.model, started - reading, self.sieves)
            yield result if article is None else with_html_offsets(result, article, started - reading)
            started = time.perf_counter()
