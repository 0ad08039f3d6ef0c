"""Attack the service as a hostile or sloppy client would, on loopback, and check it holds.

Each row reproduces one attack and checks its target; the script prints what happened and exits 1
if any target is missed. It starts gunicorn itself on 127.0.0.1 with the project's config and the
default settings (2 workers; a second server with ``QUOTES_THREADS=4`` for the threaded row), or
attacks a server already running (``--url``, with ``--pid`` of its gunicorn master to read its
workers' memory: how ``make docker-test`` runs the slow-client and memory rows against the image).

    .venv/bin/python -m bench.attack                         # every row (about ten minutes)
    .venv/bin/python -m bench.attack --rows slow,memory --soak 2000
    python3 -m bench.attack --url http://127.0.0.1:8000 --pid 1234 --rows slow,memory

Standard library only, so that it runs outside the project's venv. Linux only (memory from /proc).
"""
from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import os
import random
import signal
import socket
import string
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from .server import ROOT, gunicorn, rss_kib, workers_of

SEEDS = sorted((ROOT / "seeds" / "articles").glob("*.txt"))
PROBLEM = "application/problem+json"
MAX_WORKER_MIB = 400
FLAT_MIB = 8  # what a worker may gain over the soak of unseen words (see row_unseen_words)
MARKER = "embargoed-figure-7373"  # sent where gunicorn would log it; must never reach a log
ATTACK_KEY = "attack-key-0000"


@dataclass
class Target:
    host: str
    port: int
    master: int | None  # the gunicorn master's pid, to find its workers
    log: Path | None = None  # the server's log, when this script started it
    keys_file: Path | None = None
    info: dict = field(default_factory=dict)

    def connection(self, timeout: float = 60) -> http.client.HTTPConnection:
        return http.client.HTTPConnection(self.host, self.port, timeout=timeout)

    def workers(self) -> list[int]:
        return workers_of(self.master) if self.master else []


@dataclass
class Answer:
    status: int
    headers: dict
    body: bytes
    seconds: float

    @property
    def problem(self) -> bool:
        """A problem+json answer whose status is the one it says."""
        if self.headers.get("content-type", "").split(";")[0] != PROBLEM:
            return False
        try:
            return json.loads(self.body).get("status") == self.status
        except ValueError:
            return False


@dataclass
class Row:
    name: str
    attack: str
    happened: str
    target: str
    ok: bool


def request(target: Target, method: str, path: str, body: bytes | None = None,
            content_type: str | None = None, key: str | None = ATTACK_KEY, timeout: float = 120) -> Answer:
    headers = {"Content-Type": content_type} if content_type else {}
    if key:
        headers["X-API-Key"] = key
    connection = target.connection(timeout)
    started = time.monotonic()
    try:
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        data = response.read()
        return Answer(response.status, {k.lower(): v for k, v in response.getheaders()}, data,
                      time.monotonic() - started)
    finally:
        connection.close()


def exchange(target: Target, data: bytes, wait: float = 60) -> tuple[float, bytes]:
    """Raw bytes on a new connection; the seconds until the server closed it and what it answered."""
    with socket.create_connection((target.host, target.port), timeout=wait) as sock:
        started = time.monotonic()
        sock.sendall(data)
        answer = b""
        with contextlib.suppress(OSError):
            while chunk := sock.recv(65536):
                answer += chunk
        return time.monotonic() - started, answer


def seed_json() -> bytes:
    return json.dumps({"text": SEEDS[0].read_text(encoding="utf-8")}).encode()


def peak_mib(pids: list[int]) -> float:
    return max((rss_kib(pid, "VmHWM") for pid in pids), default=0) / 1024


def current_mib(pids: list[int]) -> float:
    return max((rss_kib(pid) for pid in pids), default=0) / 1024


class Probe:
    """GET /health every half second and POST a seed article every two, in the background."""

    def __init__(self, target: Target) -> None:
        self.target, self.health, self.posts, self.stop = target, [], [], threading.Event()
        self.threads = [threading.Thread(target=self._loop, args=("/health", 0.5, self.health)),
                        threading.Thread(target=self._loop, args=("/v1/quotes", 2.0, self.posts))]

    def _loop(self, path: str, every: float, into: list) -> None:
        while not self.stop.is_set():
            try:
                if path == "/health":
                    answer = request(self.target, "GET", path, timeout=10)
                else:
                    answer = request(self.target, "POST", path, seed_json(), "application/json", timeout=60)
                into.append((answer.status, answer.seconds))
            except OSError as error:
                into.append((type(error).__name__, 10.0))
            self.stop.wait(every)

    def __enter__(self) -> Probe:
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *_exc) -> None:
        self.stop.set()
        for thread in self.threads:
            thread.join()

    def summary(self) -> tuple[str, bool]:
        health_ok = [s for s, _ in self.health if s == 200]
        posts_ok = [s for s, _ in self.posts if s == 200]
        slowest = max((seconds for _, seconds in self.health), default=float("inf"))
        ok = bool(self.health) and len(health_ok) == len(self.health) and slowest < 1 \
            and bool(self.posts) and len(posts_ok) == len(self.posts)
        return (f"/health {len(health_ok)}/{len(self.health)} answered, slowest {slowest:.2f} s; "
                f"articles {len(posts_ok)}/{len(self.posts)} answered 200"), ok


# --- slow and idle clients --------------------------------------------------------------------------

def _hold(target: Target, send_first: bytes, trickle: bytes, stop: threading.Event, reopened: list) -> None:
    """One attacking connection: send ``send_first``, then ``trickle`` a byte a second; reopen when closed."""
    while not stop.is_set():
        try:
            with socket.create_connection((target.host, target.port), timeout=2) as sock:
                sock.sendall(send_first)
                for byte in trickle:
                    if stop.wait(1.0):
                        return
                    sock.sendall(bytes([byte]))
                while not stop.is_set() and not sock.recv(65536) == b"":
                    pass
        except OSError:
            pass
        reopened.append(1)


def row_idle(target: Target, options) -> Row:
    attackers = [(b"", b""), (b"", b""), (b"POST /v1/quotes HTTP/1.1\r\n", b"Host: x\r\nX-Slow: " + b"y" * 100),
                 (b"POST /v1/quotes HTTP/1.1\r\nContent-Length: 5000\r\nContent-Type: text/plain\r\n\r\n",
                  b"z" * 5000)]
    stop, reopened = threading.Event(), []
    threads = [threading.Thread(target=_hold, args=(target, first, trickle, stop, reopened))
               for first, trickle in attackers]
    with Probe(target) as probe:
        for thread in threads:
            thread.start()
        time.sleep(options.attack_seconds)
        stop.set()
    for thread in threads:
        thread.join()
    happened, ok = probe.summary()
    return Row("idle", "2 silent connections, 1 trickling headers, 1 trickling a body, reopened when closed, "
               f"for {options.attack_seconds:g} s", f"{happened}; {len(reopened)} reopenings", "/health < 1 s, "
               "every article answered", ok)


def row_threads(target: Target, options) -> Row:
    sockets = []
    with Probe(target) as probe:
        for _ in range(8):
            sock = socket.create_connection((target.host, target.port))
            sock.sendall(b"P")
            sockets.append(sock)
        time.sleep(options.attack_seconds)
    for sock in sockets:
        sock.close()
    happened, ok = probe.summary()
    return Row("threads", f"QUOTES_THREADS=4: 8 connections that send one byte and stop, for "
               f"{options.attack_seconds:g} s", happened, "/health < 1 s, every article answered", ok)


def row_short_body(target: Target, options) -> Row:
    with Probe(target) as probe:
        seconds, answer = exchange(target, b"POST /v1/quotes HTTP/1.1\r\nContent-Type: text/plain\r\n"
                                           b"Content-Length: 1000\r\n\r\n\xe2\x80\x9cYes")
    happened, probe_ok = probe.summary()
    status = answer.split(b" ", 2)[1].decode() if answer.startswith(b"HTTP/1.1 ") else "none"
    problem = b"\r\n\r\n{" in answer and PROBLEM.encode() in answer
    limit = target.info.get("body_timeout", 10) + 3
    return Row("short_body", "Content-Length 1,000, 4 bytes sent", f"{status} problem+json after {seconds:.1f} s "
               f"(problem+json: {problem}); {happened}", f"408 problem+json within {limit} s; others answered",
               status == "408" and problem and seconds < limit and probe_ok)


# --- long and costly requests ---------------------------------------------------------------------

def quote_marks_text(size: int) -> str:
    words = ["a", "we", "no", "yes", "it", "he", "said"]
    rng, parts, total = random.Random(12), [], 0
    while total < size:
        part = f"“{' '.join(rng.choice(words) for _ in range(rng.randint(1, 3)))},” "
        parts.append(part)
        total += len(part.encode("utf-8"))
    return "".join(parts)


def _costly(target: Target, name: str, attack: str, body: bytes, content_type: str, path: str) -> Row:
    before = target.workers()
    answer = request(target, "POST", path, body, content_type, timeout=180)
    after = target.workers()
    deadline = target.info.get("limits", {}).get("deadline_seconds", 30)
    kept = not before or before == after
    peak = peak_mib(after)
    ok = answer.problem and answer.status in (413, 503) and answer.seconds < deadline + 5 and kept \
        and (not after or peak <= MAX_WORKER_MIB)
    kind = "problem+json" if answer.problem else answer.headers.get("content-type")
    return Row(name, attack, f"{answer.status} {kind}"
               f" in {answer.seconds:.2f} s; workers {'kept' if kept else 'replaced'}; peak worker {peak:.0f} MiB",
               f"413/503 problem+json within {deadline + 5} s, no worker killed, ≤ {MAX_WORKER_MIB} MiB", ok)


def row_quote_marks(target: Target, options) -> Row:
    text = quote_marks_text(1_000_000)
    return _costly(target, "quote_marks_1mb", "1 MB text/plain of quotation marks and short words",
                   text.encode("utf-8"), "text/plain; charset=utf-8", "/v1/quotes")


def row_big_batch(target: Target, options) -> Row:
    prose = "\n\n".join(path.read_text(encoding="utf-8") for path in SEEDS)
    article = (prose * (63_000 // len(prose) + 1))[:63_000]
    body = json.dumps({"articles": [{"id": f"a{n}", "text": article} for n in range(64)]}).encode()
    return _costly(target, "big_batch", f"batch of 64 articles of 63,000 characters ({len(body) / 1e6:.1f} MB)",
                   body, "application/json", "/v1/quotes/batch")


def row_health_busy(target: Target, options) -> Row:
    prose = "\n\n".join(path.read_text(encoding="utf-8") for path in SEEDS)
    body = json.dumps({"text": "\n\n".join([prose] * 6)}).encode()
    outcomes: list = []

    def busy() -> None:
        with contextlib.suppress(OSError):
            outcomes.append(request(target, "POST", "/v1/quotes", body, "application/json").status)

    threads = [threading.Thread(target=busy) for _ in range(4)]
    for thread in threads:
        thread.start()
    time.sleep(1.0)
    answers = [request(target, "GET", path, timeout=10) for path in ("/health", "/ready", "/health", "/ready")]
    running = sum(thread.is_alive() for thread in threads)
    for thread in threads:
        thread.join()
    slowest = max(answer.seconds for answer in answers)
    ok = all(answer.status == 200 for answer in answers) and slowest < 1 and running > 0
    return Row("health_busy", "/health and /ready while 4 long articles keep every worker parsing",
               f"{[answer.status for answer in answers]}, slowest {slowest:.3f} s, {running} still parsing; "
               f"the long ones answered {sorted(outcomes)}", "< 1 s", ok)


# --- memory -----------------------------------------------------------------------------------------

def row_dense_quotes(target: Target, options) -> Row:
    marks = target.info.get("limits", {}).get("max_quote_marks", 4000)
    text = quote_marks_text(10 ** 6)
    pairs = text.split("” ")[: marks // 2 - 1]
    article = "” ".join(pairs) + "”"
    answer = request(target, "POST", "/v1/quotes", json.dumps({"text": article}).encode(), "application/json",
                     timeout=180)
    time.sleep(0.5)
    workers = target.workers()
    peak, held = peak_mib(workers), current_mib(workers)
    ok = (answer.status == 200 or (answer.status == 503 and answer.problem)) and peak <= MAX_WORKER_MIB
    return Row("dense_quotes", f"one request of {len(pairs)} quotes ({2 * len(pairs)} marks, the limit "
               f"{marks})", f"{answer.status} in {answer.seconds:.1f} s; peak worker {peak:.0f} MiB, held after "
               f"{held:.0f} MiB", f"answered, peak ≤ {MAX_WORKER_MIB} MiB", ok)


def unseen_article(rng: random.Random) -> bytes:
    def word() -> str:
        return "".join(rng.choice(string.ascii_lowercase) for _ in range(rng.randint(5, 11)))
    text = " ".join(f"“{word().title()} {word()} {word()} {word()},” said {word().title()} {word().title()}, "
                    f"id {word()}{rng.randint(0, 10 ** 6)}." for _ in range(6))
    return json.dumps({"text": text}).encode()


def row_unseen_words(target: Target, options) -> Row:
    """Memory is flat when a worker ends the soak within ``FLAT_MIB`` of where it stood after the first
    tenth. spaCy's memory zone frees every string and lexeme of the new words; the engine rebuilds the
    string table without their deleted cells and hands the heap's free pages back
    (service/engine/nlp/memory.py). spaCy's lexeme index keeps its deleted cells and doubles after some
    7,000 requests (about 4 MiB); a worker is replaced after QUOTES_MAX_REQUESTS requests."""
    total, clients = options.soak, 4
    done, failures, samples = [0], [0], {}
    lock = threading.Lock()
    marks = {total * tenth // 10 for tenth in (1, 5, 10)}

    def client(number: int) -> None:
        rng = random.Random(number)
        while True:
            with lock:
                if done[0] >= total:
                    return
                done[0] += 1
                count = done[0]
            try:
                status = request(target, "POST", "/v1/quotes", unseen_article(rng), "application/json").status
            except OSError:
                status = 0
            if status != 200:
                with lock:
                    failures[0] += 1
            if count in marks:
                samples[count] = current_mib(target.workers())

    started = time.monotonic()
    threads = [threading.Thread(target=client, args=(number,)) for number in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    time.sleep(0.5)
    workers = target.workers()
    samples[total] = current_mib(workers)
    peak = peak_mib(workers)
    first, half, end = (samples.get(total * tenth // 10, 0.0) for tenth in (1, 5, 10))
    ok = failures[0] == 0 and end - first <= FLAT_MIB and peak <= MAX_WORKER_MIB
    return Row("unseen_words", f"{total:,} requests of random unseen words ({clients} clients)",
               f"largest worker {first:.0f} MiB after {total // 10:,}, {half:.0f} after {total // 2:,}, {end:.0f} "
               f"after {total:,}, peak {peak:.0f} MiB; {failures[0]} failed; "
               f"{total / (time.monotonic() - started):.0f} req/s",
               f"flat (within {FLAT_MIB} MiB), ≤ {MAX_WORKER_MIB} MiB, none failed", ok)


# --- protocol, keys and shutdown ------------------------------------------------------------------

def row_malformed(target: Target, options) -> Row:
    _seconds, answer = exchange(target, f"GET /v1/quotes?{MARKER} HTTP/1.1 junk\r\n\r\n".encode())
    status = answer.split(b" ", 2)[1].decode() if answer.startswith(b"HTTP/1.1 ") else "none"
    problem = PROBLEM.encode() in answer
    time.sleep(0.3)
    leaked = target.log is not None and MARKER in target.log.read_text(encoding="utf-8", errors="replace")
    return Row("malformed", "a malformed request line carrying words", f"{status}, problem+json {problem}; "
               f"request text in the log: {leaked}", "400 problem+json, nothing of it logged",
               status == "400" and problem and not leaked)


def row_keys(target: Target, options) -> Row:
    target.keys_file.write_text(f"{ATTACK_KEY}\nnew-key-2222\n", encoding="utf-8")
    os.kill(target.master, signal.SIGHUP)
    started, revoked, accepted = time.monotonic(), None, None
    while time.monotonic() - started < 10 and (revoked is None or accepted is None):
        if revoked is None and request(target, "GET", "/v1/info", key="old-key-1111").status == 401:
            revoked = time.monotonic() - started
        if accepted is None and request(target, "GET", "/v1/info", key="new-key-2222").status == 200:
            accepted = time.monotonic() - started
        time.sleep(0.2)
    ok = revoked is not None and accepted is not None and max(revoked, accepted) < 5
    return Row("keys", "keys file edited (old key revoked, new key added), then SIGHUP",
               f"old key refused after {revoked if revoked is None else round(revoked, 1)} s, new key taken after "
               f"{accepted if accepted is None else round(accepted, 1)} s", "both within 5 s", ok)


def row_sigterm(target: Target, options, process) -> Row:
    answers: list = []

    def send() -> None:
        try:
            answers.append(request(target, "POST", "/v1/quotes", seed_json(), "application/json").status)
        except OSError as error:
            answers.append(type(error).__name__)

    threads = [threading.Thread(target=send) for _ in range(8)]
    for thread in threads:
        thread.start()
    time.sleep(0.3)
    signalled = time.monotonic()
    process.send_signal(signal.SIGTERM)
    time.sleep(0.3)
    with contextlib.suppress(OSError):
        ready = request(target, "GET", "/ready", timeout=10).status
    for thread in threads:
        thread.join()
    code = process.wait(timeout=120)
    took = time.monotonic() - signalled
    grace = target.info.get("graceful_timeout", 45)
    ok = answers == [200] * 8 and ready == 503 and code == 0 and took < grace
    return Row("sigterm", "SIGTERM to the master with 8 requests in flight or queued",
               f"answers {sorted(map(str, answers))}; /ready during the stop {ready}; exit {code} after {took:.1f} s",
               f"all 8 answered, /ready 503, exit within {grace} s", ok)


ROWS: dict[str, Callable] = {  # the order they run in: the table, with the stop last
    "idle": row_idle, "threads": row_threads, "quote_marks_1mb": row_quote_marks, "big_batch": row_big_batch,
    "short_body": row_short_body, "unseen_words": row_unseen_words, "dense_quotes": row_dense_quotes,
    "keys": row_keys, "health_busy": row_health_busy, "malformed": row_malformed, "sigterm": row_sigterm}
GROUPS = {"slow": ["idle", "short_body"], "memory": ["dense_quotes", "unseen_words"]}
# Rows that need a server of their own, started here: the threaded one, and those that signal it.
OWN_SERVER = {"threads", "keys", "sigterm"}


def chosen(rows: str) -> list[str]:
    names = []
    for name in rows.split(","):
        names += GROUPS.get(name, [name])
    unknown = [name for name in names if name not in ROWS]
    if unknown:
        raise SystemExit(f"unknown rows: {', '.join(unknown)}; rows: {', '.join(ROWS)}, groups: {', '.join(GROUPS)}")
    return [name for name in ROWS if name in names]  # in the table's order, sigterm last


def info_of(target: Target) -> dict:
    info = json.loads(request(target, "GET", "/v1/info").body)
    info.setdefault("body_timeout", int(os.environ.get("QUOTES_BODY_TIMEOUT") or 10))
    info.setdefault("graceful_timeout", int(os.environ.get("QUOTES_GRACEFUL_TIMEOUT") or 45))
    return info


def run_rows(target: Target, names: list[str], options, process=None) -> list[Row]:
    target.info = info_of(target)
    rows = []
    for name in names:
        print(f"-- {name}", flush=True)
        row = ROWS[name](target, options, process) if name == "sigterm" else ROWS[name](target, options)
        print(f"   {row.happened}\n   {'PASS' if row.ok else 'FAIL'} (target: {row.target})", flush=True)
        rows.append(row)
    return rows


def started_server(stack: contextlib.ExitStack, workers: int, **env: str) -> tuple[Target, object]:
    log = Path(tempfile.mkstemp(prefix="quotes-attack-", suffix=".log")[1])
    keys = Path(tempfile.mkstemp(prefix="quotes-attack-keys-")[1])
    keys.write_text(f"{ATTACK_KEY}\nold-key-1111\n", encoding="utf-8")
    stack.callback(keys.unlink, missing_ok=True)
    # Workers are never replaced here (QUOTES_MAX_REQUESTS=0): the memory rows see one worker's life.
    server = stack.enter_context(gunicorn(workers, log, QUOTES_LOG_LEVEL="info", QUOTES_MAX_REQUESTS="0",
                                          QUOTES_API_KEYS_FILE=str(keys), **env))
    return Target("127.0.0.1", server.port, server.process.pid, log, keys), server.process


def attack(options) -> list[Row]:
    names = chosen(options.rows)
    if options.url:
        address = urlsplit(options.url)
        target = Target(address.hostname or "127.0.0.1", address.port or 80, options.pid)
        skipped = [name for name in names if name in OWN_SERVER]
        if skipped:
            print(f"skipped with --url (they need a server started here): {', '.join(skipped)}")
        return run_rows(target, [name for name in names if name not in OWN_SERVER], options)
    rows = []
    shared = [name for name in names if name != "threads"]
    if shared:
        with contextlib.ExitStack() as stack:
            target, process = started_server(stack, options.workers)
            rows += run_rows(target, shared, options, process)
    if "threads" in names:
        with contextlib.ExitStack() as stack:
            target, _process = started_server(stack, options.workers, QUOTES_THREADS="4")
            rows += run_rows(target, ["threads"], options)
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.attack", description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", default="all", help=f"comma-separated rows or groups ({', '.join(GROUPS)}); "
                                                      "default all")
    parser.add_argument("--url", help="attack a server already running on loopback")
    parser.add_argument("--pid", type=int, help="with --url: its gunicorn master's pid (for memory)")
    parser.add_argument("--workers", type=int, default=2, help="workers of the servers started here (2)")
    parser.add_argument("--soak", type=int, default=10_000, help="requests of unseen words (10,000)")
    parser.add_argument("--attack-seconds", type=float, default=15, help="length of the slow-client rows (15)")
    options = parser.parse_args(argv)
    if options.rows == "all":
        options.rows = ",".join(ROWS)
    if options.url and urlsplit(options.url).hostname not in ("127.0.0.1", "localhost", "::1"):
        parser.error("--url must be on loopback")
    rows = attack(options)
    print("\n| attack | what happened | target | |\n|---|---|---|---|")
    for row in rows:
        print(f"| {row.attack} | {row.happened} | {row.target} | {'PASS' if row.ok else 'FAIL'} |")
    failed = [row.name for row in rows if not row.ok]
    print(f"\n{len(rows) - len(failed)} passed, {len(failed)} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
