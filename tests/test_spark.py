"""The Spark job on a local master gives the records of ``quotes extract --jsonl``, article by article."""
from __future__ import annotations

import io
import json
import os
import re
import shutil
import sys
from pathlib import Path

import pytest

from helpers import FailsOn
from service import cli

REPO = Path(__file__).resolve().parent.parent
SEEDS = sorted((REPO / "seeds" / "articles").glob("*.txt"))
EVAL_DATA = Path(os.environ.get("QUOTES_EVAL_DATA") or REPO.parent / "shared" / "eval-data")
POLNEAR_DEV = EVAL_DATA / "polnear-dev"
SAMPLE = "“We are ready,” an Elysee official said.\n\nMr Macron told reporters: “Europe will act.”\n"

pytestmark = pytest.mark.skipif(shutil.which("java") is None, reason="Spark needs Java 17 or later on PATH")


@pytest.fixture(scope="module")
def spark(tmp_path_factory):
    from service.spark import session

    scratch = tmp_path_factory.mktemp("spark")
    spark = session("local[2]", {
        "spark.sql.warehouse.dir": str(scratch / "warehouse"),
        # so that the workers can build the failing engine of this module
        "spark.executorEnv.PYTHONPATH": str(Path(__file__).parent)})
    yield spark
    spark.stop()


def failing_engine(settings):
    """The real engine, except on articles holding BOOM; built in each Spark worker."""
    from service.engine import Engine

    return FailsOn(Engine.from_settings(settings), "BOOM")


def jsonl_answers(capsys, monkeypatch, engine, records: list[dict]) -> list[dict]:
    """What ``quotes extract --jsonl`` answers to ``records``, one JSON line each."""
    lines = "".join(json.dumps(record, ensure_ascii=False) + "\n" for record in records)
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(lines.encode("utf-8")), encoding="utf-8"))
    assert cli.main(["extract", "--jsonl"], engine=engine) == 0
    out, _ = capsys.readouterr()
    return [json.loads(line) for line in out.splitlines()]


def spark_results(spark, records: list[dict], make_engine=None) -> tuple[dict, dict]:
    """The article rows by id and the quote rows by article id (in quote order) of a Spark run."""
    from service.spark import extract

    articles = spark.createDataFrame([(r.get("id"), r.get("text")) for r in records], "id string, text string")
    results = extract(articles.repartition(3), make_engine=make_engine)
    try:
        rows = {row["id"]: row.asDict(recursive=True) for row in results.articles.collect()}
        quotes: dict = {}
        for row in results.quotes.collect():
            quotes.setdefault(row["article_id"], []).append(row.asDict(recursive=True))
    finally:
        results.unpersist()
    assert len(rows) == len(records), "one article row per article"
    return rows, {key: sorted(found, key=lambda q: int(q["quote_id"][1:])) for key, found in quotes.items()}


def as_quote_record(row: dict) -> dict:
    """A quote row of the Spark job as the API's quote record."""
    speaker = None if row["speaker_id"] is None else {
        "id": row["speaker_id"], "name": row["speaker_name"], "mention": row["speaker_mention"]}
    return {"id": row["quote_id"], "text": row["text"], "start": row["start"], "end": row["end"],
            "type": row["type"], "speaker": speaker, "cue": row["cue"], "paragraph": row["paragraph"],
            "group": row["group"], "confidence": row["confidence"], "method": row["method"]}


def as_spark_problem(problem: dict) -> dict:
    """The problem of an error line of --jsonl as the Spark job gives it: the article is not a line."""
    detail = re.sub(r"^Line \d+", "The article", problem["detail"])
    return {"type": problem["type"], "title": problem["title"], "status": problem["status"], "detail": detail}


def assert_same_as_jsonl(answers: list[dict], rows: dict, quotes: dict) -> None:
    for answer in answers:
        row, found = rows[answer["id"]], quotes.get(answer["id"], [])
        assert [as_quote_record(quote) for quote in found] == answer["quotes"], answer["id"]
        kinds = {speaker["id"]: speaker["kind"] for speaker in answer["speakers"]}
        assert [quote["speaker_kind"] for quote in found] == [kinds.get(q["speaker_id"]) for q in found]
        meta = answer["meta"]
        assert row["error"] is None
        assert (row["quotes"], row["speakers"]) == (len(answer["quotes"]), len(answer["speakers"]))
        assert {name: row[name] for name in ("characters", "model", "version", "quotes_omitted")} == \
               {name: meta[name] for name in ("characters", "model", "version", "quotes_omitted")}


def test_seed_articles_give_the_records_of_jsonl(spark, engine, capsys, monkeypatch):
    records = [{"id": path.stem, "text": path.read_text(encoding="utf-8")} for path in SEEDS]
    answers = jsonl_answers(capsys, monkeypatch, engine, records)
    rows, quotes = spark_results(spark, records)
    assert sum(len(answer["quotes"]) for answer in answers) > 0
    assert_same_as_jsonl(answers, rows, quotes)


def test_polnear_dev_articles_give_the_records_of_jsonl(spark, engine, capsys, monkeypatch):
    if not POLNEAR_DEV.is_dir():
        pytest.skip(f"polnear-dev not found at {POLNEAR_DEV}; set QUOTES_EVAL_DATA to the eval-data folder")
    golds = [json.loads(path.read_text(encoding="utf-8")) for path in sorted(POLNEAR_DEV.glob("*.json"))]
    records = [{"id": gold["id"], "text": gold["text"]} for gold in golds]
    answers = jsonl_answers(capsys, monkeypatch, engine, records)
    rows, quotes = spark_results(spark, records)
    assert_same_as_jsonl(answers, rows, quotes)


def test_an_invalid_article_is_an_error_row_and_the_others_are_answered(spark, engine, capsys, monkeypatch):
    records = [{"id": "good", "text": SAMPLE}, {"id": "blank", "text": " \n\t"}, {"id": "no-text", "text": None}]
    answers = {answer["id"]: answer for answer in jsonl_answers(capsys, monkeypatch, engine, records)}
    rows, quotes = spark_results(spark, records)
    assert_same_as_jsonl([answers["good"]], rows, quotes)
    for record_id in ("blank", "no-text"):
        assert rows[record_id]["error"] == as_spark_problem(answers[record_id]["error"])
        assert rows[record_id]["error"]["status"] == 422
        assert rows[record_id]["quotes"] is None and record_id not in quotes


def test_an_article_the_engine_fails_on_is_an_error_row(spark, engine, capsys, monkeypatch):
    records = [{"id": "1", "text": SAMPLE}, {"id": "2", "text": "BOOM, “it broke,” she said."},
               {"id": "3", "text": SAMPLE}]
    answers = jsonl_answers(capsys, monkeypatch, FailsOn(engine, "BOOM"), records)
    rows, quotes = spark_results(spark, records, failing_engine)
    assert_same_as_jsonl([answers[0], answers[2]], rows, quotes)
    assert rows["2"]["error"] == as_spark_problem(answers[1]["error"])
    assert rows["2"]["error"]["status"] == 500 and "2" not in quotes


def test_the_command_writes_quote_and_article_rows_as_parquet(spark, engine, capsys, monkeypatch, tmp_path):
    records = [{"id": "good", "text": SAMPLE}, {"id": "blank", "text": " "}]
    source = tmp_path / "articles.jsonl"
    source.write_text(f"{json.dumps(records[0])}\n{{broken\n{json.dumps(records[1])}\n", encoding="utf-8")
    answers = jsonl_answers(capsys, monkeypatch, engine, records)
    assert cli.main(["spark", str(source), str(tmp_path / "out"), "--master", "local[2]"]) == 0
    assert "3 articles (2 with an error), 2 quotes" in capsys.readouterr().out
    articles = spark.read.parquet(str(tmp_path / "out" / "articles")).collect()
    rows = {row["id"]: row.asDict(recursive=True) for row in articles}
    quotes = [row.asDict(recursive=True) for row in spark.read.parquet(str(tmp_path / "out" / "quotes")).collect()]
    assert_same_as_jsonl(answers[:1], rows, {"good": sorted(quotes, key=lambda q: int(q["quote_id"][1:]))})
    assert rows["blank"]["error"] == as_spark_problem(answers[1]["error"])
    assert rows[None]["error"]["status"] == 400 and rows[None]["quotes"] is None


def test_the_command_keeps_an_existing_output(capsys, tmp_path):
    (tmp_path / "out" / "articles").mkdir(parents=True)
    assert cli.main(["spark", str(tmp_path / "in.jsonl"), str(tmp_path / "out")]) == 1
    assert "--overwrite" in capsys.readouterr().err


def test_the_rows_are_derived_from_the_response_schemas():
    from service import spark
    from service.contract.schemas import HtmlOffsetsSchema, MetaSchema, QuoteSchema, SpeakerSchema

    html = set(HtmlOffsetsSchema().fields)
    columns = set(spark.QUOTE.fieldNames())
    for name in set(QuoteSchema().fields) - html - {"id", "speaker"}:
        assert name in columns
    for name, field in SpeakerSchema().fields.items():
        if not isinstance(field, (type(SpeakerSchema().fields["mentions"]),)):
            assert f"speaker_{name}" in columns
    assert set(MetaSchema().fields) <= set(spark.ARTICLE.fieldNames())
