"""From text to ``Result``: find the quotes, parse, run the sieves, name the speakers."""
from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Collection, Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING

from spacy.language import Language
from spacy.tokens import Doc

from . import indirect
from .article import Article
from .attribution import quote_types
from .attribution.confidence import quote_confidence
from .attribution.naming import Speakers, cue_span
from .attribution.sieve import Sieve, run_sieves
from .attribution.sieves import SIEVES
from .deadline import Deadline, check
from .nlp import attributes, memory
from .nlp import loading as nlp_loader
from .nlp.parsing import BATCH_CHARS, parse, parse_many
from .result import Quote, Result
from .text.html import with_html_offsets
from .text.marks import QuoteSpan, find_quotes, paragraphs
from .text.masking import mask_quotes
from .view.context import Context

if TYPE_CHECKING:
    from ..settings import Settings


def _direct_quote(ctx: Context, k: int, speakers: Speakers, sieves: dict[str, Sieve]) -> Quote:
    found = ctx.quotes[k]
    quote = Quote(id=f"q{k}", text=ctx.text[found.start:found.end], start=found.start, end=found.end,
                  type=quote_types.quote_type(ctx, k), paragraph=found.paragraph, group=found.group, confidence=0.2)
    attribution = ctx.attributions.get(k)
    span = attribution and speakers.mention(attribution.mention)
    sieve = sieves[attribution.method] if attribution is not None else None
    if span and (sieve.sure or not quote_types.is_scare_quote(ctx, k)) \
            and not quote_types.is_unspoken_term(ctx, k, attribution.cue, quote_types.SCARE_QUOTE_MAX_WORDS):
        speakers.attach(quote, attribution.mention, span, attribution.kind)
        quote.cue = cue_span(ctx.text, attribution.cue)
        quote.method = attribution.method
        quote.confidence = quote_confidence(ctx, k, attribution, sieve)
    return quote


def _reported_quotes(ctx: Context, report: indirect.Report, first_id: int, group: int,
                     speakers: Speakers) -> list[Quote]:
    span = speakers.mention(report.mention) if report.mention is not None else None
    quotes = []
    for n, (start, end) in enumerate(report.parts):
        quote = Quote(id=f"q{first_id + n}", text=ctx.text[start:end], start=start, end=end, type="indirect",
                      paragraph=ctx.paragraph_at(start), group=group,
                      confidence=report.confidence if span is not None else 0.3,
                      cue=cue_span(ctx.text, report.cue), method=report.method)
        if span is not None:
            speakers.attach(quote, report.mention, span, None)
        quotes.append(quote)
    return quotes


def build_result(text: str, found: list[QuoteSpan], doc: Doc, model: str, started: float,
                 sieves: Sequence[Sieve] = SIEVES, include: Collection[str] = (),
                 deadline: Deadline | None = None) -> Result:
    """The result for one parsed article; ``include`` may ask for ``"indirect"`` (reported speech)."""
    ctx = Context(text, doc, found, paragraphs(text))
    run_sieves(ctx, sieves, deadline)
    check(deadline, "before naming the speakers")
    by_name = {sieve.name: sieve for sieve in sieves}
    speakers = Speakers(ctx)
    reports = indirect.find_reports(ctx) if "indirect" in include else []
    # speakers are resolved in the order of the article, so that reported speech names candidates for
    # the quotes after it ("he said" after "Price told reporters the plan was dead")
    order = sorted([(q.start, 0, k) for k, q in enumerate(found)] + [(r.parts[0][0], 1, n) for n, r in
                                                                      enumerate(reports)])
    direct: dict[int, Quote] = {}
    reported: dict[int, list[Quote]] = {}
    next_id, next_group = len(found), max((q.group for q in found), default=-1) + 1
    for _start, is_report, n in order:
        if not is_report:
            direct[n] = _direct_quote(ctx, n, speakers, by_name)
            continue
        reported[n] = _reported_quotes(ctx, reports[n], next_id, next_group, speakers)
        next_id += len(reported[n])
        next_group += 1
    quotes = [direct[k] for k in range(len(found))] + [q for n in range(len(reports)) for q in reported[n]]
    elapsed = round((time.perf_counter() - started) * 1000, 3)
    return Result(quotes, speakers.named(quotes), model, len(text), elapsed)


class Engine:
    """A loaded pipeline and the sieves over it: ``Engine.from_settings(settings).extract(text)``."""

    def __init__(self, nlp: Language, sieves: Sequence[Sieve] = SIEVES):
        self.nlp = nlp_loader.prepare(nlp)
        self.sieves = tuple(sieves)
        self._zone = threading.RLock()
        self.model = nlp_loader.describe(self.nlp)

    @classmethod
    def from_settings(cls, settings: Settings) -> Engine:
        """The engine over the model ``settings`` names (loaded once per process)."""
        return cls(nlp_loader.load(settings.model))

    def model_info(self) -> dict[str, str]:
        """The model's name and version, as ``GET /v1/info`` reports them."""
        return nlp_loader.model_info(self.nlp)

    @contextmanager
    def memory_zone(self) -> Iterator[None]:
        """spaCy's ``memory_zone``: the strings and lexemes of the words seen inside it are freed at its
        end (with the attribute tables' entries that named them), so memory stays flat however many new
        words go through. Nothing spaCy made inside it may be used after it.

        A vocabulary has one zone at a time (spaCy frees a zone's strings when it ends, whoever else
        is using them), so threads sharing this engine take turns."""
        with self._zone:
            try:
                with self.nlp.memory_zone():
                    yield
            finally:
                attributes.forget_transient(self.nlp)
                memory.compact_strings(self.nlp.vocab.strings)
                memory.release_free_memory()

    def extract(self, article: Article | str, include: Collection[str] = (),
                deadline: Deadline | None = None) -> Result:
        """The quotes of an article (an ``Article``, or plain text); ``include=("indirect",)`` (or the
        article's own ``include``) adds reported speech. For an article given as HTML,
        ``Result.text`` is the text read from it, and every quote, mention and cue also carries its
        place in the HTML (``html_start``, ``html_end``). ``DeadlinePassed`` once ``deadline`` has
        gone by."""
        article = Article.of(article).including(include)
        started = time.perf_counter()
        text = article.text
        found = find_quotes(text)
        with self.memory_zone():
            doc = parse(self.nlp, mask_quotes(text, found), deadline)
            result = build_result(text, found, doc, self.model, started, self.sieves, article.include, deadline)
        return with_html_offsets(result, article.html_text, started) if article.is_html else result

    def extract_many(self, articles: Iterable[Article | str], batch_chars: int = BATCH_CHARS,
                     include: Collection[str] = (), deadline: Deadline | None = None) -> Iterator[Result]:
        """Results for many articles (``Article`` or plain text), in order, parsed with ``nlp.pipe`` in
        batches of about ``batch_chars`` characters; the articles are read as the results are asked
        for. Each batch is parsed in its own memory zone, and ``deadline`` is checked between batches
        and sieves."""
        prepared: deque[tuple[Article, list[QuoteSpan], float]] = deque()

        def masked() -> Iterator[str]:
            for item in articles:
                started = time.perf_counter()
                article = Article.of(item).including(include)
                text = article.text
                found = find_quotes(text)
                prepared.append((article, found, time.perf_counter() - started))
                yield mask_quotes(text, found)

        started = time.perf_counter()
        for doc in parse_many(self.nlp, masked(), batch_chars=batch_chars, zone=self.memory_zone,
                              deadline=deadline):
            article, found, reading = prepared.popleft()
            result = build_result(article.text, found, doc, self.model, started - reading, self.sieves,
                                  article.include, deadline)
            yield with_html_offsets(result, article.html_text, started - reading) if article.is_html else result
            started = time.perf_counter()
