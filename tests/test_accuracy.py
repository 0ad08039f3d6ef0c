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

SEEDS_E2E_F1_FLOOR = 0.95
POLNEAR_DETECTION_F1_FLOOR = 0.90
POLNEAR_E2E_F1_FLOOR = 0.80


def score(engine, gold_dir: Path) -> dict:
    golds = evaluate.load_golds(gold_dir)
    assert golds, f"no gold files in {gold_dir}"
    return evaluate.evaluate(golds, evaluate.engine_responses(engine, golds)).totals()


def summary(totals: dict) -> str:
    keys = ("det_p", "det_r", "det_f1", "attr_acc", "e2e_p", "e2e_r", "e2e_f1", "gold_req", "pred", "tp")
    return ", ".join(f"{key} {totals[key]}" for key in keys)


@pytest.fixture(scope="module")
def polnear_dev_totals(engine) -> dict:
    if not POLNEAR_DEV.is_dir():
        pytest.skip(f"polnear-dev gold not found at {POLNEAR_DEV}; set QUOTES_EVAL_DATA to the eval-data folder")
    return score(engine, POLNEAR_DEV)


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
