"""Our scoring gives the same numbers as the evaluation data's own scorer (``shared/tools/score.py``)."""
from __future__ import annotations

import importlib.util
import json
import random
import subprocess
import sys
from pathlib import Path

import pytest

from service import evaluate

REPO = Path(__file__).resolve().parent.parent
SHARED_SCORER = REPO.parent / "shared" / "tools" / "score.py"
SEEDS_GOLD = REPO / "seeds" / "gold"

if not SHARED_SCORER.exists():
    pytest.skip(f"the reference scorer {SHARED_SCORER} is not here; nothing to compare with",
                allow_module_level=True)


@pytest.fixture(scope="module")
def reference():
    spec = importlib.util.spec_from_file_location("reference_score", SHARED_SCORER)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def ours(gold: dict, response: dict, kind: str = "direct") -> tuple[dict, list[dict]]:
    score = evaluate.score_article(gold, response, kind)
    errors = [{k: v for k, v in e.items() if k not in ("method", "mention", "cause")} for e in score.errors]
    return vars(score.counts), errors


def assert_same(reference, gold: dict, response: dict, kind: str = "direct") -> dict:
    expected_counts, expected_errors = reference.score_article(gold, response, kind)
    counts, errors = ours(gold, response, kind)
    assert counts == expected_counts
    assert errors == expected_errors
    return counts


def gold_quote(text: str, fragment: str, speaker=None, *, aliases=(), source=None,
               optional=False, occurrence=0) -> dict:
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(fragment, start + 1)
    source_span = None
    if source is not None:
        s = text.index(source)
        source_span = [s, s + len(source)]
    return {"start": start, "end": start + len(fragment), "text": fragment, "speaker": speaker,
            "aliases": list(aliases), "source_span": source_span, "optional": optional}


def predicted(text: str, fragment: str, name=None, mention=None, *, shift=(0, 0)) -> dict:
    start = text.index(fragment) + shift[0]
    quote = {"start": start, "end": start + len(fragment) + shift[1], "speaker": None}
    if name is not None or mention is not None:
        speaker = {"name": name, "mention": None}
        if mention is not None:
            m = text.index(mention)
            speaker["mention"] = {"text": mention, "start": m, "end": m + len(mention)}
        quote["speaker"] = speaker
    return quote


ARTICLE = (
    '“We are ready,” an Elysee official said, “to act with the Americans.”\n'
    'Mr Macron said the “coalition of the willing” would meet. “It is a good day for Europe,\n'
    '“and a good day for peace,” he added.\n'
    'According to Keir Starmer’s office, “the talks went well and will go on.”\n'
)


def test_exact_match_with_the_right_names(reference):
    gold = {"id": "a", "text": ARTICLE, "quotes": [
        gold_quote(ARTICLE, "We are ready,", "Elysee official", aliases=["Elysee Palace official"],
                   source="an Elysee official"),
        gold_quote(ARTICLE, "the talks went well and will go on.", "Keir Starmer's office",
                   source="Keir Starmer’s office"),
    ]}
    response = {"quotes": [
        predicted(ARTICLE, "We are ready,", name="An Elysee official"),
        predicted(ARTICLE, "the talks went well and will go on.", name="Keir Starmer’s office"),
    ]}
    counts = assert_same(reference, gold, response)
    assert counts["tp"] == counts["e2e_ok"] == 2


def test_a_quote_over_paragraphs_is_scored_per_line(reference):
    opening = ARTICLE.index("It is a good day")
    closing = ARTICLE.index("peace,") + len("peace,")
    gold = {"id": "a", "text": ARTICLE, "quotes": [
        gold_quote(ARTICLE, "It is a good day for Europe,", "Emmanuel Macron", source="Mr Macron"),
        gold_quote(ARTICLE, "and a good day for peace,", "Emmanuel Macron", source="Mr Macron"),
    ]}
    one_span = {"quotes": [{"start": opening, "end": closing,
                            "speaker": {"name": "Emmanuel Macron",
                                        "mention": {"text": "he", "start": 0, "end": 1}}}]}
    counts = assert_same(reference, gold, one_span)
    assert counts["tp"] == 2 and counts["pred"] == 2


def test_overlap_of_one_half_matches_and_less_does_not(reference):
    text = "x" * 10 + "0123456789" + "y" * 10
    gold = {"id": "a", "text": text, "quotes": [
        {"start": 10, "end": 20, "text": "0123456789", "speaker": None, "optional": False}]}
    half = {"quotes": [{"start": 10, "end": 15}]}
    less = {"quotes": [{"start": 10, "end": 14}]}
    assert assert_same(reference, gold, half)["tp"] == 1
    assert assert_same(reference, gold, less)["tp"] == 0


def test_ties_are_broken_as_the_reference_breaks_them(reference):
    text = "a" * 40
    gold = {"id": "a", "text": text, "quotes": [
        {"start": 0, "end": 10, "speaker": "Alice", "optional": False},
        {"start": 10, "end": 20, "speaker": "Bob", "optional": False},
    ]}
    # one prediction straddling both golds equally, named after one of them, and one exact copy
    response = {"quotes": [{"start": 5, "end": 15, "speaker": "Alice"},
                           {"start": 0, "end": 10, "speaker": "Bob"},
                           {"start": 2, "end": 12, "speaker": "Bob"}]}
    assert_same(reference, gold, response)


def test_optional_quotes_are_neutral(reference):
    gold = {"id": "a", "text": ARTICLE, "quotes": [
        gold_quote(ARTICLE, "coalition of the willing", None, optional=True),
        gold_quote(ARTICLE, "to act with the Americans.", "Elysee official", optional=True),
        gold_quote(ARTICLE, "We are ready,", "Elysee official", source="an Elysee official"),
    ]}
    response = {"quotes": [predicted(ARTICLE, "coalition of the willing"),
                           predicted(ARTICLE, "We are ready,", mention="an Elysee official")]}
    counts = assert_same(reference, gold, response)
    assert counts == {"gold_req": 1, "pred": 1, "tp": 1, "fp": 0, "fn": 0,
                      "attr_scored": 1, "attr_ok": 1, "e2e_ok": 1}


@pytest.mark.parametrize("name, mention", [
    ("he", "he"),                         # a pronoun overlapping the gold mention
    ("Macron", None),                     # surname inside the full name
    ("President Emmanuel Macron", None),  # titles do not count
    ("he", None),                         # a bare pronoun never matches a name
    (None, "Mr Macron"),                  # the mention's words are enough
    ("Keir Starmer", None),               # someone else
])
def test_speaker_rules(reference, name, mention):
    gold = {"id": "a", "text": ARTICLE, "quotes": [
        gold_quote(ARTICLE, "and a good day for peace,", "Emmanuel Macron", source="he"),
    ]}
    response = {"quotes": [predicted(ARTICLE, "and a good day for peace,", name=name, mention=mention)]}
    assert_same(reference, gold, response)


def test_a_quote_without_gold_speaker_counts_whatever_is_predicted(reference):
    gold = {"id": "a", "text": ARTICLE, "quotes": [
        gold_quote(ARTICLE, "the talks went well and will go on.", None)]}
    response = {"quotes": [predicted(ARTICLE, "the talks went well and will go on.", name="Bob")]}
    assert assert_same(reference, gold, response)["e2e_ok"] == 1


def test_other_prediction_shapes(reference):
    start = ARTICLE.index("We are ready,")
    gold = {"id": "a", "text": ARTICLE, "quotes": [
        gold_quote(ARTICLE, "We are ready,", "Elysee official"),
        gold_quote(ARTICLE, "to act with the Americans.", "Elysee official")]}
    response = {"quotes": [
        {"spans": [{"start": start, "end": start + 13},
                   {"start": ARTICLE.index("to act"), "end": ARTICLE.index("Americans.") + 10}],
         "speaker": "the Elysee official"},
        {"start": None, "end": 4, "speaker": {"name": "x", "mention": "Elysee official"}},
        {"start": 0, "end": 3, "speaker": {"mention": "Elysee official"}},
    ]}
    assert_same(reference, gold, response)


def test_content_words_and_names_agree_with_the_reference(reference):
    names = ["Mr Macron", "Emmanuel Macron’s", "U.S. President Donald J. Trump", "he", "they",
             "the Elysee official", "Keir Starmer's office", "Stefan Kornelius", "", None,
             "Sen. Ted Cruz (R-Texas)", "Ms. O'Neill-Smith", "Prime Minister Keir Starmer"]
    for a in names:
        assert evaluate.content_words(a) == reference.content(a)
        for b in names:
            if a and b:
                assert evaluate.names_match(a, b) == reference.name_match(a, b), (a, b)


def test_line_splitting_agrees_with_the_reference(reference):
    text = "  one\n\n two  \n three\n"
    for start in range(len(text) + 1):
        for end in range(start, len(text) + 1):
            assert evaluate.split_at_newlines(text, start, end) == reference.split_lines(text, start, end)


def random_case(rng: random.Random) -> tuple[dict, dict]:
    """A small article with random gold quotes and predictions near and away from them."""
    text = "".join(rng.choice("abc d\n") for _ in range(rng.randint(20, 80)))
    names = ["Emmanuel Macron", "Mr Macron", "he", "Keir Starmer's office", "the Elysee official",
             "President Trump", "Trump", "an official", None]
    quotes = []
    for _ in range(rng.randint(0, 5)):
        start = rng.randrange(len(text))
        end = min(len(text), start + rng.randint(1, 25))
        source = None
        if rng.random() < 0.6:
            s = rng.randrange(len(text))
            source = [s, min(len(text), s + rng.randint(1, 6))]
        quotes.append({"start": start, "end": end, "speaker": rng.choice(names),
                       "aliases": rng.sample([n for n in names if n], rng.randint(0, 2)),
                       "source_span": source, "optional": rng.random() < 0.3})
        if rng.random() < 0.4:
            quotes[-1]["kind"] = rng.choice(["indirect", "direct"])
    predictions = []
    for _ in range(rng.randint(0, 6)):
        if quotes and rng.random() < 0.7:
            near = rng.choice(quotes)
            start = max(0, near["start"] + rng.randint(-4, 4))
            end = min(len(text), max(start, near["end"] + rng.randint(-4, 4)))
        else:
            start = rng.randrange(len(text))
            end = min(len(text), start + rng.randint(0, 25))
        speaker = rng.choice([None, rng.choice(names), {"name": rng.choice(names)}])
        if isinstance(speaker, dict) and rng.random() < 0.6:
            m = rng.randrange(len(text))
            speaker["mention"] = {"text": rng.choice(names), "start": m, "end": m + rng.randint(1, 5)}
        predictions.append({"start": start, "end": end, "speaker": speaker})
        if rng.random() < 0.4:
            predictions[-1]["type"] = rng.choice(["indirect", "direct", "partial"])
    return {"id": "random", "text": text, "quotes": quotes}, {"quotes": predictions}


@pytest.mark.parametrize("kind", evaluate.SCORED_KINDS)
def test_random_cases_agree_with_the_reference(reference, kind):
    rng = random.Random(20250904)
    for _ in range(2000):
        gold, response = random_case(rng)
        assert_same(reference, gold, response, kind)


def test_indirect_gold_and_predictions_are_left_out_of_direct_scoring():
    text = "Macron said Europe was ready to help. “We are ready,” an official said."
    gold = {"id": "k", "text": text, "quotes": [
        gold_quote(text, "We are ready,", "official", source="an official"),
        dict(gold_quote(text, "Europe was ready to help", "Macron", source="Macron"), kind="indirect")]}
    response = {"quotes": [predicted(text, "We are ready,", mention="an official"),
                           dict(predicted(text, "Europe was ready to help", "Macron"), type="indirect")]}
    direct = evaluate.score_article(gold, response).counts
    assert (direct.gold_req, direct.pred, direct.tp, direct.e2e_ok) == (1, 1, 1, 1)
    indirect = evaluate.score_article(gold, response, "indirect").counts
    assert (indirect.gold_req, indirect.pred, indirect.tp, indirect.e2e_ok) == (1, 1, 1, 1)
    both = evaluate.score_article(gold, {"quotes": response["quotes"][:1]}, "all")
    assert (both.counts.gold_req, both.counts.tp, both.counts.fn) == (2, 1, 1)
    assert [(e["kind"], e["type"]) for e in both.errors] == [("missed", "indirect")]
    with pytest.raises(ValueError):
        evaluate.score_article(gold, response, "reported")


def test_totals_over_a_folder_agree_with_the_reference(tmp_path):
    """Perturbed copies of the seed gold as predictions, scored by both from the command line up."""
    rng = random.Random(7)
    golds = evaluate.load_golds(SEEDS_GOLD)
    responses = []
    for gold in golds:
        quotes = []
        for q in gold["quotes"]:
            if rng.random() < 0.15:
                continue  # missed
            start, end = q["start"] + rng.randint(-3, 3), q["end"] + rng.randint(-8, 3)
            speaker = rng.choice([q["speaker"], None, "Donald Trump", "he", *q.get("aliases", [])])
            quotes.append({"start": max(0, start), "end": max(0, end), "speaker": speaker})
        quotes.append({"start": 0, "end": 40, "speaker": None})  # spurious
        response = {"id": gold["id"], "quotes": quotes}
        responses.append(response)
        (tmp_path / f"{gold['id']}.json").write_text(json.dumps(response), encoding="utf-8")

    run = subprocess.run([sys.executable, str(SHARED_SCORER), str(SEEDS_GOLD), "--pred-dir", str(tmp_path),
                          "--json"], capture_output=True, text=True, check=True, timeout=120)
    expected = json.loads(run.stdout)
    expected.pop("seconds")
    report = evaluate.evaluate(golds, responses)
    assert report.totals() == expected
    assert 0 < report.totals()["e2e_f1"] < 1
