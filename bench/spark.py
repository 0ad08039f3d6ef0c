"""The Spark job against ``quotes extract --jsonl`` on the same cores: ``python -m bench.spark``.

The same articles (the seed and polnear-dev articles, repeated to ``--min-chars``) go through
``quotes spark``'s job (read JSON lines, extract, write Parquet) on ``local[1]`` and ``local[2]``,
and through ``quotes extract --jsonl`` with one process and with two. Start-up is timed apart:
for Spark, the JVM and then the Python workers loading the model (a warm-up job); for --jsonl,
loading the model. The rates are articles per second once started, the best of ``--rounds``.

Targets: Spark on ``local[2]`` at least ``SCALING``× its rate on ``local[1]``, and Spark at most
``OVERHEAD`` slower than --jsonl on the same number of cores. The exit status is 1 if one is missed.
"""
from __future__ import annotations

import argparse
import io
import shutil
import tempfile
import time
from pathlib import Path

from service.settings import Settings

from .speed import Article, Target, load_articles, table, timed

MIN_CHARS = 800_000
SCALING = 1.7  # local[2] ÷ local[1]
OVERHEAD = 0.25  # Spark's time over --jsonl's, on the same cores


def jsonl_rate(articles: list[Article], processes: int, engine, settings: Settings, rounds: int) -> float:
    """The best articles per second of ``quotes extract --jsonl`` with a loaded model."""
    from service.cli import jsonl

    lines = [article.json() + b"\n" for article in articles]

    def run() -> float:
        runner = (jsonl.Processes(processes, settings, engine) if processes > 1
                  else jsonl.InProcess(engine, settings))  # with fork, the workers inherit the model
        out = io.StringIO()
        seconds = timed(jsonl.extract_jsonl, runner, iter(lines), out)
        if out.getvalue().count("\n") != len(articles):
            raise RuntimeError("quotes extract --jsonl did not answer every article")
        return len(articles) / seconds

    return max(run() for _ in range(rounds))


def spark_run(source: Path, articles: list[Article], cores: int, settings: Settings, scratch: Path,
              rounds: int) -> tuple[float, float, float]:
    """Seconds to start the session (the first one starts the JVM), seconds for the Python workers
    to load the model, and the best articles per second of the job on ``local[cores]``."""
    from service import spark

    started = time.perf_counter()
    session = spark.session(f"local[{cores}]", {"spark.sql.warehouse.dir": str(scratch / "warehouse")})
    jvm = time.perf_counter() - started
    try:
        warm_up = session.createDataFrame([(a.id, a.text) for a in articles[:2 * cores]], "id string, text string")
        workers = timed(lambda: spark.extract(warm_up.repartition(2 * cores), settings).articles.collect())

        def run() -> float:
            summary = spark.extract_archive(session, str(source), str(scratch / "out"), settings, overwrite=True)
            if summary.articles != len(articles) or summary.errors:
                raise RuntimeError(f"the Spark job answered {summary.articles} articles, "
                                   f"{summary.errors} with an error")
            return summary.articles

        rates = []
        for _ in range(rounds):
            started = time.perf_counter()
            rates.append(run() / (time.perf_counter() - started))
    finally:
        session.stop()
    return jvm, workers, max(rates)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.spark", description=__doc__.split("\n\n")[0])
    parser.add_argument("--min-chars", type=int, default=MIN_CHARS, help="repeat the articles to this size")
    parser.add_argument("--rounds", type=int, default=2, help="timed runs of each way (the best is kept)")
    args = parser.parse_args(argv)

    settings = Settings.from_env()
    articles, sources = load_articles(args.min_chars)
    print(f"{len(articles)} articles, {sum(len(a.text) for a in articles):,} characters ({', '.join(sources)})")
    engines: list = []
    scratch = Path(tempfile.mkdtemp(prefix="quotes-bench-spark-"))
    try:
        source = scratch / "articles.jsonl"
        source.write_bytes(b"".join(article.json() + b"\n" for article in articles))
        from service.engine import Engine

        model = timed(lambda: engines.append(Engine.from_settings(settings)))
        jsonl = {cores: jsonl_rate(articles, cores, engines[0], settings, args.rounds) for cores in (1, 2)}
        spark = {cores: spark_run(source, articles, cores, settings, scratch, args.rounds) for cores in (1, 2)}
    finally:
        shutil.rmtree(scratch, ignore_errors=True)

    rows = [(f"quotes extract --jsonl --processes {cores}", f"{rate:6.2f} articles/s") for cores, rate in jsonl.items()]
    rows += [(f"Spark local[{cores}]", f"{rate:6.2f} articles/s") for cores, (_, _, rate) in spark.items()]
    table("Articles per second once started (best of rounds)", rows)
    table("Start-up", [("--jsonl: loading the model", f"{model:5.1f} s")] + [
        (f"Spark local[{cores}]: session{' and JVM' if cores == 1 else ''}, then workers loading the model",
         f"{session:5.1f} s + {workers:5.1f} s") for cores, (session, workers, _) in spark.items()])
    targets = [Target("Spark local[2] ÷ local[1]", spark[2][2] / spark[1][2], SCALING, at_least=True)]
    targets += [Target(f"Spark's time over --jsonl's, {cores} core{'s' * (cores > 1)}",
                       100 * (jsonl[cores] / spark[cores][2] - 1), 100 * OVERHEAD, at_least=False, unit="%")
                for cores in (1, 2)]
    print("\nTargets")
    for target in targets:
        print(target.line())
    return 0 if all(target.passed for target in targets) else 1


if __name__ == "__main__":
    raise SystemExit(main())
