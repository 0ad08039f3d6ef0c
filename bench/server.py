"""The service under gunicorn on loopback, and HTTP/1.1 clients for it: what the benchmarks measure."""
from __future__ import annotations

import contextlib
import http.client
import os
import select
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CONFIG = "python:service.gunicorn_conf"
START_TIMEOUT = 180  # seconds for the master to load the model and the workers to fork


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def children(pid: int) -> list[int]:
    """The pids of a process's children; none once it is gone."""
    try:
        return [int(child) for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def command_line(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return b""


def workers_of(master: int) -> list[int]:
    """A gunicorn master's workers: its children that are forks of it, not its waiting room."""
    command = command_line(master)
    return [pid for pid in children(master) if command_line(pid) == command]


class Gunicorn:
    """A running gunicorn master with the project's config; its workers are its child processes."""

    def __init__(self, process: subprocess.Popen, port: int, log: Path) -> None:
        self.process, self.port, self.log = process, port, log

    def workers(self) -> list[int]:
        return workers_of(self.process.pid)

    def wait_for_workers(self, count: int, without: int | None = None, timeout: float = 60) -> list[int]:
        """The worker pids once there are ``count`` of them, ``without`` not among them."""
        deadline = time.monotonic() + timeout
        while True:
            pids = self.workers()
            if len(pids) == count and without not in pids:
                return pids
            if time.monotonic() > deadline:
                raise RuntimeError(f"gunicorn has {len(pids)} workers, not {count}")
            time.sleep(0.05)

    def client(self, timeout: float = 120) -> Client:
        return Client("127.0.0.1", self.port, timeout)


@contextlib.contextmanager
def gunicorn(workers: int, log: Path, **env: str) -> Iterator[Gunicorn]:
    """gunicorn serving the app with ``workers`` workers on a free loopback port, stopped on exit."""
    port = free_port()
    environment = {**os.environ, "QUOTES_BIND": f"127.0.0.1:{port}", "QUOTES_WORKERS": str(workers),
                   "QUOTES_LOG_LEVEL": "warning", **env}
    executable = Path(sys.executable).with_name("gunicorn")
    with open(log, "wb") as out:
        process = subprocess.Popen([str(executable), "--config", CONFIG, "service:create_app()"],
                                   cwd=ROOT, env=environment, stdout=out, stderr=subprocess.STDOUT)
    server = Gunicorn(process, port, log)
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"gunicorn exited: {log.read_text(errors='replace')[-2000:]}")
            with contextlib.suppress(OSError, http.client.HTTPException):
                if server.client(timeout=5).request("GET", "/ready")[0] == 200:
                    break
            if time.monotonic() > deadline:
                raise RuntimeError("gunicorn did not become ready")
            time.sleep(0.2)
        server.wait_for_workers(workers)
        yield server
    finally:
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


class Client:
    """One keep-alive HTTP/1.1 connection, reopened when the server has closed it while idle
    (as urllib3 does): a closed idle connection is not a failed request."""

    def __init__(self, host: str, port: int, timeout: float = 120) -> None:
        self.connection = http.client.HTTPConnection(host, port, timeout=timeout)
        self.reopened = 0
        self.local_port: int | None = None  # the connection's own port: which connection carried a request

    def _drop_if_closed(self) -> None:
        sock = self.connection.sock
        if sock is not None and select.select([sock], [], [], 0)[0]:
            # Readable while idle: the server closed it (or sent something unasked for).
            self.connection.close()
            self.reopened += 1

    def request(self, method: str, path: str, body: bytes | None = None,
                headers: dict[str, str] | None = None) -> tuple[int, bytes]:
        self._drop_if_closed()
        self.local_port = None
        if self.connection.sock is None:
            self.connection.connect()
        self.local_port = self.connection.sock.getsockname()[1]
        self.connection.request(method, path, body=body, headers=headers or {})
        response = self.connection.getresponse()
        return response.status, response.read()

    def post_json(self, path: str, body: bytes) -> tuple[int, bytes]:
        return self.request("POST", path, body, {"Content-Type": "application/json"})

    def close(self) -> None:
        self.connection.close()


def percentile(values: list[float], fraction: float) -> float:
    """The ``fraction`` quantile of ``values`` (nearest rank)."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    return ordered[min(len(ordered) - 1, max(0, round(fraction * len(ordered)) - 1))]


def pss_kib(pid: int) -> int:
    """Proportional set size of a process: its private pages plus its share of the shared ones."""
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
        if line.startswith("Pss:"):
            return int(line.split()[1])
    return 0


def rss_kib(pid: int, field: str = "VmRSS") -> int:
    """A process's resident set (``VmRSS``) or its peak (``VmHWM``), in KiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0
