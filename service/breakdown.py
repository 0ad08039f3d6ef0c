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


def calibration(report: Report) -> list[Row]:
    """Accuracy of the speakers given a confidence of at least each band's edge (cumulative)."""
    rows = [Row(f">= {edge:.1f}") for edge in CONFIDENCE_BANDS]
    for decision in report.decisions:
        confidence = decision.confidence or 0.0
        for edge, row in zip(CONFIDENCE_BANDS, rows):
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
