"""``quotes extract --jsonl``: an archive of articles in, one answer per article out, in order.

A thread reads and checks the input lines into a bounded queue; the main thread takes what is
there (up to ``BATCH_ARTICLES`` articles, never waiting for more once it has one, so answers
flow while the input is still open) and hands each batch to the engine, in this process or in
a pool of processes that each load the model once. At most ``IN_FLIGHT_PER_PROCESS`` batches
per process are under way and answers are written as soon as the oldest batch is done, so
memory stays flat however long the input, and no answer is lost or reordered. A line that is
not a valid article gets an error line (``{"id", "error": {...}}``) in its place.
"""
from __future__ import annotations

import json
import multiprocessing
import os
import queue
import stat
import threading
from collections import deque
from collections.abc import Iterable
from concurrent.futures import Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from http import HTTPStatus
from typing import TYPE_CHECKING, Any, BinaryIO, TextIO

from .. import intake
from ..contract.problems import problem_body
from ..engine.article import Article
from ..responses import BATCH_ARTICLES, answer_bodies, error_body
from ..settings import Settings

if TYPE_CHECKING:
    from ..engine import Engine

BATCH_CHARS = 200_000  # fewer when they are long
IN_FLIGHT_PER_PROCESS = 2  # batches under way per process: one being parsed, one waiting
READ_AHEAD = 256  # lines read and checked ahead of the engine
POLL_SECONDS = 0.05


class WorkerFailed(Exception):
    """A worker process stopped (killed, out of memory) and the run cannot go on."""


@dataclass
class Record:
    """One input line: the article to answer, or the problem (a problem+json object) in its place."""

    id: Any
    article: Article | None = None
    problem: dict | None = None
    size: int = 0  # bytes of input it stands for, for the progress bar


def parse_line(line: bytes | str, number: int, max_chars: int) -> Record | None:
    """The record of one JSON line; ``None`` for a blank line."""
    if isinstance(line, bytes):
        try:
            line = line.decode("utf-8")
        except UnicodeDecodeError as error:
            return Record(None, problem=problem_body(
                HTTPStatus.BAD_REQUEST, f"Line {number} is not valid UTF-8: byte {error.start} cannot be decoded."))
    if not line.strip():
        return None
    try:
        data = json.loads(line)
    except (json.JSONDecodeError, RecursionError, ValueError) as error:
        where = f": {error.msg} (column {error.colno})" if isinstance(error, json.JSONDecodeError) else ""
        return Record(None, problem=problem_body(HTTPStatus.BAD_REQUEST, f"Line {number} is not valid JSON{where}."))
    try:
        article = intake.load(data, max_chars, f"Line {number}")
    except intake.Refused as refused:
        return Record(intake.id_of(data), problem=refused.problem)
    return Record(article.id, article)


def answer_lines(engine: Engine, articles: list[Article], max_quotes: int) -> list[str]:
    """The JSON line answering each article, in order."""
    return [_dumps(body) for body in answer_bodies(engine, articles, max_quotes)]


def _dumps(body: dict) -> str:
    return json.dumps(body, ensure_ascii=False, separators=(",", ":"))


# --- reading -------------------------------------------------------------------------------------

_END = object()


class Reader:
    """Reads and checks the lines in a thread, at most ``READ_AHEAD`` records ahead."""

    def __init__(self, lines: Iterable[bytes | str], max_chars: int):
        self.max_chars = max_chars
        self._queue: queue.Queue = queue.Queue(maxsize=READ_AHEAD)
        self._error: BaseException | None = None
        self.finished = False
        threading.Thread(target=self._read, args=(lines,), name="quotes-reader", daemon=True).start()

    def _read(self, lines: Iterable[bytes | str]) -> None:
        try:
            skipped = 0
            for number, line in enumerate(lines, start=1):
                record = parse_line(line, number, self.max_chars)
                size = len(line) + skipped
                if record is None:
                    skipped = size
                    continue
                skipped, record.size = 0, size
                self._queue.put(record)
        except BaseException as error:  # handed to the main thread
            self._error = error
        finally:
            self._queue.put(_END)

    def batch(self, wait_first: bool) -> list[Record]:
        """The records ready now, up to a batch; with ``wait_first``, wait for at least one."""
        if self.finished:
            return []
        try:
            first = self._queue.get(timeout=None if wait_first else POLL_SECONDS)
        except queue.Empty:
            return []
        records: list[Record] = []
        articles = chars = 0
        item = first
        while True:
            if item is _END:
                self.finished = True
                if self._error is not None:
                    raise self._error
                break
            records.append(item)
            if item.article is not None:
                articles, chars = articles + 1, chars + len(item.article)
            if articles >= BATCH_ARTICLES or chars >= BATCH_CHARS:
                break
            try:
                item = self._queue.get_nowait()
            except queue.Empty:
                break
        return records


# --- where the engine runs -----------------------------------------------------------------------

class InProcess:
    """The engine of this process; a batch is answered when it is submitted."""

    in_flight = 1

    def __init__(self, engine: Engine, settings: Settings):
        self.engine = engine
        self.settings = settings

    def submit(self, articles: list[Article]) -> Future:
        future: Future = Future()
        future.set_result(answer_lines(self.engine, articles, self.settings.max_quotes))
        return future

    def close(self, cancel: bool = False) -> None:
        pass


_worker: InProcess | None = None  # the engine of a worker process, with its settings


def _start_worker(settings: Settings) -> None:
    global _worker
    if _worker is None:
        from ..engine import Engine

        _worker = InProcess(Engine.from_settings(settings), settings)
    else:
        _worker.settings = settings


def _answer_in_worker(articles: list[Article]) -> list[str]:
    return _worker.submit(articles).result()


def _started() -> int:
    return os.getpid()


class Processes:
    """A pool of ``processes`` workers, each with its engine; started before any thread of ours."""

    def __init__(self, processes: int, settings: Settings, engine: Engine | None = None):
        global _worker
        methods = multiprocessing.get_all_start_methods()
        context = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
        if context.get_start_method() == "fork" and engine is not None:
            _worker = InProcess(engine, settings)  # a loaded engine is inherited; else each worker loads its own
        self.in_flight = IN_FLIGHT_PER_PROCESS * processes
        self.settings = settings
        self.executor = ProcessPoolExecutor(processes, mp_context=context, initializer=_start_worker,
                                            initargs=(settings,))
        try:  # with fork, the first submit starts every worker, before the reader thread exists
            wait([self.executor.submit(_started) for _ in range(processes)])
        finally:
            _worker = None

    def submit(self, articles: list[Article]) -> Future:
        return self.executor.submit(_answer_in_worker, articles)

    def close(self, cancel: bool = False) -> None:
        self.executor.shutdown(wait=not cancel, cancel_futures=cancel)


# --- progress ------------------------------------------------------------------------------------

class Progress:
    """A progress bar on ``stream``: bytes of the input when its size is known, articles otherwise."""

    def __init__(self, stream: TextIO, total_bytes: int | None):
        from tqdm import tqdm

        self.articles = 0
        if total_bytes:
            self.bar = tqdm(total=total_bytes, unit="B", unit_scale=True, unit_divisor=1024, file=stream,
                            mininterval=0.5, dynamic_ncols=True)
        else:
            self.bar = tqdm(unit=" articles", file=stream, mininterval=0.5, dynamic_ncols=True)
        self.by_bytes = bool(total_bytes)

    def done(self, records: list[Record]) -> None:
        self.articles += len(records)
        if self.by_bytes:
            self.bar.set_postfix_str(f"{self.articles} articles", refresh=False)
            self.bar.update(sum(record.size for record in records))
        else:
            self.bar.update(len(records))

    def close(self) -> None:
        self.bar.close()


def progress_for(source: BinaryIO | TextIO, stream: TextIO) -> Progress | None:
    """A progress bar when ``stream`` is a terminal, sized by ``source`` when it is a regular file."""
    if not (hasattr(stream, "isatty") and stream.isatty()):
        return None
    try:
        info = os.fstat(source.fileno())
        total = info.st_size if stat.S_ISREG(info.st_mode) else None
    except (AttributeError, OSError, ValueError):
        total = None
    return Progress(stream, total)


# --- the run -------------------------------------------------------------------------------------

def extract_jsonl(runner, lines: Iterable[bytes | str], out: TextIO, progress: Progress | None = None,
                  include: Iterable[str] = ()) -> None:
    """Answer every line of ``lines`` on ``out``, in order, with ``runner`` (``InProcess`` or ``Processes``);
    ``include`` is added to what each line asks for itself."""
    include = set(include)
    reader = Reader(lines, runner.settings.max_chars)
    under_way: deque[tuple[list[Record], Future]] = deque()
    try:
        while True:
            while under_way and under_way[0][1].done():
                _write(*under_way.popleft(), out, progress)
            if reader.finished or len(under_way) >= runner.in_flight:
                if not under_way:
                    break
                wait([under_way[0][1]], timeout=None if reader.finished else POLL_SECONDS)
                continue
            records = reader.batch(wait_first=not under_way)
            if records:
                articles = [record.article.including(include) for record in records if record.problem is None]
                under_way.append((records, runner.submit(articles)))
    except BaseException as error:
        runner.close(cancel=True)
        if isinstance(error, BrokenProcessPool):
            raise WorkerFailed("a worker process stopped (out of memory?); the answers written so far "
                               "are complete and in order") from None
        raise
    finally:
        if progress is not None:
            progress.close()
    runner.close()


def _write(records: list[Record], future: Future, out: TextIO, progress: Progress | None) -> None:
    answers = iter(future.result())
    for record in records:
        out.write((_dumps(error_body(record.id, record.problem)) if record.problem is not None
                   else next(answers)) + "\n")
    out.flush()
    if progress is not None:
        progress.done(records)
