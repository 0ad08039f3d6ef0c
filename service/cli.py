"""The ``quotes`` command: extract quotes from articles, evaluate against gold, serve the API."""
from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
import time
from collections import deque
from dataclasses import dataclass
from http import HTTPStatus
from pathlib import Path
from typing import Any, BinaryIO, Iterable, Iterator, TextIO

from marshmallow import EXCLUDE, ValidationError

from . import __version__

PROJECT_ROOT = Path(__file__).resolve().parent.parent
GUNICORN_CONFIG = PROJECT_ROOT / "gunicorn.conf.py"
APP = "service:create_app()"


class UsageError(Exception):
    """A mistake of the caller's, reported on stderr without a traceback."""


def main(argv: list[str] | None = None, *, engine=None) -> int:
    """Run the command line; ``engine`` is an already loaded ``service.engine.Engine`` to use."""
    args = _parser().parse_args(argv)
    try:
        return args.run(args, engine)
    except UsageError as error:
        print(f"quotes {args.command}: {error}", file=sys.stderr)
        return 1


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="quotes", description="Find the direct quotes in news articles and who said them.")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    extract = commands.add_parser(
        "extract", help="print the quotes of an article as JSON",
        description="Print the quotes of an article as the API's JSON response. With --jsonl, read "
                    'JSON lines {"id": ..., "text": ...} and write one response per line, in order, '
                    "with the same id; a bad line gives an error line and the rest go on "
                    "(fields other than id and text are ignored).")
    extract.add_argument("file", nargs="?", default=None, metavar="FILE",
                         help="UTF-8 article, or - for stdin (with --jsonl: the JSON lines, default stdin)")
    extract.add_argument("--jsonl", action="store_true", help="read and write JSON lines")
    extract.add_argument("--id", help="id to put in the response (not with --jsonl)")
    extract.add_argument("--pretty", action="store_true", help="indent the JSON (not with --jsonl)")
    extract.set_defaults(run=_run_extract)

    evaluate = commands.add_parser(
        "evaluate", help="score the engine against gold files",
        description="Precision, recall and F1 of quote detection and of end-to-end attribution, and "
                    "attribution accuracy, over a folder of gold JSON files.")
    evaluate.add_argument("gold_dir", metavar="GOLD_DIR", type=Path)
    evaluate.add_argument("--errors", metavar="FILE", type=Path,
                          help="write every missed, spurious or misattributed quote here as JSON lines")
    evaluate.add_argument("--json", action="store_true", help="print the totals as one JSON line")
    evaluate.set_defaults(run=_run_evaluate)

    serve = commands.add_parser("serve", help="start the HTTP service under gunicorn")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.set_defaults(run=_run_serve)
    return parser


def _load_engine(engine):
    if engine is not None:
        return engine
    from .engine import Engine

    return Engine()


def _use_utf8(stream: TextIO) -> None:
    if hasattr(stream, "reconfigure"):
        stream.reconfigure(encoding="utf-8")


# --- extract -----------------------------------------------------------------------------------

def _run_extract(args: argparse.Namespace, engine) -> int:
    _use_utf8(sys.stdout)
    if args.jsonl:
        if args.id is not None or args.pretty:
            raise UsageError("--id and --pretty do not apply to --jsonl")
        with _open_binary(args.file or "-") as lines:
            _extract_jsonl(_load_engine(engine), lines, sys.stdout)
        return 0
    if args.file is None:
        raise UsageError("give a FILE, - for stdin, or --jsonl")
    text = _read_article(args.file)
    request = _validated_request({"text": text, "id": args.id})
    if isinstance(request, _Problem):
        raise UsageError(request.detail)
    from .schemas import dump_response

    body = dump_response(_load_engine(engine).extract(request["text"]), request["id"])
    json.dump(body, sys.stdout, ensure_ascii=False, indent=2 if args.pretty else None)
    sys.stdout.write("\n")
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


@dataclass
class _Problem:
    status: int
    detail: str

    def body(self, record_id: Any) -> dict:
        return {"id": record_id,
                "error": {"status": self.status, "title": HTTPStatus(self.status).phrase,
                          "detail": self.detail}}


@dataclass
class _Record:
    """One input line: the request to run, or the problem to report in its place."""

    id: Any
    text: str | None = None
    problem: _Problem | None = None


def _validated_request(data: Any) -> dict | _Problem:
    from .schemas import QuoteRequestSchema

    try:
        return QuoteRequestSchema().load(data, unknown=EXCLUDE)
    except ValidationError as error:
        return _Problem(HTTPStatus.UNPROCESSABLE_ENTITY, _describe(error.messages))


def _describe(messages: dict | list | str) -> str:
    if isinstance(messages, dict):
        return "; ".join(f"{'input' if field == '_schema' else field}: {_describe(inner)}"
                         for field, inner in messages.items())
    if isinstance(messages, list):
        return " ".join(_describe(m) for m in messages)
    return str(messages)


def _parse_line(line: bytes | str, number: int) -> _Record | None:
    """The record of one JSON line; ``None`` for a blank line."""
    if isinstance(line, bytes):
        try:
            line = line.decode("utf-8")
        except UnicodeDecodeError as error:
            return _Record(None, problem=_Problem(
                HTTPStatus.BAD_REQUEST, f"line {number}: not UTF-8 (byte {error.start})"))
    if not line.strip():
        return None
    try:
        data = json.loads(line)
    except json.JSONDecodeError as error:
        return _Record(None, problem=_Problem(
            HTTPStatus.BAD_REQUEST, f"line {number}: invalid JSON: {error.msg} at column {error.colno}"))
    record_id = data.get("id") if isinstance(data, dict) else None
    request = _validated_request(data)
    if isinstance(request, _Problem):
        request.detail = f"line {number}: {request.detail}"
        return _Record(record_id, problem=request)
    return _Record(request["id"], text=request["text"])


def _extract_jsonl(engine, lines: Iterable[bytes | str], out: TextIO) -> None:
    """One response (or error) line per input line, in input order, each flushed as soon as known.

    The engine gets the good texts as a lazy stream, so it may read a few ahead to batch them; the
    records read but not yet answered wait in ``pending`` so that error lines keep their place.
    """
    from .schemas import dump_response

    pending: deque[_Record] = deque()

    def write(body: dict) -> None:
        out.write(json.dumps(body, ensure_ascii=False, separators=(",", ":")) + "\n")
        out.flush()

    def write_pending_problems() -> None:
        while pending and pending[0].problem is not None:
            record = pending.popleft()
            write(record.problem.body(record.id))

    def texts() -> Iterator[str]:
        for number, line in enumerate(lines, start=1):
            record = _parse_line(line, number)
            if record is None:
                continue
            if record.problem is not None and not pending:
                write(record.problem.body(record.id))
                continue
            pending.append(record)
            if record.text is not None:
                yield record.text

    for result in engine.extract_many(texts()):
        write_pending_problems()
        write(dump_response(result, pending.popleft().id))
        write_pending_problems()
    write_pending_problems()


# --- evaluate ----------------------------------------------------------------------------------

def _run_evaluate(args: argparse.Namespace, engine) -> int:
    from . import evaluate

    _use_utf8(sys.stdout)
    if not args.gold_dir.is_dir():
        raise UsageError(f"{args.gold_dir} is not a folder")
    golds = evaluate.load_golds(args.gold_dir)
    if not golds:
        raise UsageError(f"no .json gold files in {args.gold_dir}")
    started = time.perf_counter()
    report = evaluate.evaluate(golds, evaluate.engine_responses(_load_engine(engine), golds))
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
    return 0


# --- serve -------------------------------------------------------------------------------------

def gunicorn_command(host: str, port: int) -> list[str]:
    """The gunicorn command line that serves the app, with the project's config file when present."""
    executable = Path(sys.executable).with_name("gunicorn")
    command = [str(executable)] if executable.exists() else [sys.executable, "-m", "gunicorn"]
    if GUNICORN_CONFIG.exists():
        command += ["-c", str(GUNICORN_CONFIG)]
    bind_host = f"[{host}]" if ":" in host and not host.startswith("[") else host
    return command + ["--bind", f"{bind_host}:{port}", APP]


def _run_serve(args: argparse.Namespace, _engine) -> int:
    command = gunicorn_command(args.host, args.port)
    sys.stdout.flush()
    sys.stderr.flush()
    os.execvp(command[0], command)
    return 0  # not reached: execvp replaces the process
