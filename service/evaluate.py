"""Score quote predictions against gold files.

Gold files are JSON, one per article: ``{"id", "text", "quotes": [{"start", "end", "speaker",
"aliases", "source_span", "optional", "kind"}]}``; an entry of ``"kind": "indirect"`` is reported
speech. A prediction is a response body as the service gives it
(``{"quotes": [{"start", "end", "speaker": {"name", "mention": {...}}}]}``); a plain string speaker and
a list of ``spans`` per quote are accepted too.

The rules, shared with the evaluation data's own scorer so that both give the same numbers:

* every span, gold or predicted, is split at line breaks and trimmed of whitespace, so a quote running
  over paragraphs counts once per paragraph;
* a predicted segment matches a gold one when their intersection over union is at least 0.5, one to one,
  best pairs first;
* optional gold quotes (scare quotes, titles, short fragments) are neutral: missing one costs nothing and a
  prediction matched to one is not counted;
* the speaker is right when the predicted mention overlaps the gold ``source_span``, or the predicted name
  or mention has the same content words as the gold speaker or an alias (or one set holds the other),
  titles such as "Mr" or "President" ignored and a bare pronoun never enough;
* a matched gold quote without speaker counts as attributed whatever the prediction says;
* ``kind`` chooses what is scored: ``direct`` (the default) leaves out indirect gold entries and
  predictions of ``"type": "indirect"``; ``indirect`` scores only those, against each other; ``all``
  scores each kind against its own gold and adds the counts.
"""
from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .engine import Engine

MATCH_IOU = 0.5
KINDS = ("direct", "indirect")
SCORED_KINDS = (*KINDS, "all")

# Words that say what someone is, not who: a name matches without them.
TITLE_WORDS = frozenset({
    "mr", "mrs", "ms", "miss", "dr", "sir", "dame", "the", "a", "an", "of", "president",
    "prime", "minister", "us", "u.s.", "said", "s", "'s", "’s", "spokesman", "spokeswoman",
    "spokesperson", "secretary", "general", "chancellor", "senator", "sen", "rep", "gov",
    "governor", "former",
})
PRONOUNS = frozenset({"he", "she", "they", "it", "we", "i", "you", "him", "her", "them", "his", "their"})

_WORD = re.compile(r"[a-z0-9\u00c0-\u024f]+(?:[.'-][a-z0-9\u00c0-\u024f]+)*")
_POSSESSIVE = re.compile(r"'s\b")


# --- spans -------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Segment:
    """One line's worth of a quote: ``[start, end)`` in the article, trimmed of whitespace."""

    start: int
    end: int


@dataclass(frozen=True)
class PredictedSegment(Segment):
    name: str | None = None
    mention: str | None = None
    mention_start: int | None = None
    mention_end: int | None = None
    method: str | None = None
    confidence: float | None = None


@dataclass(frozen=True)
class GoldSegment(Segment):
    speaker: str | None = None
    aliases: tuple[str, ...] = ()
    source_span: tuple[int, int] | None = None
    optional: bool = False

    @property
    def has_speaker(self) -> bool:
        return bool(self.speaker or self.source_span)


def split_at_newlines(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """``[start, end)`` cut at every newline, each part trimmed of whitespace; empty parts dropped."""
    end = min(end, len(text))
    parts = []
    line_start = start
    while line_start <= end:
        newline = text.find("\n", line_start, end)
        line_end = end if newline < 0 else newline
        a, b = line_start, line_end
        while a < b and text[a].isspace():
            a += 1
        while b > a and text[b - 1].isspace():
            b -= 1
        if b > a:
            parts.append((a, b))
        line_start = line_end + 1
    return parts


def gold_kind(quote: dict) -> str:
    return "indirect" if quote.get("kind") == "indirect" else "direct"


def predicted_kind(quote: dict) -> str:
    return "indirect" if quote.get("type") == "indirect" else "direct"


def gold_segments(gold: dict, kind: str = "direct") -> list[GoldSegment]:
    text = gold["text"]
    segments = []
    for quote in gold["quotes"]:
        if gold_kind(quote) != kind:
            continue
        source_span = quote.get("source_span")
        for a, b in split_at_newlines(text, quote["start"], quote["end"]):
            segments.append(GoldSegment(
                a, b,
                speaker=quote.get("speaker"),
                aliases=tuple(quote.get("aliases") or ()),
                source_span=tuple(source_span) if source_span else None,
                optional=bool(quote.get("optional")),
            ))
    return segments


def predicted_segments(text: str, response: dict, kind: str = "direct") -> list[PredictedSegment]:
    segments = []
    for quote in response.get("quotes", []):
        if predicted_kind(quote) != kind:
            continue
        spans = quote.get("spans") or [{"start": quote.get("start"), "end": quote.get("end")}]
        speaker = quote.get("speaker")
        if isinstance(speaker, str):
            speaker = {"name": speaker}
        speaker = speaker or {}
        mention = speaker.get("mention") or {}
        if isinstance(mention, str):
            mention = {"text": mention}
        for span in spans:
            if span.get("start") is None or span.get("end") is None:
                continue
            for a, b in split_at_newlines(text, int(span["start"]), int(span["end"])):
                segments.append(PredictedSegment(
                    a, b,
                    name=speaker.get("name"),
                    mention=mention.get("text"),
                    mention_start=mention.get("start"),
                    mention_end=mention.get("end"),
                    method=quote.get("method"),
                    confidence=quote.get("confidence"),
                ))
    return segments


def iou(a: Segment, b: Segment) -> float:
    intersection = max(0, min(a.end, b.end) - max(a.start, b.start))
    union = max(a.end, b.end) - min(a.start, b.start)
    return intersection / union if union else 0.0


def match(golds: list[GoldSegment], preds: list[PredictedSegment]) -> dict[int, int]:
    """Gold index -> predicted index, one to one, the pairs of highest overlap first.

    Pairs of equal overlap go to the later gold segment, then the later prediction, so that the
    matching is the same as the evaluation data's scorer makes.
    """
    candidates = sorted(
        ((overlap, g, p)
         for g, gold in enumerate(golds)
         for p, pred in enumerate(preds)
         if (overlap := iou(gold, pred)) >= MATCH_IOU),
        reverse=True,
    )
    gold_to_pred: dict[int, int] = {}
    taken: set[int] = set()
    for _, g, p in candidates:
        if g not in gold_to_pred and p not in taken:
            gold_to_pred[g] = p
            taken.add(p)
    return gold_to_pred


# --- speakers ----------------------------------------------------------------------------------

def content_words(name: str | None) -> set[str]:
    """The words of a name that identify someone: lower-cased, possessives and titles dropped."""
    lowered = _POSSESSIVE.sub("", (name or "").lower().replace("’", "'"))
    return {word for word in _WORD.findall(lowered) if word not in TITLE_WORDS}


def names_match(predicted: str, gold: str) -> bool:
    """Same content words, or one set inside the other; a bare pronoun never matches."""
    p, g = content_words(predicted), content_words(gold)
    if not p or not g or p <= PRONOUNS:
        return False
    return p <= g or g <= p


def speaker_is_right(gold: GoldSegment, pred: PredictedSegment) -> bool:
    if gold.source_span and pred.mention_start is not None and pred.mention_end is not None:
        source_start, source_end = gold.source_span
        if min(source_end, pred.mention_end) > max(source_start, pred.mention_start):
            return True
    gold_names = [n for n in (gold.speaker, *gold.aliases) if n]
    return any(candidate and names_match(candidate, gold_name)
               for candidate in (pred.name, pred.mention)
               for gold_name in gold_names)


# --- counting ----------------------------------------------------------------------------------

@dataclass
class Counts:
    gold_req: int = 0      # required gold segments
    pred: int = 0          # predicted segments, less those matched to optional gold
    tp: int = 0            # required gold segments found
    fp: int = 0            # predicted segments matching no gold
    fn: int = 0            # required gold segments missed
    attr_scored: int = 0   # found segments whose gold names a speaker
    attr_ok: int = 0       # ... and the predicted speaker is right
    e2e_ok: int = 0        # found with the right speaker (or gold without speaker)

    def __iadd__(self, other: Counts) -> Counts:
        for f in fields(self):
            setattr(self, f.name, getattr(self, f.name) + getattr(other, f.name))
        return self


@dataclass(frozen=True)
class Decision:
    """One found quote whose gold names a speaker: the rule that attributed it, its confidence, and
    whether the speaker is right."""

    method: str | None
    confidence: float | None
    right: bool


@dataclass
class ArticleScore:
    counts: Counts
    errors: list[dict] = field(default_factory=list)
    decisions: list[Decision] = field(default_factory=list)


def _excerpt(text: str, segment: Segment) -> str:
    return text[segment.start:segment.end][:80]


def score_article(gold: dict, response: dict, kind: str = "direct") -> ArticleScore:
    """Counts and errors (missed, spurious, wrong speaker) of one response against its gold.

    Errors of an indirect entry carry ``"type": "indirect"``, as the shared scorer writes them.
    """
    if kind == "all":
        total = ArticleScore(Counts())
        for each in KINDS:
            score = score_article(gold, response, each)
            total.counts += score.counts
            total.errors.extend(dict(error, type=each) for error in score.errors)
            total.decisions.extend(score.decisions)
        return total
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {', '.join(SCORED_KINDS)}, not {kind!r}")
    text = gold["text"]
    golds = gold_segments(gold, kind)
    preds = predicted_segments(text, response, kind)
    gold_to_pred = match(golds, preds)
    pred_to_gold = {p: g for g, p in gold_to_pred.items()}
    counts, errors, decisions = Counts(), [], []

    for g, gold_segment in enumerate(golds):
        if gold_segment.optional:
            continue
        counts.gold_req += 1
        if g not in gold_to_pred:
            counts.fn += 1
            errors.append({"kind": "missed", "quote": _excerpt(text, gold_segment),
                           "gold": gold_segment.speaker})
            continue
        counts.tp += 1
        pred = preds[gold_to_pred[g]]
        if not gold_segment.has_speaker:
            counts.e2e_ok += 1
            continue
        counts.attr_scored += 1
        right = speaker_is_right(gold_segment, pred)
        decisions.append(Decision(pred.method, pred.confidence, right))
        if right:
            counts.attr_ok += 1
            counts.e2e_ok += 1
        else:
            errors.append({"kind": "wrong_speaker", "quote": _excerpt(text, gold_segment),
                           "gold": gold_segment.speaker, "pred": pred.name or pred.mention,
                           "method": pred.method, "mention": pred.mention,
                           "cause": error_cause(gold_segment, pred)})

    for p, pred in enumerate(preds):
        if p in pred_to_gold and golds[pred_to_gold[p]].optional:
            continue
        counts.pred += 1
        if p not in pred_to_gold:
            counts.fp += 1
            errors.append({"kind": "spurious", "quote": _excerpt(text, pred), "pred": pred.name,
                           "method": pred.method})
    if kind != "direct":
        errors = [dict(error, type=kind) for error in errors]
    return ArticleScore(counts, errors, decisions)


# Heads of the phrases that name a text rather than someone ("the report", "a statement"); what the
# engine itself takes for a document speaker is listed in its lexicon.
_DOCUMENT_WORDS = frozenset("""
report statement letter memo email e-mail emails post tweet editorial ad advertisement release document
documents filing complaint lawsuit indictment transcript recording video audio message note sign
website page book article story column survey poll study analysis resolution bill order ruling
""".split())


def error_cause(gold: GoldSegment, pred: PredictedSegment) -> str:
    """Why a found quote has the wrong speaker: ``no speaker``, ``pronoun`` (the mention is a pronoun
    resolved to the wrong person), ``document`` (a text speaks in the gold or the prediction), or
    ``wrong entity`` (another speaker was chosen)."""
    if not (pred.name or pred.mention):
        return "no speaker"
    mention = (pred.mention or "").lower()
    if mention in PRONOUNS or mention in ("who", "which"):
        return "pronoun"
    words = [w for phrase in (gold.speaker, pred.mention) for w in _WORD.findall((phrase or "").lower())]
    if any(w in _DOCUMENT_WORDS for w in words):
        return "document"
    return "wrong entity"


# --- totals ------------------------------------------------------------------------------------

def precision_recall_f1(correct: int, predicted: int, expected: int) -> tuple[float, float, float]:
    precision = correct / predicted if predicted else 0.0
    recall = correct / expected if expected else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return round(precision, 4), round(recall, 4), round(f1, 4)


@dataclass
class Report:
    articles: int = 0
    failures: int = 0
    counts: Counts = field(default_factory=Counts)
    errors: list[dict] = field(default_factory=list)
    decisions: list[Decision] = field(default_factory=list)

    def add(self, article_id: str, score: ArticleScore) -> None:
        self.articles += 1
        self.counts += score.counts
        self.errors.extend(dict(error, id=article_id) for error in score.errors)
        self.decisions.extend(score.decisions)

    @property
    def detection(self) -> tuple[float, float, float]:
        return precision_recall_f1(self.counts.tp, self.counts.pred, self.counts.gold_req)

    @property
    def end_to_end(self) -> tuple[float, float, float]:
        return precision_recall_f1(self.counts.e2e_ok, self.counts.pred, self.counts.gold_req)

    @property
    def attribution_accuracy(self) -> float:
        c = self.counts
        return round(c.attr_ok / c.attr_scored, 4) if c.attr_scored else 0.0

    def totals(self) -> dict[str, Any]:
        """The figures, under the same keys as the evaluation data's scorer prints."""
        det_p, det_r, det_f1 = self.detection
        e2e_p, e2e_r, e2e_f1 = self.end_to_end
        return {"articles": self.articles, "failures": self.failures, **asdict(self.counts),
                "det_p": det_p, "det_r": det_r, "det_f1": det_f1,
                "attr_acc": self.attribution_accuracy,
                "e2e_p": e2e_p, "e2e_r": e2e_r, "e2e_f1": e2e_f1}


def evaluate(golds: Iterable[dict], responses: Iterable[dict | None], kind: str = "direct") -> Report:
    """Score responses against golds, paired in order; a ``None`` response is a failed article."""
    report = Report()
    for gold, response in zip(golds, responses, strict=True):
        if response is None:
            report.failures += 1
            response = {"quotes": []}
        report.add(gold["id"], score_article(gold, response, kind))
    return report


def load_golds(gold_dir: str | Path) -> list[dict]:
    """Every ``*.json`` gold file of a folder, in file-name order."""
    paths = sorted(p for p in Path(gold_dir).iterdir() if p.suffix == ".json")
    return [json.loads(p.read_text(encoding="utf-8")) for p in paths]


def engine_responses(engine: Engine, golds: list[dict], kind: str = "direct") -> Iterator[dict | None]:
    """The service's response body for each gold article, the engine run over all of them in one go;
    ``None`` for an article the engine failed on (counted in ``failures``). Reported speech is asked
    for when ``kind`` scores it."""
    from .contract.schemas import dump_response
    from .engine.article import Article
    from .engine.bulk import extract_each

    include = frozenset({"indirect"} if kind != "direct" else ())
    results = extract_each(engine, [Article(gold["text"], include=include) for gold in golds])
    for gold, result in zip(golds, results, strict=True):
        yield None if result is None else dump_response(result, gold["id"])
