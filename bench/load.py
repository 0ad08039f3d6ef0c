"""Load test: concurrent HTTP/1.1 clients against gunicorn on loopback for a fixed time, with one
worker killed by SIGKILL part-way through.

It reports requests/s, the p50/p95/p99 latency of the successful requests and the failures, and
checks that the service recovers: gunicorn forks a replacement, requests succeed again, and the
only failures are the requests the killed worker's engine was parsing (one per engine thread):
requests waiting for an engine wait in the waiting room, not in a worker, and must be answered.
PASS exits 0, FAIL exits 1 and names what failed.

    .venv/bin/python -m bench.load                     # 8 clients, 30 s, 2 workers, kill at 15 s
    .venv/bin/python -m bench.load --clients 4 --seconds 10 --json
    .venv/bin/python -m bench.load --url http://127.0.0.1:8000 --no-kill   # a server already running

Each client posts the seed articles (seeds/articles/*.txt) as JSON to POST /v1/quotes in turn,
starting from a different one. To know which connections the killed worker held, it is stopped
(SIGSTOP) for the moment it takes to read its sockets from /proc, then killed. Linux only; run on
demand, not part of the test suite.
"""
from __future__ import annotations

import argparse
import collections
import contextlib
import http.client
import json
import os
import signal
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from .server import ROOT, Client, Gunicorn, gunicorn, percentile

SEEDS = ROOT / "seeds" / "articles"


@dataclass
class Request:
    start: float
    end: float
    port: int | None  # the client's local port: which connection carried the request
    failure: str | None  # None when answered 200; else the exception's type or "HTTP <status>"


@dataclass
class Kill:
    pid: int
    ports: set[int]  # client ports of the connections the worker held
    stopped: float  # from here the worker takes no more work (SIGSTOP)
    killed: float  # SIGKILL sent
    gone: float  # the process has exited: its connections are closed
    replaced: float | None  # gunicorn has forked its replacement


def articles() -> list[bytes]:
    """The request bodies: each seed article as the JSON that POST /v1/quotes takes."""
    return [json.dumps({"id": path.stem, "text": path.read_text(encoding="utf-8")}).encode()
            for path in sorted(SEEDS.glob("*.txt"))]


def run_client(first: int, client: Client, bodies: list[bytes], deadline: float, log: list[Request]) -> None:
    """Post ``bodies`` in turn from the ``first``, one at a time, until ``deadline``; each request into ``log``."""
    turn = first
    while time.monotonic() < deadline:
        body, turn = bodies[turn % len(bodies)], turn + 1
        start, failure = time.monotonic(), None
        try:
            status, _answer = client.post_json("/v1/quotes", body)
            if status != 200:
                failure = f"HTTP {status}"
        except (OSError, http.client.HTTPException) as error:
            failure = type(error).__name__
            client.close()  # the next request opens a new connection
        log.append(Request(start, time.monotonic(), client.local_port, failure))


def process_state(pid: int) -> str:
    """A process's state letter from /proc (R, S, T, Z, ...), or "" once it is gone."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return ""


def wait_for_state(pid: int, states: str) -> float:
    """The time at which process ``pid`` is in one of ``states`` ("" counting as gone)."""
    while process_state(pid) not in states:
        time.sleep(0.0005)
    return time.monotonic()


def connections_of(pid: int, server_port: int) -> set[int]:
    """Client ports of the TCP connections to ``server_port`` that process ``pid`` holds open."""
    inodes = set()
    with contextlib.suppress(OSError):
        for fd in Path(f"/proc/{pid}/fd").iterdir():
            with contextlib.suppress(OSError):
                target = os.readlink(fd)
                if target.startswith("socket:["):
                    inodes.add(target[len("socket:["):-1])
    ports = set()
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        local_port, remote_port = (int(address.rsplit(":", 1)[1], 16) for address in fields[1:3])
        if fields[9] in inodes and local_port == server_port and remote_port:
            ports.add(remote_port)
    return ports


def kill_a_worker(server: Gunicorn, workers: int) -> Kill:
    """SIGKILL the worker holding the most connections, and time its exit and its replacement."""
    pid = max(server.workers(), key=lambda worker: len(connections_of(worker, server.port)))
    os.kill(pid, signal.SIGSTOP)
    stopped = wait_for_state(pid, "TZ")
    ports = connections_of(pid, server.port)
    os.kill(pid, signal.SIGKILL)
    killed = time.monotonic()
    gone = wait_for_state(pid, "ZX")
    try:
        server.wait_for_workers(workers, without=pid)
        replaced: float | None = time.monotonic()
    except RuntimeError:
        replaced = None
    return Kill(pid, ports, stopped, killed, gone, replaced)


def rate(log: list[Request], since: float, until: float) -> float:
    """Successful requests per second that finished between ``since`` and ``until``."""
    done = sum(1 for request in log if request.failure is None and since <= request.end <= until)
    return round(done / (until - since), 1) if until > since else float("nan")


def figures(log: list[Request], kill: Kill | None, started: float, deadline: float) -> dict:
    """What the run measured, by name. Rates count the requests answered 200. A request was in flight
    at the kill if it overlapped the kill, from the worker's stop to its exit; ``failures_unexplained``
    are the failed requests that were not in flight on the killed worker."""
    ok = [(request.end - request.start) * 1000 for request in log if request.failure is None]
    failed = [request for request in log if request.failure is not None]
    elapsed = max([deadline] + [request.end for request in log]) - started
    result = {
        "seconds": round(elapsed, 1), "requests": len(log), "requests_per_s": rate(log, started, started + elapsed),
        **{f"latency_ms_p{int(q * 100)}": round(percentile(ok, q), 1) if ok else None for q in (0.5, 0.95, 0.99)},
        "failures": len(failed),
        "failure_kinds": dict(collections.Counter(request.failure for request in failed)),
        "failures_unexplained": len(failed),
    }
    if kill is None:
        return result
    in_flight = [request for request in log if request.start < kill.gone and request.end > kill.stopped]
    on_worker = [request for request in in_flight if request.port in kill.ports]
    after = [request for request in log if request.start >= kill.killed]
    first_success = min((request.end for request in after if request.failure is None), default=None)
    lost = sum(1 for request in on_worker if request.failure)
    return {**result,
            "killed_worker_connections": len(kill.ports),
            "in_flight_at_kill": len(in_flight),
            "in_flight_on_killed_worker": len(on_worker),
            "failures_in_flight_on_killed_worker": lost,
            "failures_started_after_kill": sum(1 for request in after if request.failure),
            "failures_unexplained": len(failed) - lost,
            "kill_to_exit_ms": round((kill.gone - kill.killed) * 1000, 1),
            "kill_to_replacement_s": round(kill.replaced - kill.killed, 2) if kill.replaced else None,
            "kill_to_first_success_s": round(first_success - kill.killed, 2) if first_success else None,
            "requests_per_s_before_kill": rate(log, started, kill.stopped),
            "requests_per_s_after_replacement": rate(log, kill.replaced, deadline) if kill.replaced else None}


def problems(result: dict, killing: bool) -> list[str]:
    """Why the run fails, if it does."""
    found = []
    if result["failures_unexplained"]:
        found.append(f"{result['failures_unexplained']} failed requests"
                     + (" were not in flight on the killed worker" if killing else ""))
    if result["latency_ms_p50"] is None:
        found.append("no request succeeded")
    engines = result["threads_per_worker"] or 1
    if killing and result["failures_in_flight_on_killed_worker"] > engines:
        found.append(f"the killed worker lost {result['failures_in_flight_on_killed_worker']} requests: only what "
                     f"its engine was parsing ({engines} at most) may fail, what waits must be answered")
    if killing and result["kill_to_replacement_s"] is None:
        found.append("gunicorn did not replace the killed worker")
    if killing and result["kill_to_first_success_s"] is None:
        found.append("no request started after the kill succeeded")
    return found


def parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.load", description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=8, help="concurrent clients (default 8)")
    parser.add_argument("--seconds", type=float, default=30, help="length of the run (default 30)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (default 2)")
    parser.add_argument("--kill-at", type=float, default=0.5,
                        help="fraction of the run at which one worker gets SIGKILL (default 0.5)")
    parser.add_argument("--no-kill", action="store_true", help="kill no worker")
    parser.add_argument("--url", help="a server already running (needs --no-kill: its workers are not ours)")
    parser.add_argument("--json", action="store_true", help="print the figures as one JSON object too")
    options = parser.parse_args(argv)
    if options.url and not options.no_kill:
        parser.error("--url needs --no-kill: a worker can only be killed in a server this script started")
    if options.clients < 1 or options.seconds <= 0 or options.workers < 1 or not 0 < options.kill_at < 1:
        parser.error("--clients and --workers at least 1, --seconds above 0, --kill-at between 0 and 1")
    return options


def print_table(result: dict) -> None:
    """The figures one a line, names in a column."""
    width = max(len(name) for name in result)
    for name, value in result.items():
        if isinstance(value, dict):
            value = ", ".join(f"{kind} {count}" for kind, count in value.items()) or "-"
        print(f"{name.replace('_', ' '):<{width}}  {'-' if value is None else value}")


def main(argv: list[str] | None = None) -> int:
    options = parse(argv)
    bodies = articles()
    with contextlib.ExitStack() as stack:
        server, log_file = None, None
        if options.url:
            address = urlsplit(options.url)
            host, port = address.hostname or "127.0.0.1", address.port or 80
        else:
            log_file = Path(tempfile.mkstemp(prefix="quotes-load-", suffix=".log")[1])
            server = stack.enter_context(gunicorn(options.workers, log_file))
            host, port = "127.0.0.1", server.port
        clients = [Client(host, port) for _ in range(options.clients)]
        log: list[Request] = []
        started = time.monotonic()
        deadline = started + options.seconds
        threads = [threading.Thread(target=run_client, args=(number, client, bodies, deadline, log))
                   for number, client in enumerate(clients)]
        for thread in threads:
            thread.start()
        kill = None
        if server is not None and not options.no_kill:
            time.sleep(max(0.0, started + options.kill_at * options.seconds - time.monotonic()))
            kill = kill_a_worker(server, options.workers)
        for thread in threads:
            thread.join()
        for client in clients:
            client.close()
    result = {"clients": options.clients, "workers": None if options.url else options.workers,
              "threads_per_worker": None if options.url else int(os.environ.get("QUOTES_THREADS") or 1),
              **figures(log, kill, started, deadline),
              "stale_connections_reopened": sum(client.reopened for client in clients)}
    print_table(result)
    if options.json:
        print(json.dumps(result))
    found = problems(result, kill is not None)
    for problem in found:
        print("problem:", problem)
    if log_file is not None and found:
        print("gunicorn log:", log_file)
    elif log_file is not None:
        log_file.unlink(missing_ok=True)
    print("FAIL" if found else "PASS")
    return 1 if found else 0


if __name__ == "__main__":
    raise SystemExit(main())
