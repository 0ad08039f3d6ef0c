"""``quotes compare``: the JSON of ``POST /v1/compare`` for files, or a report for people."""
from __future__ import annotations

import json

import pytest

from helpers import REPO, assert_comparison, run

AFP = REPO / "seeds" / "articles" / "001_81a850ca81dad687.txt"
REWRITE = REPO / "seeds" / "articles" / "000_efcebe05e6753dc0.txt"


def test_compare_prints_the_json_of_the_api(capsys, engine, client):
    code, out, err = run(capsys, ["compare", str(AFP), str(REWRITE)], engine)
    assert (code, err) == (0, "")
    body = json.loads(out)
    articles = [{"id": path.name, "text": path.read_text(encoding="utf-8")} for path in (AFP, REWRITE)]
    assert_comparison(articles, body)
    answered = client.post("/v1/compare", json={"articles": articles}).get_json()
    assert body["alignments"] == answered["alignments"] and body["unmatched"] == answered["unmatched"]
    assert body["reference"] == AFP.name


def test_compare_pretty_is_indented(capsys, engine):
    code, out, _ = run(capsys, ["compare", str(REWRITE), str(AFP), "--pretty"], engine)
    assert code == 0 and out.startswith('{\n  "reference": "000_efcebe05e6753dc0.txt"')


def test_compare_report(capsys, engine):
    code, out, _ = run(capsys, ["compare", str(AFP), str(REWRITE), "--report"], engine)
    assert code == 0
    assert out.startswith(f"Reference: {AFP.name} (7 quotes)\n")
    assert (f"Against {REWRITE.name}: 1 verbatim, 2 reworded, 0 fragment, 0 paraphrased, 4 missing, "
            "0 added; 0 misattributed") in out
    assert "We now have [-enough-] {+sufficient+} contributions to [-be able to say to-] {+show+}" in out
    assert "q6 “very disappointed” (Donald Trump)" in out.split("Dropped:")[1]
    assert "Added:" not in out


def test_compare_report_lists_added_quotes_and_misattributions(capsys, engine, tmp_path):
    ours, theirs = tmp_path / "ours.txt", tmp_path / "theirs.txt"
    ours.write_text("“We are ready to act now,” an Elysee official said.", encoding="utf-8")
    theirs.write_text("“We are ready to act now,” a French diplomatic source said.\n\n"
                      "“Talks go on,” Macron said.", encoding="utf-8")
    code, out, _ = run(capsys, ["compare", str(ours), str(theirs), "--report"], engine)
    assert code == 0
    assert "1 verbatim, 0 reworded, 0 fragment, 0 paraphrased, 0 missing, 1 added; 1 misattributed" in out
    assert ("q0 “We are ready to act now,” (Elysee official) -> q0: Elysee official here, "
            "French diplomatic source there") in out
    assert "Added:\n    q1 “Talks go on,” (Macron)" in out


@pytest.mark.parametrize(("argv", "message"), [
    (["compare", str(AFP)], "at least one other version"),
    (["compare", "-", "-"], "only once"),
    (["compare", str(AFP), str(AFP)], "unique"),
])
def test_compare_refuses_what_cannot_be_compared(capsys, engine, argv, message):
    code, out, err = run(capsys, argv, engine)
    assert code == 1 and out == ""
    assert err.startswith("quotes compare: ") and message in err


def test_compare_of_an_empty_file(capsys, engine, tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_text("  \n", encoding="utf-8")
    code, _, err = run(capsys, ["compare", str(AFP), str(empty)], engine)
    assert code == 1 and "empty or only whitespace" in err


def test_compare_honours_the_limits_of_the_settings(capsys, engine, tmp_path):
    from service import cli
    from service.settings import Settings

    ours, theirs = tmp_path / "ours.txt", tmp_path / "theirs.txt"
    ours.write_text("“We are ready to act now,” an Elysee official said.\n\n“Talks go on,” Macron said.",
                    encoding="utf-8")
    theirs.write_text("“Talks go on,” Macron said.", encoding="utf-8")
    assert cli.main(["compare", str(ours), str(theirs)], engine=engine, settings=Settings(max_quotes=1)) == 0
    body = json.loads(capsys.readouterr().out)
    assert [alignment["quote"]["id"] for alignment in body["alignments"]] == ["q0"]
    assert body["articles"][0]["meta"]["quotes_omitted"] == 1
    assert cli.main(["compare", str(ours), str(theirs)], engine=engine, settings=Settings(max_chars=40)) == 1
    assert "ours.txt: The text has 80 characters; the limit is 40. (QUOTES_MAX_CHARS)" in capsys.readouterr().err


@pytest.fixture
def quoted_and_reported(tmp_path):
    quoted, reported = tmp_path / "quoted.txt", tmp_path / "reported.txt"
    quoted.write_text("“We will not send troops to Ukraine,” Trump said.", encoding="utf-8")
    reported.write_text("Trump said he would not send troops to Ukraine.", encoding="utf-8")
    return quoted, reported


def test_compare_include_indirect_finds_the_paraphrase(capsys, engine, client, quoted_and_reported):
    code, out, err = run(capsys, ["compare", *map(str, quoted_and_reported), "--include", "indirect"], engine)
    assert (code, err) == (0, "")
    body = json.loads(out)
    articles = [{"id": path.name, "text": path.read_text(encoding="utf-8")} for path in quoted_and_reported]
    assert_comparison(articles, body)
    (counterpart,) = body["alignments"][0]["counterparts"]
    assert (counterpart["status"], counterpart["speakers_agree"]) == ("paraphrased", True)
    answered = client.post("/v1/compare", json={"articles": articles, "include": ["indirect"]}).get_json()
    assert body["alignments"] == answered["alignments"] and body["unmatched"] == answered["unmatched"]


def test_compare_without_include_misses_the_paraphrase(capsys, engine, quoted_and_reported):
    code, out, _ = run(capsys, ["compare", *map(str, quoted_and_reported)], engine)
    assert code == 0
    assert [c["status"] for c in json.loads(out)["alignments"][0]["counterparts"]] == ["missing"]


def test_compare_report_counts_the_paraphrase(capsys, engine, quoted_and_reported):
    argv = ["compare", *map(str, quoted_and_reported), "--include", "indirect", "--report"]
    code, out, _ = run(capsys, argv, engine)
    assert code == 0
    assert "0 verbatim, 0 reworded, 0 fragment, 1 paraphrased, 0 missing, 0 added; 0 misattributed" in out
    assert "[-We will-] {+he would+} not send troops to Ukraine" in out.split("Changed:")[1]
