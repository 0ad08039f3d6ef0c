"""Attribution accuracy taken apart: by the rule (sieve) that decided, by why a speaker was wrong, and
by confidence, from a scored ``evaluate.Report``."""
from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass

from .evaluate import Report

CAUSES = ("wrong entity", "pronoun", "document", "no speaker")
# Lower edges of the confidence bands of the calibration table.
CONFIDENCE_BANDS = (0.9, 0.8, 0.6, 0.4, 0.0)


@dataclass
class Row:
    label: str
    quotes: int = 0
    right: int = 0

    @property
    def accuracy(self) -> float:
        return self.right / self.quotes if self.quotes else 0.0


def by_method(report: Report) -> tuple[list[Row], dict[str, Counter]]:
    """One row per method, most quotes first, and for each method its wrong speakers counted by cause."""
    rows: dict[str, Row] = {}
    for decision in report.decisions:
        label = decision.method or "(none)"
        row = rows.setdefault(label, Row(label))
        row.quotes += 1
        row.right += decision.right
    causes: dict[str, Counter] = defaultdict(Counter)
    for error in report.errors:
        if error["kind"] == "wrong_speaker":
            causes[error.get("method") or "(none)"][error.get("cause", "wrong entity")] += 1
    return sorted(rows.values(), key=lambda row: -row.quotes), causes


CALIBRATION_MIN_QUOTES = 50
CALIBRATION_ABOUT = (
    "How often the speaker each sieve gives is right: the share of the found quotes it attributed whose "
    "speaker matched the gold on polnear-train, pooled with polnear-dev where a sieve decided fewer than "
    "{min_quotes} quotes on train. Written by: quotes evaluate TRAIN_DIR --by-method --pool DEV_DIR "
    "--write-calibration FILE")


def sieve_calibration(report: Report, pool: Report | None = None,
                      min_quotes: int = CALIBRATION_MIN_QUOTES) -> dict[str, float]:
    """Each sieve's share of right speakers in ``report``, pooled with ``pool``'s counts where the sieve
    decided fewer than ``min_quotes`` quotes in ``report``; rounded to a whole percent, highest first."""
    rows = {row.label: row for row in by_method(report)[0]}
    pooled = {row.label: row for row in by_method(pool)[0]} if pool is not None else {}
    shares = {}
    for label in sorted(set(rows) | set(pooled)):
        if label == "(none)":
            continue
        row = rows.get(label, Row(label))
        extra = pooled.get(label, Row(label)) if row.quotes < min_quotes else Row(label)
        total = Row(label, row.quotes + extra.quotes, row.right + extra.right)
        if total.quotes:
            shares[label] = round(total.accuracy, 2)
    return dict(sorted(shares.items(), key=lambda item: (-item[1], item[0])))


def calibration_file(shares: dict[str, float], min_quotes: int = CALIBRATION_MIN_QUOTES) -> str:
    """The text of ``service/engine/attribution/calibration.json`` for these shares."""
    import json

    about = CALIBRATION_ABOUT.format(min_quotes=min_quotes)
    return json.dumps({"about": about, "min_quotes": min_quotes, "sieves": shares}, indent=2) + "\n"


def calibration(report: Report) -> list[Row]:
    """Accuracy of the speakers given a confidence of at least each band's edge (cumulative)."""
    rows = [Row(f">= {edge:.1f}") for edge in CONFIDENCE_BANDS]
    for decision in report.decisions:
        confidence = decision.confidence or 0.0
        for edge, row in zip(CONFIDENCE_BANDS, rows, strict=False):
            if confidence >= edge:
                row.quotes += 1
                row.right += decision.right
    return rows


def format_by_method(report: Report) -> str:
    rows, causes = by_method(report)
    header = f"{'method':24} {'quotes':>7} {'right':>7} {'accuracy':>8}   " + "  ".join(
        f"{cause:>12}" for cause in CAUSES)
    lines = [header]
    for row in rows:
        counts = causes.get(row.label, Counter())
        lines.append(f"{row.label:24} {row.quotes:7d} {row.right:7d} {row.accuracy:8.4f}   "
                     + "  ".join(f"{counts[cause]:12d}" for cause in CAUSES))
    total = Counter()
    for counts in causes.values():
        total.update(counts)
    lines.append(f"{'wrong speakers by cause':50}" + "  ".join(f"{total[cause]:12d}" for cause in CAUSES))
    return "\n".join(lines)


def format_calibration(report: Report) -> str:
    lines = [f"{'confidence':12} {'quotes':>7} {'right':>7} {'accuracy':>8}"]
    lines += [f"{row.label:12} {row.quotes:7d} {row.right:7d} {row.accuracy:8.4f}" for row in calibration(report)]
    return "\n".join(lines)
