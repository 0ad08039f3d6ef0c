"""Accuracy floors: the engine, in-process, scored against gold with our own evaluation.

These are floors, not goals: raise them as the engine improves.
"""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from service import evaluate

REPO = Path(__file__).resolve().parent.parent
SEEDS_GOLD = REPO / "seeds" / "gold"
EVAL_DATA = Path(os.environ.get("QUOTES_EVAL_DATA") or REPO.parent / "shared" / "eval-data")
POLNEAR_DEV = EVAL_DATA / "polnear-dev"
POLNEAR_TRAIN = EVAL_DATA / "polnear-train"

SEEDS_E2E_F1_FLOOR = 0.95
POLNEAR_DETECTION_F1_FLOOR = 0.90
POLNEAR_E2E_F1_FLOOR = 0.80
INDIRECT_DEV_DETECTION_F1_FLOOR = 0.78
INDIRECT_DEV_E2E_F1_FLOOR = 0.73
INDIRECT_TRAIN_E2E_F1_FLOOR = 0.72


def score(engine, gold_dir: Path) -> dict:
    golds = evaluate.load_golds(gold_dir)
    assert golds, f"no gold files in {gold_dir}"
    return evaluate.evaluate(golds, evaluate.engine_responses(engine, golds)).totals()


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
def polnear_dev_totals(engine) -> dict:
    return score(engine, polnear(POLNEAR_DEV))


@pytest.fixture(scope="module")
def polnear_dev_with_reported(engine) -> dict[str, dict]:
    return score_with_reported_speech(engine, polnear(POLNEAR_DEV))


def test_seeds_end_to_end(engine):
    totals = score(engine, SEEDS_GOLD)
    assert totals["e2e_f1"] >= SEEDS_E2E_F1_FLOOR, (
        f"seeds end-to-end F1 {totals['e2e_f1']} is below the floor {SEEDS_E2E_F1_FLOOR} ({summary(totals)})")


def test_polnear_dev_detection(polnear_dev_totals):
    totals = polnear_dev_totals
    assert totals["det_f1"] >= POLNEAR_DETECTION_F1_FLOOR, (
        f"polnear-dev detection F1 {totals['det_f1']} is below the floor {POLNEAR_DETECTION_F1_FLOOR} "
        f"({summary(totals)})")


def test_polnear_dev_end_to_end(polnear_dev_totals):
    totals = polnear_dev_totals
    assert totals["e2e_f1"] >= POLNEAR_E2E_F1_FLOOR, (
        f"polnear-dev end-to-end F1 {totals['e2e_f1']} is below the floor {POLNEAR_E2E_F1_FLOOR} "
        f"({summary(totals)})")


def test_polnear_dev_direct_quotes_unchanged_by_reported_speech(polnear_dev_totals, polnear_dev_with_reported):
    with_reported = polnear_dev_with_reported["direct"]
    for key in ("det_f1", "e2e_f1"):
        assert with_reported[key] >= polnear_dev_totals[key], (
            f"direct {key} falls from {polnear_dev_totals[key]} to {with_reported[key]} with reported speech "
            f"({summary(with_reported)})")


def test_seeds_direct_quotes_unchanged_by_reported_speech(engine):
    plain = score(engine, SEEDS_GOLD)
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
