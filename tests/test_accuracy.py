"""Accuracy floors: the engine, in-process, scored against gold with our own evaluation.

These are floors, not goals: raise them as the engine improves. Each set's direct quotes are scored
once per run (a module fixture) and every floor of that set is checked on that one score.
polnear-train (840 articles) takes two to five minutes on a shared 2-core machine; its direct-quote
tests are marked ``slow`` and can be left out with ``-m "not slow"``.
"""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from service import breakdown, evaluate

REPO = Path(__file__).resolve().parent.parent
SEEDS_GOLD = REPO / "seeds" / "gold"
EVAL_DATA = Path(os.environ.get("QUOTES_EVAL_DATA") or REPO.parent / "shared" / "eval-data")
POLNEAR_DEV = EVAL_DATA / "polnear-dev"
POLNEAR_TRAIN = EVAL_DATA / "polnear-train"

# (detection F1, end-to-end F1) floors of direct quotes per set; detection is held where it was
FLOORS = {
    "seeds": (1.0, 1.0),
    "polnear-dev": (0.999, 0.96),
    "polnear-train": (0.998, 0.95),
}
# Quotes given this confidence or more have the right speaker at least this often.
CONFIDENT, CONFIDENT_ACCURACY_FLOOR = 0.8, 0.95
INDIRECT_DEV_DETECTION_F1_FLOOR = 0.78
INDIRECT_DEV_E2E_F1_FLOOR = 0.73
INDIRECT_TRAIN_E2E_F1_FLOOR = 0.72


def score(engine, gold_dir: Path) -> evaluate.Report:
    golds = evaluate.load_golds(gold_dir)
    assert golds, f"no gold files in {gold_dir}"
    return evaluate.evaluate(golds, evaluate.engine_responses(engine, golds))


def score_with_reported_speech(engine, gold_dir: Path) -> dict[str, dict]:
    """Totals of each kind, from one run of the engine asked for reported speech too."""
    golds = evaluate.load_golds(gold_dir)
    assert golds, f"no gold files in {gold_dir}"
    responses = list(evaluate.engine_responses(engine, golds, "all"))
    return {kind: evaluate.evaluate(golds, responses, kind).totals() for kind in ("direct", "indirect")}


def polnear(folder: Path) -> Path:
    if not folder.is_dir():
        pytest.skip(f"{folder.name} gold not found at {folder}; set QUOTES_EVAL_DATA to the eval-data folder")
    return folder


def summary(totals: dict) -> str:
    keys = ("det_p", "det_r", "det_f1", "attr_acc", "e2e_p", "e2e_r", "e2e_f1", "gold_req", "pred", "tp")
    return ", ".join(f"{key} {totals[key]}" for key in keys)


@pytest.fixture(scope="module")
def seeds_report(engine) -> evaluate.Report:
    return score(engine, SEEDS_GOLD)


@pytest.fixture(scope="module")
def polnear_dev_report(engine) -> evaluate.Report:
    return score(engine, polnear(POLNEAR_DEV))


@pytest.fixture(scope="module")
def polnear_train_report(engine) -> evaluate.Report:
    return score(engine, polnear(POLNEAR_TRAIN))


@pytest.fixture(scope="module")
def polnear_dev_with_reported(engine) -> dict[str, dict]:
    return score_with_reported_speech(engine, polnear(POLNEAR_DEV))


def assert_floors(name: str, report: evaluate.Report) -> None:
    totals = report.totals()
    detection, end_to_end = FLOORS[name]
    assert totals["det_f1"] >= detection, (
        f"{name} detection F1 {totals['det_f1']} is below the floor {detection} ({summary(totals)})")
    assert totals["e2e_f1"] >= end_to_end, (
        f"{name} end-to-end F1 {totals['e2e_f1']} is below the floor {end_to_end} ({summary(totals)})")


def assert_calibrated(name: str, report: evaluate.Report) -> None:
    band = next(row for row in breakdown.calibration(report) if row.label == f">= {CONFIDENT:.1f}")
    assert band.quotes and band.accuracy >= CONFIDENT_ACCURACY_FLOOR, (
        f"{name}: quotes with confidence >= {CONFIDENT} have the right speaker {band.accuracy:.4f} of the "
        f"time ({band.right}/{band.quotes}), below {CONFIDENT_ACCURACY_FLOOR}")


def test_seeds(seeds_report):
    assert_floors("seeds", seeds_report)


def test_polnear_dev(polnear_dev_report):
    assert_floors("polnear-dev", polnear_dev_report)


def test_polnear_dev_confidence_is_calibrated(polnear_dev_report):
    assert_calibrated("polnear-dev", polnear_dev_report)


@pytest.mark.slow
def test_polnear_train(polnear_train_report):
    assert_floors("polnear-train", polnear_train_report)


@pytest.mark.slow
def test_polnear_train_confidence_is_calibrated(polnear_train_report):
    assert_calibrated("polnear-train", polnear_train_report)


def test_polnear_dev_direct_quotes_unchanged_by_reported_speech(polnear_dev_report, polnear_dev_with_reported):
    polnear_dev_totals = polnear_dev_report.totals()
    with_reported = polnear_dev_with_reported["direct"]
    for key in ("det_f1", "e2e_f1"):
        assert with_reported[key] >= polnear_dev_totals[key], (
            f"direct {key} falls from {polnear_dev_totals[key]} to {with_reported[key]} with reported speech "
            f"({summary(with_reported)})")


def test_seeds_direct_quotes_unchanged_by_reported_speech(engine):
    plain = score(engine, SEEDS_GOLD).totals()
    with_reported = score_with_reported_speech(engine, SEEDS_GOLD)["direct"]
    assert with_reported["e2e_f1"] >= plain["e2e_f1"], f"{summary(with_reported)} against {summary(plain)}"


def test_polnear_dev_reported_speech_detection(polnear_dev_with_reported):
    totals = polnear_dev_with_reported["indirect"]
    assert totals["det_f1"] >= INDIRECT_DEV_DETECTION_F1_FLOOR, (
        f"polnear-dev reported speech detection F1 {totals['det_f1']} is below the floor "
        f"{INDIRECT_DEV_DETECTION_F1_FLOOR} ({summary(totals)})")


def test_polnear_dev_reported_speech_end_to_end(polnear_dev_with_reported):
    totals = polnear_dev_with_reported["indirect"]
    assert totals["e2e_f1"] >= INDIRECT_DEV_E2E_F1_FLOOR, (
        f"polnear-dev reported speech end-to-end F1 {totals['e2e_f1']} is below the floor "
        f"{INDIRECT_DEV_E2E_F1_FLOOR} ({summary(totals)})")


def test_polnear_train_reported_speech_end_to_end(engine):
    totals = score_with_reported_speech(engine, polnear(POLNEAR_TRAIN))["indirect"]
    assert totals["e2e_f1"] >= INDIRECT_TRAIN_E2E_F1_FLOOR, (
        f"polnear-train reported speech end-to-end F1 {totals['e2e_f1']} is below the floor "
        f"{INDIRECT_TRAIN_E2E_F1_FLOOR} ({summary(totals)})")
