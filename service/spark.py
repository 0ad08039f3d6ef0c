"""The engine as a Spark job (the optional extra ``newsroom-quotes[spark]``).

``extract(articles)`` takes a DataFrame of articles (string columns ``id`` and ``text``, and
optionally ``include``) and returns two DataFrames: one row per quote (``QUOTE``) and one row per
article (``ARTICLE``). Each Python worker builds its engine once and answers its partitions in
batches of ``BATCH_ARTICLES`` articles, with the same validation, the same ``extract_many``
and the same error records as ``quotes extract --jsonl``: an article that is not valid, or that
the engine fails on, gets an error in its article row (a problem object, as the API's errors)
and never fails the job.
"""
from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa
from marshmallow import Schema, fields
from pyspark import StorageLevel
from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import functions as F
from pyspark.sql.pandas.types import to_arrow_schema
from pyspark.sql.types import (
    ArrayType,
    BooleanType,
    DataType,
    DoubleType,
    IntegerType,
    StringType,
    StructField,
    StructType,
)

from . import intake
from .contract.problems import problem_body
from .contract.schemas import (
    HtmlOffsetsSchema,
    MetaSchema,
    ProblemSchema,
    QuoteSchema,
    QuoteSpeakerSchema,
    SpeakerSchema,
)
from .responses import BATCH_ARTICLES, answer_bodies, error_body
from .settings import Settings

CORRUPT_RECORD = "_corrupt_record"  # Spark's column for a JSON line its reader could not read

ARTICLES_PER_TASK = 1_000  # a task that fails is redone; a few minutes of one core at most
ARTICLES_PER_FILE = 100_000  # Parquet files of some megabytes
JSON_LINES_SCHEMA = f"id string, text string, include array<string>, {CORRUPT_RECORD} string"
LOG_CONFIG = Path(__file__).with_name("spark-log4j2.properties")


# The rows are derived from the response schemas, so that a field added there is a column here.
_SPARK_TYPES = {fields.String: StringType, fields.Integer: IntegerType, fields.Float: DoubleType,
                fields.Boolean: BooleanType}
# The Spark job reads plain text, never HTML: no record has HTML offsets.
_HTML_OFFSETS = frozenset(HtmlOffsetsSchema().fields)


def spark_type(field: fields.Field) -> DataType:
    """The Spark type of a schema field: its scalar type, a struct for a nested schema, an array for a list."""
    if isinstance(field, fields.Nested):
        return struct_of(field.schema)
    if isinstance(field, fields.List):
        return ArrayType(spark_type(field.inner))
    for kind, spark in _SPARK_TYPES.items():
        if isinstance(field, kind):
            return spark()
    raise TypeError(f"no Spark type for {type(field).__name__}")


def _scalar(field: fields.Field) -> bool:
    return isinstance(field, tuple(_SPARK_TYPES))


def struct_of(schema: Schema, leave_out: frozenset[str] = frozenset()) -> StructType:
    """A schema's fields as a struct, in the schema's order, HTML offsets and ``leave_out`` left out."""
    return StructType([StructField(name, spark_type(field)) for name, field in schema.fields.items()
                       if name not in _HTML_OFFSETS | leave_out])


_QUOTE_SCHEMA, _REF_SCHEMA, _SPEAKER_SCHEMA = QuoteSchema(), QuoteSpeakerSchema(), SpeakerSchema()
# The speaker of a quote, flattened: the quote's reference (id, name, mention), then what the speaker
# list says of the speaker besides (its kind).
_SPEAKER_EXTRA = [name for name, field in _SPEAKER_SCHEMA.fields.items()
                  if name not in _REF_SCHEMA.fields and _scalar(field)]


def _quote_columns() -> list[StructField]:
    columns = []
    for name, field in _QUOTE_SCHEMA.fields.items():
        if name in _HTML_OFFSETS:
            continue
        if name == "speaker":
            columns += [StructField(f"speaker_{inner}", spark_type(ref)) for inner, ref in _REF_SCHEMA.fields.items()]
            columns += [StructField(f"speaker_{extra}", spark_type(_SPEAKER_SCHEMA.fields[extra]))
                        for extra in _SPEAKER_EXTRA]
        else:
            columns.append(StructField("quote_id" if name == "id" else name, spark_type(field)))
    return columns


# A problem without its per-field messages (a map of lists that Parquet readers take badly).
PROBLEM = struct_of(ProblemSchema(), leave_out=frozenset({"errors"}))
# A quote record of the API with its speaker flattened.
QUOTE = StructType(_quote_columns())
# One row per article: its id, how many quotes and speakers it has, its meta, or the error in its place.
_META_COLUMNS = [name for name, field in MetaSchema().fields.items() if _scalar(field)]
ARTICLE = StructType([StructField("id", StringType()), StructField("quotes", IntegerType()),
                      StructField("speakers", IntegerType()),
                      *(struct_of(MetaSchema())[name] for name in _META_COLUMNS),
                      StructField("error", PROBLEM)])
# What the workers return: the article row with its quotes, split into the two DataFrames after.
ANSWER = StructType(ARTICLE.fields + [StructField("quote_rows", ArrayType(QUOTE))])
_ARROW_ANSWER = to_arrow_schema(ANSWER)


@dataclass
class Results:
    """The rows of one run. Both are computed by one pass over the articles, kept until ``unpersist``."""

    quotes: DataFrame
    articles: DataFrame
    answers: DataFrame

    def unpersist(self) -> None:
        self.answers.unpersist()


def extract(articles: DataFrame, settings: Settings | None = None,
            make_engine: Callable[[Settings], Any] | None = None) -> Results:
    """The quotes and the article rows of ``articles``, under ``settings`` (default: the ``QUOTES_*``
    environment of this process; the model, ``max_chars`` and ``max_quotes`` apply). ``make_engine``
    builds the engine from the settings in each worker (default ``Engine.from_settings``); it should
    be a module-level function, so that a worker builds it once and reuses it for every partition."""
    answer = functools.partial(answer_batches, settings=settings or Settings.from_env(),
                               make_engine=make_engine or _default_engine)
    answers = _inputs(articles).mapInArrow(answer, ANSWER).persist(StorageLevel.MEMORY_AND_DISK)
    quotes = (answers.select(F.col("id").alias("article_id"), F.explode("quote_rows").alias("quote"))
              .select("article_id", "quote.*"))
    return Results(quotes, answers.drop("quote_rows"), answers)


def _inputs(articles: DataFrame) -> DataFrame:
    """The columns the workers read: ``id`` as a string, ``text``, and ``include`` and the corrupt
    record column when there are."""
    columns = set(articles.columns)
    if "text" not in columns:
        raise ValueError("the articles have no `text` column")
    selected = [F.col("id").cast("string").alias("id") if "id" in columns else F.lit(None).cast("string").alias("id"),
                F.col("text")]
    selected += [F.col(name) for name in ("include", CORRUPT_RECORD) if name in columns]
    return articles.select(*selected)


def _default_engine(settings: Settings):
    from .engine import Engine

    return Engine.from_settings(settings)


_engines: dict = {}  # the engines of this worker process, by the function that builds them and the model


def worker_engine(make_engine: Callable[[Settings], Any], settings: Settings):
    key = (make_engine, settings.model)
    if key not in _engines:
        _engines[key] = make_engine(settings)
    return _engines[key]


def answer_batches(batches: Iterator[pa.RecordBatch], settings: Settings,
                   make_engine: Callable[[Settings], Any]) -> Iterator[pa.RecordBatch]:
    """The answer rows of Arrow batches of articles, ``BATCH_ARTICLES`` articles at a time."""
    engine = worker_engine(make_engine, settings)
    for batch in batches:
        rows = batch.to_pylist()
        for start in range(0, len(rows), BATCH_ARTICLES):
            answers = answer_rows(engine, settings, rows[start:start + BATCH_ARTICLES])
            yield pa.RecordBatch.from_pylist(answers, schema=_ARROW_ANSWER)


def answer_rows(engine, settings: Settings, rows: list[dict]) -> list[dict]:
    """One answer row per article row, in order: checked and answered as ``quotes extract --jsonl``
    answers a line."""
    loaded = [_article(row, settings) for row in rows]
    bodies = iter(answer_bodies(engine, [article for article in loaded if not isinstance(article, dict)],
                                settings.max_quotes))
    return [body_row(error_body(row["id"], article) if isinstance(article, dict) else next(bodies))
            for row, article in zip(rows, loaded, strict=True)]


def _article(row: dict, settings: Settings):
    """The ``Article`` of a row, or the problem (a problem+json object) in its place."""
    if row.get(CORRUPT_RECORD) is not None:
        return problem_body(400, "The line is not valid JSON, or not an object whose id and text are strings.")
    data = {"id": row["id"], "text": row["text"]}
    if row.get("include") is not None:
        data["include"] = row["include"]
    try:
        return intake.load(data, settings.max_chars, "The article")
    except intake.Refused as refused:
        return refused.problem


def body_row(body: dict) -> dict:
    """The answer row of a response body, or of an error body (``{"id", "error"}``)."""
    if "error" in body:
        error = {name: body["error"][name] for name in PROBLEM.fieldNames()}
        return {"id": body["id"], "error": error, "quote_rows": []}
    meta = body["meta"]
    return {"id": body["id"], "quotes": len(body["quotes"]), "speakers": len(body["speakers"]),
            **{name: meta[name] for name in _META_COLUMNS}, "error": None, "quote_rows": quote_rows(body)}


def quote_rows(body: dict) -> list[dict]:
    """The quote records of a response body, each with its speaker flattened (``QUOTE``)."""
    speakers = {speaker["id"]: speaker for speaker in body["speakers"]}
    rows = []
    for quote in body["quotes"]:
        ref = quote["speaker"] or {}
        speaker = speakers.get(ref.get("id"), {})
        row = {"quote_id": quote["id"]}
        for name in _QUOTE_SCHEMA.fields:
            if name == "speaker":
                row.update({f"speaker_{inner}": ref.get(inner) for inner in _REF_SCHEMA.fields})
                row.update({f"speaker_{extra}": speaker.get(extra) for extra in _SPEAKER_EXTRA})
            elif name != "id" and name not in _HTML_OFFSETS:
                row[name] = quote[name]
        rows.append(row)
    return rows


def session(master: str | None = None, conf: dict[str, str] | None = None) -> SparkSession:
    """The Spark session of the job: on ``master`` when given, else on the one ``spark-submit`` was
    given, else on ``local[*]``. On a local master the workers run this Python, Spark listens on the
    loopback only, without its web UI, with one shuffle partition per core, and the JVM logs
    warnings only; no progress bar anywhere."""
    if master is None and "PYSPARK_GATEWAY_PORT" not in os.environ:  # not started by spark-submit
        master = "local[*]"
    builder = SparkSession.builder.appName("quotes").config("spark.ui.showConsoleProgress", "false")
    local = master is not None and master.startswith("local")
    if master is not None:
        builder = builder.master(master)
    if local:
        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
        os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
        builder = (builder.config("spark.ui.enabled", "false")
                   .config("spark.driver.extraJavaOptions", f"-Dlog4j2.configurationFile={LOG_CONFIG}"))
    for key, value in (conf or {}).items():
        builder = builder.config(key, value)
    spark = builder.getOrCreate()
    spark.sparkContext.setLogLevel("WARN")
    if local:
        spark.conf.set("spark.sql.shuffle.partitions", str(spark.sparkContext.defaultParallelism))
    return spark


def read_articles(spark: SparkSession, source: str, input_format: str | None = None) -> DataFrame:
    """The articles of a JSON lines file or folder, or of Parquet (``input_format``, or guessed from
    the name: ``.parquet``, or a folder of ``.parquet`` files). A JSON line Spark cannot read as an
    object with a string ``text`` keeps its place, as a corrupt record."""
    if (input_format or _guess_format(source)) == "parquet":
        return spark.read.parquet(source)
    return (spark.read.schema(JSON_LINES_SCHEMA).option("mode", "PERMISSIVE")
            .option("columnNameOfCorruptRecord", CORRUPT_RECORD).json(source))


def _guess_format(source: str) -> str:
    path = Path(source)
    parquet = path.suffix == ".parquet" or (path.is_dir() and any(path.glob("*.parquet")))
    return "parquet" if parquet else "jsonl"


@dataclass
class Summary:
    articles: int
    errors: int
    quotes: int


def extract_archive(spark: SparkSession, source: str, target: str, settings: Settings | None = None, *,
        partitions: int | None = None, input_format: str | None = None, overwrite: bool = False) -> Summary:
    """Write the quote and article rows of the articles at ``source`` as Parquet to ``target``/quotes
    and ``target``/articles. The articles are spread over ``partitions`` tasks (by default
    ``ARTICLES_PER_TASK`` articles each, at least two per core); the rows are written in files of
    about ``ARTICLES_PER_FILE`` articles."""
    articles = read_articles(spark, source, input_format)
    count = articles.count()
    tasks = partitions or max(2 * spark.sparkContext.defaultParallelism, -(-count // ARTICLES_PER_TASK))
    results = extract(articles.repartition(tasks), settings)
    try:
        totals = results.articles.agg(F.count("*"), F.count("error"), F.sum("quotes")).first()  # runs the job
        files = max(1, -(-count // ARTICLES_PER_FILE))
        mode = "overwrite" if overwrite else "errorifexists"
        results.articles.coalesce(files).write.mode(mode).parquet(f"{target}/articles")
        results.quotes.coalesce(files).write.mode(mode).parquet(f"{target}/quotes")
    finally:
        results.unpersist()
    return Summary(totals[0], totals[1], totals[2] or 0)
