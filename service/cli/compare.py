"""``quotes compare REFERENCE OTHER...``: the comparison of ``POST /v1/compare`` as JSON, or a short report
for a standards desk: each changed quote with its changed words, each misattribution, each dropped and
each added quote."""
from __future__ import annotations

from collections import Counter
from collections.abc import Collection
from pathlib import Path
from typing import TYPE_CHECKING

from marshmallow import ValidationError

from .. import intake
from ..contract.problems import validation_problem
from ..contract.schemas import CompareRequestSchema, dump_comparison
from ..engine.article import Article
from ..engine.compare import Comparison, Counterpart, compare
from ..engine.result import Quote, Result

if TYPE_CHECKING:
    from ..engine import Engine
    from ..settings import Settings

STATUSES = ("verbatim", "reworded", "fragment", "paraphrased", "missing")
QUOTE_WIDTH = 90


class ArticlesError(ValueError):
    """The files given cannot be compared; the message says why."""


def article_ids(names: list[str]) -> list[str]:
    """Each file's name without its folder, or the name as given where two files share one."""
    short = [Path(name).name if name != "-" else "stdin" for name in names]
    return short if len(set(short)) == len(short) else list(names)


def compare_articles(engine: Engine, articles: list[Article], settings: Settings,
                     include: Collection[str] = ()) -> tuple[dict, Comparison, list[Result]]:
    """The JSON body ``POST /v1/compare`` answers for these articles (each with its id; the first is the
    reference), with the comparison and results it was made from; ``settings`` give the limits
    (``QUOTES_MAX_CHARS``, ``QUOTES_MAX_QUOTES``), ``include`` the records to add, as in the request."""
    members = [{"id": article.id, ("html" if article.is_html else "text"): article.source} for article in articles]
    try:
        CompareRequestSchema().load({"articles": members, "include": list(include)})
    except ValidationError as error:
        raise ArticlesError(validation_problem(error, "The articles")["detail"]) from None
    for article in articles:
        try:
            intake.check_length(article, settings.max_chars, article.id)
        except intake.Refused as refused:
            raise ArticlesError(f"{refused.problem['detail']} (QUOTES_MAX_CHARS)") from None
    results = list(engine.extract_many(articles, include=include))
    versions = list(zip([article.id for article in articles], results, strict=True))
    comparison = compare(versions, max_quotes=settings.max_quotes)
    elapsed = round(sum(result.elapsed_ms for result in results), 3)
    return dump_comparison(comparison, versions, elapsed, settings.max_quotes), comparison, results


# --- the report --------------------------------------------------------------------------------

def report(comparison: Comparison, ids: list[str], results: list[Result]) -> str:
    quotes = {(article_id, quote.id): quote
              for article_id, result in zip(ids, results, strict=True) for quote in result.quotes}
    lines = [f"Reference: {comparison.reference} ({len(comparison.alignments)} quotes)"]
    for other in ids:
        if other != comparison.reference:
            lines += [""] + _against(comparison, other, quotes)
    return "\n".join(lines) + "\n"


def _against(comparison: Comparison, other: str, quotes: dict) -> list[str]:
    pairs = [(quotes[comparison.reference, a.quote.id], c) for a in comparison.alignments
             for c in a.counterparts if c.article == other]
    added = [quotes[ref.article, ref.id] for ref in comparison.unmatched if ref.article == other]
    counts = Counter(counterpart.status for _, counterpart in pairs)
    misattributed = [(quote, c) for quote, c in pairs if c.speakers_agree is False]
    summary = ", ".join(f"{counts[status]} {status}" for status in STATUSES)
    lines = [f"Against {other}: {summary}, {len(added)} added; {len(misattributed)} misattributed"]
    changed = [(quote, c) for quote, c in pairs if c.status in ("reworded", "fragment", "paraphrased")]
    lines += _section("Changed", [f"{_quote(quote)} -> {c.id}, {c.status}, similarity {c.similarity:.2f}\n"
                                  f"      {marked_diff(c)}" for quote, c in changed])
    lines += _section("Misattributed", [
        f"{_quote(quote)} -> {c.id}: {_speaker(quote)} here, {_speaker(quotes[other, c.id])} there"
        for quote, c in misattributed])
    lines += _section("Dropped", [_quote(quote) for quote, c in pairs if c.status == "missing"])
    lines += _section("Added", [_quote(quote) for quote in added])
    return lines


def _section(title: str, entries: list[str]) -> list[str]:
    return [f"  {title}:"] + [f"    {entry}" for entry in entries] if entries else []


def _quote(quote: Quote) -> str:
    text = " ".join(quote.text.split())
    text = text if len(text) <= QUOTE_WIDTH else text[:QUOTE_WIDTH - 1] + "…"
    return f"{quote.id} “{text}” ({_speaker(quote)})"


def _speaker(quote: Quote) -> str:
    return quote.speaker.name if quote.speaker is not None else "no speaker"


def marked_diff(counterpart: Counterpart) -> str:
    """The diff as one line: [-deleted words-] {+inserted words+}."""
    marked = []
    for piece in counterpart.diff:
        if piece.op == "equal":
            marked.append(piece.other)
            continue
        if piece.reference:
            marked.append(f"[-{piece.reference}-]")
        if piece.other:
            marked.append(f"{{+{piece.other}+}}")
    return " ".join(" ".join(marked).split())
