"""Attribution taken apart by method, by cause of error and by confidence."""
from __future__ import annotations

import json
from pathlib import Path

from service import breakdown, evaluate

TEXT = "“We will not wait for anyone,” he said. The report said: “Prices will rise next year.”"


def _gold(fragment: str, speaker: str, source: str) -> dict:
    start, s = TEXT.index(fragment), TEXT.index(source)
    return {"start": start, "end": start + len(fragment), "text": fragment, "speaker": speaker,
            "aliases": [], "source_span": [s, s + len(source)], "optional": False}


def _predicted(fragment: str, mention: str | None, method: str | None, confidence: float) -> dict:
    start = TEXT.index(fragment)
    speaker = None
    if mention is not None:
        at = TEXT.index(mention)
        speaker = {"name": mention, "mention": {"text": mention, "start": at, "end": at + len(mention)}}
    return {"start": start, "end": start + len(fragment), "speaker": speaker, "method": method,
            "confidence": confidence}


def _report(predictions: list[dict]) -> evaluate.Report:
    gold = {"id": "a", "text": TEXT, "quotes": [_gold("We will not wait for anyone,", "Jane Roe", "he"),
                                                _gold("Prices will rise next year.", "the report", "The report")]}
    return evaluate.evaluate([gold], [{"quotes": predictions}])


def test_a_wrong_speaker_is_put_down_to_its_cause():
    report = _report([_predicted("We will not wait for anyone,", None, None, 0.2),
                      _predicted("Prices will rise next year.", "he", "speech_verb", 0.9)])
    causes = {error["quote"][:6]: error["cause"] for error in report.errors}
    assert causes == {"We wil": "no speaker", "Prices": "pronoun"}


def test_a_document_in_the_gold_or_the_prediction_is_a_document_error():
    gold = evaluate.GoldSegment(0, 1, speaker="the report")
    predicted = evaluate.PredictedSegment(0, 1, name="Jane Roe", mention="Jane Roe")
    assert evaluate.error_cause(gold, predicted) == "document"
    assert evaluate.error_cause(evaluate.GoldSegment(0, 1, speaker="John Doe"), predicted) == "wrong entity"


def test_accuracy_by_method_and_by_confidence():
    report = _report([_predicted("We will not wait for anyone,", "he", "speech_verb", 0.9),
                      _predicted("Prices will rise next year.", "he", "nearest_person", 0.3)])
    rows, causes = breakdown.by_method(report)
    assert [(row.label, row.quotes, row.right) for row in rows] == [("speech_verb", 1, 1), ("nearest_person", 1, 0)]
    assert causes["nearest_person"]["pronoun"] == 1
    bands = {row.label: (row.quotes, row.right) for row in breakdown.calibration(report)}
    assert bands[">= 0.8"] == (1, 1) and bands[">= 0.0"] == (2, 1)
    assert "speech_verb" in breakdown.format_by_method(report)
    assert ">= 0.8" in breakdown.format_calibration(report)


def test_the_calibration_of_the_sieves_pools_a_rare_sieve_and_writes_the_engines_file():
    from service.breakdown import calibration_file, sieve_calibration
    from service.evaluate import Decision, Report

    train = Report(decisions=[Decision("speech_verb", 0.9, True)] * 60 + [Decision("speech_verb", 0.9, False)] * 40
                   + [Decision("lead_in", 0.7, True)] * 2 + [Decision(None, 0.2, False)])
    dev = Report(decisions=[Decision("lead_in", 0.7, False)] * 2 + [Decision("speech_verb", 0.9, False)] * 50)
    shares = sieve_calibration(train, dev, min_quotes=50)
    assert shares == {"speech_verb": 0.6, "lead_in": 0.5}  # dev counts only where train had fewer than 50
    data = json.loads(calibration_file(shares))
    assert data["sieves"] == shares and data["min_quotes"] == 50
    assert set(json.loads((Path(__file__).parent.parent / "service/engine/attribution/calibration.json")
                          .read_text())) == set(data)
