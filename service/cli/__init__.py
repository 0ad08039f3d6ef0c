"""The ``quotes`` command: extract quotes from articles, evaluate against gold, serve the API."""
from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO, TextIO

from ..engine.article import INCLUDABLE
from ..settings import Settings, SettingsError
from ..version import __version__

if TYPE_CHECKING:
    from ..engine import Engine

GUNICORN_CONFIG = "python:service.gunicorn_conf"
APP = "service:create_app()"
# What `quotes serve --port` binds without --host, and --host without --port.
DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000


class UsageError(Exception):
    """A mistake of the caller's, reported on stderr without a traceback."""


def main(argv: list[str] | None = None, *, engine: Engine | None = None,
         settings: Settings | None = None) -> int:
    """Run the command line. ``engine`` is an already loaded engine to use; ``settings`` replace
    those of the environment (``QUOTES_MAX_CHARS``, ``QUOTES_MAX_QUOTES``, ``QUOTES_MODEL``)."""
    args = _parser().parse_args(argv)
    try:
        args.settings = settings or Settings.from_env()
        return args.handler(args, engine)
    except (UsageError, SettingsError) as error:
        print(f"quotes {args.command}: {error}", file=sys.stderr)
        return 1
    except BrokenPipeError:
        # The reader went away (``quotes extract … | head``): stop quietly, as other filters do.
        _silence_stdout()
        return 0


def _silence_stdout() -> None:
    """Point stdout at /dev/null, so the interpreter's last flush does not fail on the closed pipe."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # stdout is no file (as in tests)
        pass
    finally:
        os.close(devnull)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="quotes", description="Find the direct quotes in news articles and who said them.")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    extract = commands.add_parser(
        "extract", help="print the quotes of an article as JSON",
        description="Print the quotes of an article as the API's JSON response. An article in a "
                    ".html or .htm file, or with --html, is read as HTML, as the API reads it. With "
                    '--jsonl, read JSON lines {"id": ..., "text": ...} (or "html" instead of '
                    '"text") and write one response per line, in order, with the same id, as soon as '
                    "it is known; a bad line gives an error line and the rest go on. A progress bar "
                    "shows on stderr when it is a terminal.")
    extract.add_argument("file", nargs="?", default=None, metavar="FILE",
                         help="UTF-8 article, or - for stdin (with --jsonl: the JSON lines, default stdin)")
    extract.add_argument("--jsonl", action="store_true", help="read and write JSON lines")
    extract.add_argument("--html", action="store_true", default=None,
                         help="the article is HTML (the default for .html and .htm files)")
    extract.add_argument("--text", action="store_false", dest="html",
                         help="the article is plain text, whatever its file's name")
    extract.add_argument("--id", help="id to put in the response (not with --jsonl)")
    extract.add_argument("--pretty", action="store_true", help="indent the JSON (not with --jsonl)")
    extract.add_argument("--include", action="append", default=[], choices=INCLUDABLE, metavar="KIND",
                         help="add records of this kind to the direct quotes: indirect (reported speech, "
                              "\"Trump said he would not send troops\"); with --jsonl, for every line")
    extract.add_argument("--processes", type=int, default=1, metavar="N",
                         help="with --jsonl: extract in N processes, each loading the model once "
                              "(default 1; one per core is the fastest)")
    extract.set_defaults(handler=_run_extract)

    evaluate = commands.add_parser(
        "evaluate", help="score the engine against gold files",
        description="Precision, recall and F1 of quote detection and of end-to-end attribution, and "
                    "attribution accuracy, over a folder of gold JSON files.")
    evaluate.add_argument("gold_dir", metavar="GOLD_DIR", type=Path)
    evaluate.add_argument("--errors", metavar="FILE", type=Path,
                          help="write every missed, spurious or misattributed quote here as JSON lines")
    evaluate.add_argument("--json", action="store_true", help="print the totals as one JSON line")
    evaluate.add_argument("--kind", choices=("direct", "indirect", "all"), default="direct",
                          help="score direct quotes (the default), reported speech, or both")
    evaluate.add_argument("--by-method", action="store_true",
                          help="also print attribution accuracy by the rule that decided, with the wrong "
                               "speakers by cause (wrong entity, pronoun, document, no speaker)")
    evaluate.add_argument("--calibration", action="store_true",
                          help="also print how often the speaker is right at each level of confidence")
    evaluate.add_argument("--write-calibration", metavar="FILE", type=Path,
                          help="with --by-method: write each sieve's share of right speakers to FILE, as "
                               "service/engine/attribution/calibration.json holds it")
    evaluate.add_argument("--pool", metavar="DIR", type=Path,
                          help="with --write-calibration: gold files whose counts are added for a sieve that "
                               "decided fewer than 50 quotes in GOLD_DIR")
    evaluate.set_defaults(handler=_run_evaluate)

    compare = commands.add_parser(
        "compare", help="compare the quotes of versions of a story",
        description="Print what became of each quote of REFERENCE in the other versions, as the JSON of "
                    "POST /v1/compare (article ids are the file names; .html and .htm files are read as "
                    "HTML), or, with --report, a short report: each changed quote with its changed words, "
                    "each misattribution, each dropped or added quote.")
    compare.add_argument("files", nargs="+", metavar="FILE",
                         help="the reference article, then one or more other versions (UTF-8; - for stdin)")
    compare.add_argument("--pretty", action="store_true", help="indent the JSON")
    compare.add_argument("--report", action="store_true", help="print a report for people instead of JSON")
    compare.add_argument("--include", action="append", default=[], choices=INCLUDABLE, metavar="KIND",
                         help="add records of this kind to every article: indirect (reported speech); a "
                              "reference quote another version reports as reported speech is then paraphrased")
    compare.set_defaults(handler=_run_compare)

    spark = commands.add_parser(
        "spark", help="extract the quotes of an archive with Apache Spark (newsroom-quotes[spark])",
        description="Read articles {id, text} from JSON lines or Parquet and write one Parquet row per "
                    "quote to OUTPUT/quotes and one per article to OUTPUT/articles (an article that is "
                    "not valid, or that the engine fails on, gets an error there). Runs on a local "
                    "master by default, or on the master spark-submit was given.")
    spark.add_argument("input", metavar="INPUT", help="a JSON lines file or folder, or Parquet")
    spark.add_argument("output", metavar="OUTPUT", help="the folder to write quotes/ and articles/ into")
    spark.add_argument("--master", help="Spark master URL (default: spark-submit's, else local[*])")
    spark.add_argument("--conf", action="append", default=[], metavar="KEY=VALUE",
                       help="a Spark setting (repeatable)")
    spark.add_argument("--partitions", type=int, metavar="N",
                       help="tasks to spread the articles over (default: 1,000 articles a task, "
                            "at least two per core)")
    spark.add_argument("--input-format", choices=("jsonl", "parquet"),
                       help="default: parquet for a .parquet name or a folder of .parquet files")
    spark.add_argument("--overwrite", action="store_true", help="replace OUTPUT's quotes/ and articles/")
    spark.set_defaults(handler=_run_spark)

    serve = commands.add_parser(
        "serve", help="start the HTTP service under gunicorn",
        description="Serve the API under gunicorn with the package's configuration. It listens on "
                    "QUOTES_BIND (default 127.0.0.1:8000); --host or --port replace it with one address.")
    serve.add_argument("--host", default=None,
                       help=f"address to listen on instead of QUOTES_BIND (default with --port: {DEFAULT_HOST})")
    serve.add_argument("--port", type=int, default=None,
                       help=f"port to listen on instead of QUOTES_BIND (default with --host: {DEFAULT_PORT})")
    serve.set_defaults(handler=_run_serve)
    return parser


def _load_engine(engine: Engine | None, settings: Settings) -> Engine:
    if engine is not None:
        return engine
    from ..engine import Engine

    return Engine.from_settings(settings)


def _use_utf8(stream: TextIO) -> None:
    if hasattr(stream, "reconfigure"):
        stream.reconfigure(encoding="utf-8")


# --- extract -----------------------------------------------------------------------------------

def _run_extract(args: argparse.Namespace, engine: Engine | None) -> int:
    _use_utf8(sys.stdout)
    if args.jsonl:
        if args.id is not None or args.pretty:
            raise UsageError("--id and --pretty do not apply to --jsonl")
        return _run_jsonl(args, engine)
    if args.processes != 1:
        raise UsageError("--processes applies to --jsonl")
    if args.file is None:
        raise UsageError("give a FILE, - for stdin, or --jsonl")
    from .. import intake
    from ..contract.schemas import dump_response

    text = _read_article(args.file)
    try:
        article = intake.load({"html" if _is_html(args) else "text": text, "id": args.id},
                              args.settings.max_chars, "The article")
    except intake.Refused as refused:
        limit = " (QUOTES_MAX_CHARS)" if refused.status == 413 else ""
        raise UsageError(refused.problem["detail"] + limit) from None
    result = _load_engine(engine, args.settings).extract(article, args.include)
    body = dump_response(result, article.id, max_quotes=args.settings.max_quotes)
    json.dump(body, sys.stdout, ensure_ascii=False, indent=2 if args.pretty else None)
    sys.stdout.write("\n")
    return 0


def _is_html(args: argparse.Namespace) -> bool:
    """Whether the article is HTML: as --html or --text says, else as its file's name says."""
    return args.html if args.html is not None else _is_html_file(args.file)


def _is_html_file(name: str) -> bool:
    return Path(name).suffix.lower() in (".html", ".htm")


def _run_jsonl(args: argparse.Namespace, engine: Engine | None) -> int:
    from . import jsonl

    if args.html is not None:
        raise UsageError('--html and --text do not apply to --jsonl: each line says "text" or "html"')
    if args.processes < 1:
        raise UsageError("--processes must be at least 1")
    with _open_binary(args.file or "-") as lines:
        runner = (jsonl.Processes(args.processes, args.settings, engine) if args.processes > 1
                  else jsonl.InProcess(_load_engine(engine, args.settings), args.settings))
        try:
            jsonl.extract_jsonl(runner, lines, sys.stdout, jsonl.progress_for(lines, sys.stderr), args.include)
        except jsonl.WorkerFailed as error:
            raise UsageError(str(error)) from None
    return 0


def _open_binary(name: str) -> contextlib.AbstractContextManager[BinaryIO]:
    if name == "-":
        # stdin may be replaced by a text stream (as in tests); it has no .buffer then.
        stream = getattr(sys.stdin, "buffer", sys.stdin)
        return contextlib.nullcontext(stream)  # leave stdin open
    try:
        return open(name, "rb")
    except OSError as error:
        raise UsageError(f"cannot read {name}: {error.strerror}") from None


def _read_article(name: str) -> str:
    with _open_binary(name) as stream:
        data = stream.read()
    if isinstance(data, str):
        return data
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise UsageError(f"{name} is not UTF-8 (byte {error.start})") from None


# --- compare -----------------------------------------------------------------------------------

def _run_compare(args: argparse.Namespace, engine: Engine | None) -> int:
    from . import compare as compare_cli

    _use_utf8(sys.stdout)
    if len(args.files) < 2:
        raise UsageError("give the reference article and at least one other version")
    if args.files.count("-") > 1:
        raise UsageError("stdin (-) can be read only once")
    from ..engine.article import Article

    articles = [Article(_read_article(name), is_html=_is_html_file(name), id=article_id)
                for name, article_id in zip(args.files, compare_cli.article_ids(args.files), strict=False)]
    try:
        body, comparison, results = compare_cli.compare_articles(_load_engine(engine, args.settings), articles,
                                                                  args.settings, args.include)
    except compare_cli.ArticlesError as error:
        raise UsageError(str(error)) from None
    if args.report:
        sys.stdout.write(compare_cli.report(comparison, [article.id for article in articles], results))
        return 0
    json.dump(body, sys.stdout, ensure_ascii=False, indent=2 if args.pretty else None)
    sys.stdout.write("\n")
    return 0


# --- evaluate ----------------------------------------------------------------------------------

def _run_evaluate(args: argparse.Namespace, engine: Engine | None) -> int:
    from .. import evaluate

    _use_utf8(sys.stdout)
    if (args.write_calibration or args.pool) and not args.by_method:
        raise UsageError("--write-calibration and --pool go with --by-method")
    if args.pool and not args.write_calibration:
        raise UsageError("--pool goes with --write-calibration")
    golds = _golds(args.gold_dir)
    started = time.perf_counter()
    engine = _load_engine(engine, args.settings)
    report = evaluate.evaluate(golds, evaluate.engine_responses(engine, golds, args.kind), args.kind)
    totals = dict(report.totals(), seconds=round(time.perf_counter() - started, 2))
    if args.errors:
        with args.errors.open("w", encoding="utf-8") as errors:
            for error in report.errors:
                errors.write(json.dumps(error, ensure_ascii=False) + "\n")
    if args.json:
        print(json.dumps(totals))
    else:
        for key, value in totals.items():
            print(f"{key:12} {value}")
    _print_breakdown(args, report)
    if args.write_calibration:
        _write_calibration(args, engine, report)
    return 0


def _golds(folder: Path) -> list[dict]:
    from .. import evaluate

    if not folder.is_dir():
        raise UsageError(f"{folder} is not a folder")
    golds = evaluate.load_golds(folder)
    if not golds:
        raise UsageError(f"no .json gold files in {folder}")
    return golds


def _write_calibration(args: argparse.Namespace, engine: Engine, report) -> None:
    from .. import breakdown, evaluate

    pool = None
    if args.pool:
        golds = _golds(args.pool)
        pool = evaluate.evaluate(golds, evaluate.engine_responses(engine, golds, args.kind), args.kind)
    args.write_calibration.write_text(breakdown.calibration_file(breakdown.sieve_calibration(report, pool)),
                                      encoding="utf-8")
    print(f"\nwrote {args.write_calibration}")


def _print_breakdown(args: argparse.Namespace, report) -> None:
    from .. import breakdown

    if args.by_method:
        print("\n" + breakdown.format_by_method(report))
    if args.calibration:
        print("\n" + breakdown.format_calibration(report))


# --- spark -------------------------------------------------------------------------------------

def _run_spark(args: argparse.Namespace, _engine) -> int:
    try:
        from .. import spark
    except ImportError as error:
        raise UsageError(f"needs the Spark extra: pip install 'newsroom-quotes[spark]' ({error})") from None
    if args.partitions is not None and args.partitions < 1:
        raise UsageError("--partitions must be at least 1")
    conf = dict(_setting(item) for item in args.conf)
    if not args.overwrite and Path(args.output, "articles").exists():
        raise UsageError(f"{args.output}/articles exists; give --overwrite to replace it")
    started = time.perf_counter()
    running = spark.SparkSession.getActiveSession()  # in-process callers keep theirs
    session = spark.session(args.master, conf)
    try:
        summary = spark.extract_archive(session, args.input, args.output, args.settings, partitions=args.partitions,
                            input_format=args.input_format, overwrite=args.overwrite)
    finally:
        if running is None:
            session.stop()
    print(f"{summary.articles} articles ({summary.errors} with an error), {summary.quotes} quotes "
          f"in {time.perf_counter() - started:.1f} s: {args.output}/quotes, {args.output}/articles")
    return 0


def _setting(item: str) -> tuple[str, str]:
    key, equals, value = item.partition("=")
    if not equals or not key:
        raise UsageError(f"--conf {item}: give KEY=VALUE")
    return key, value


# --- serve -------------------------------------------------------------------------------------

def gunicorn_command(host: str | None = None, port: int | None = None) -> list[str]:
    """The gunicorn command line that serves the app with the package's own configuration. It
    binds ``host:port`` when either is given (the other defaulting to 127.0.0.1 or 8000), and
    leaves the addresses to the configuration (``QUOTES_BIND``) otherwise."""
    executable = Path(sys.executable).with_name("gunicorn")
    command = [str(executable)] if executable.exists() else [sys.executable, "-m", "gunicorn"]
    command += ["--config", GUNICORN_CONFIG]
    if host is not None or port is not None:
        host = host or DEFAULT_HOST
        bind_host = f"[{host}]" if ":" in host and not host.startswith("[") else host
        command += ["--bind", f"{bind_host}:{DEFAULT_PORT if port is None else port}"]
    return command + [APP]


def _run_serve(args: argparse.Namespace, _engine: Engine | None) -> int:
    if args.port is not None and not 1 <= args.port <= 65535:
        raise UsageError(f"--port must be from 1 to 65535, got {args.port}")
    command = gunicorn_command(args.host, args.port)
    sys.stdout.flush()
    sys.stderr.flush()
    os.execvp(command[0], command)
    return 0  # not reached: execvp replaces the process
