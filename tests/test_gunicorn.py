"""The service under gunicorn with the project's config: settings from the environment, the JSON
access log, and a graceful stop that finishes the requests in flight.

The servers started here listen on 127.0.0.1 only, on a free port, and are always stopped.
"""
from __future__ import annotations

import contextlib
import gc
import http.client
import json
import os
import runpy
import signal
import threading
import time
from pathlib import Path

import pytest

from bench.server import Gunicorn
from bench.server import gunicorn as serve
from helpers import ROOT

CONFIG = ROOT / "service" / "gunicorn_conf.py"
SEEDS = ROOT / "seeds" / "articles"
SECRET = "embargoed-budget-figure-4242"


# --- the config file ----------------------------------------------------------------------------

def load_config(monkeypatch, **env) -> dict:
    for name in ("QUOTES_BIND", "QUOTES_WORKERS", "QUOTES_THREADS", "QUOTES_TIMEOUT",
                 "QUOTES_GRACEFUL_TIMEOUT", "QUOTES_KEEPALIVE", "QUOTES_MAX_REQUESTS"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(CONFIG))


def test_defaults_one_worker_per_core_preloaded(monkeypatch):
    config = load_config(monkeypatch)
    assert config["workers"] == len(os.sched_getaffinity(0))
    assert config["preload_app"] is True
    assert config["worker_class"] == "service.server.worker.QuotesWorker"
    assert config["bind"] == ["127.0.0.1:8000"]
    assert config["timeout"] == 60
    assert config["graceful_timeout"] == 45
    assert config["max_requests"] == 5000 and config["max_requests_jitter"] == 500
    assert config["accesslog"] == "-"
    assert config["logger_class"].__name__ == "JsonAccessLogger"


def test_the_master_freezes_its_objects_before_each_fork(monkeypatch):
    config = load_config(monkeypatch)
    gc.unfreeze()
    try:
        config["pre_fork"](None, None)
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()


def test_settings_come_from_the_environment(monkeypatch):
    config = load_config(monkeypatch, QUOTES_BIND="127.0.0.1:9001,[::1]:9001", QUOTES_WORKERS="3",
                         QUOTES_TIMEOUT="120", QUOTES_DEADLINE="5", QUOTES_GRACEFUL_TIMEOUT="10",
                         QUOTES_MAX_REQUESTS="0")
    assert config["bind"] == ["127.0.0.1:9001", "[::1]:9001"]
    assert config["workers"] == 3
    assert config["timeout"] == 120
    assert config["graceful_timeout"] == 10
    assert config["max_requests"] == 0 and config["max_requests_jitter"] == 0


@pytest.mark.parametrize(("name", "value"), [("QUOTES_WORKERS", "0"), ("QUOTES_WORKERS", "many"),
                                             ("QUOTES_TIMEOUT", "-1"), ("QUOTES_MAX_REQUESTS", "-1")])
def test_unusable_settings_stop_the_server_with_a_message(monkeypatch, name, value):
    with pytest.raises(SystemExit, match=name):
        load_config(monkeypatch, **{name: value})


# --- a real server ------------------------------------------------------------------------------

class Server(Gunicorn):
    """The running service, with requests that show their headers and the access log it wrote."""

    def request(self, method: str, path: str, body: bytes | None = None, headers: dict | None = None,
                timeout: float = 120) -> tuple[int, dict, bytes]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            connection.request(method, path, body=body, headers=headers or {})
            response = connection.getresponse()
            return response.status, dict(response.getheaders()), response.read()
        finally:
            connection.close()

    def access_log(self) -> list[dict]:
        records = []
        for line in self.log.read_text(encoding="utf-8", errors="replace").splitlines():
            if line.startswith("{"):
                records.append(json.loads(line))
        return records


@contextlib.contextmanager
def gunicorn(tmp_path: Path, **env):
    """The service under gunicorn with the project's config, ready and with all its workers forked."""
    workers = int(env.pop("QUOTES_WORKERS", "1"))
    with serve(workers, tmp_path / "gunicorn.log", QUOTES_LOG_LEVEL="info", **env) as started:
        yield Server(started.process, started.port, started.log)


def long_article(characters: int) -> str:
    """Seed articles, repeated to about ``characters``: real prose, seconds of work for the engine."""
    seeds = [path.read_text(encoding="utf-8") for path in sorted(SEEDS.glob("*.txt"))]
    parts, size = [], 0
    while size < characters:
        for seed in seeds:
            parts.append(seed)
            size += len(seed) + 2
    return "\n\n".join(parts)


def test_gunicorn_serves_logs_and_stops_gracefully(tmp_path):
    with gunicorn(tmp_path, QUOTES_WORKERS="2", QUOTES_GRACEFUL_TIMEOUT="60") as server:
        server.wait_for_workers(2)

        # An ordinary request: answered, id echoed, headers set.
        article = f"“The figure is {SECRET},” an Elysee official said."
        status, headers, body = server.request(
            "POST", "/v1/quotes", json.dumps({"text": article}).encode(),
            {"Content-Type": "application/json", "X-Request-ID": "req-small"})
        assert status == 200, body
        assert headers["X-Request-ID"] == "req-small"
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert json.loads(body)["quotes"][0]["speaker"]["mention"]["text"] == "an Elysee official"
        status, _headers, _body = server.request("POST", "/v1/quotes", b"{", {"Content-Type": "application/json"})
        assert status == 400

        # A request that takes seconds, in flight when the master gets SIGTERM.
        slow = long_article(100_000) + f"\n\n“{SECRET} is the number,” the minister said."
        outcome: dict = {}

        def send_slow() -> None:
            try:
                outcome["response"] = server.request(
                    "POST", "/v1/quotes", slow.encode("utf-8"),
                    {"Content-Type": "text/plain; charset=utf-8", "X-Request-ID": "req-in-flight"})
            except Exception as error:  # reported by the assertions below
                outcome["error"] = error
            outcome["finished"] = time.monotonic()

        client = threading.Thread(target=send_slow)
        client.start()
        time.sleep(1.5)  # the request is now being worked on
        assert "finished" not in outcome, "the slow request was too fast to be in flight"
        signalled = time.monotonic()
        server.process.send_signal(signal.SIGTERM)

        # The request in flight is answered in full.
        client.join(timeout=120)
        assert "error" not in outcome, outcome.get("error")
        status, headers, body = outcome["response"]
        assert status == 200
        assert outcome["finished"] > signalled
        assert headers["X-Request-ID"] == "req-in-flight"
        assert json.loads(body)["meta"]["characters"] == len(slow)
        assert server.process.wait(timeout=60) == 0

    records = {record.get("request_id"): record for record in server.access_log()}
    small = records["req-small"]
    assert small["method"] == "POST" and small["path"] == small["route"] == "/v1/quotes"
    assert small["status"] == 200 and small["duration_ms"] >= 0
    assert small["text_chars"] == len(article)
    assert records["req-in-flight"]["status"] == 200
    assert records["req-in-flight"]["text_chars"] == len(slow)
    made = [record for record in records.values() if record["status"] == 400]
    assert made and len(made[0]["request_id"]) == 32  # the client sent none: the app made one
    ready = [record for record in server.access_log() if record["path"] == "/ready"]
    assert ready and ready[0]["route"] == "/ready" and ready[0]["text_chars"] is None
    assert SECRET not in server.log.read_text(encoding="utf-8", errors="replace")


def test_a_killed_worker_is_replaced(tmp_path):
    with gunicorn(tmp_path, QUOTES_WORKERS="2") as server:
        before = server.wait_for_workers(2)
        os.kill(before[0], signal.SIGKILL)
        server.wait_for_workers(2, without=before[0])
        for _ in range(4):  # both workers answer
            status, _headers, _body = server.request("POST", "/v1/quotes", "“Yes,” he said.".encode(),
                                                     {"Content-Type": "text/plain"})
            assert status == 200


def test_a_killed_worker_costs_only_the_request_it_parses(tmp_path):
    """The requests waiting for the engine wait in the waiting room: the replacement answers them."""
    with gunicorn(tmp_path, QUOTES_WORKERS="1") as server:
        [pid] = server.wait_for_workers(1)
        outcomes: dict[str, object] = {}

        def post(name: str, text: str) -> None:
            try:
                outcomes[name] = server.request("POST", "/v1/quotes", text.encode(),
                                                {"Content-Type": "text/plain"})[0]
            except (OSError, http.client.HTTPException) as error:
                outcomes[name] = type(error).__name__

        parsing = threading.Thread(target=post, args=("parsing", long_article(150_000)))
        parsing.start()
        time.sleep(1.0)  # the long article is in the engine
        waiting = [threading.Thread(target=post, args=(f"waiting {n}", "“Yes,” he said.")) for n in range(3)]
        for client in waiting:
            client.start()
        time.sleep(0.5)
        assert parsing.is_alive(), "the long request was too quick to overlap"
        os.kill(pid, signal.SIGKILL)
        for client in [parsing, *waiting]:
            client.join(120)
        assert outcomes.pop("parsing") != 200
        assert outcomes == {f"waiting {n}": 200 for n in range(3)}


def test_no_production_path_runs_the_development_server():
    for path in (ROOT / "service").rglob("*.py"):
        source = path.read_text(encoding="utf-8")
        assert ".run(" not in source and "run_simple" not in source, f"{path} starts a development server"
        assert "debug=True" not in source.replace(" ", ""), f"{path} turns on debug mode"


def test_workers_replaced_after_max_requests_answer_everything_waiting(tmp_path):
    """A worker leaving after its last request takes no more from the waiting room; the others do."""
    with gunicorn(tmp_path, QUOTES_WORKERS="2", QUOTES_MAX_REQUESTS="3") as server:
        statuses: list = []

        def post() -> None:
            try:
                statuses.append(server.request("POST", "/v1/quotes", "“Yes,” he said.".encode(),
                                               {"Content-Type": "text/plain"})[0])
            except (OSError, http.client.HTTPException) as error:
                statuses.append(type(error).__name__)

        clients = [threading.Thread(target=post) for _ in range(16)]
        for client in clients:
            client.start()
        for client in clients:
            client.join(120)
        assert statuses == [200] * 16


def test_a_request_the_worker_cannot_read_again_does_not_cost_it_its_engine(tmp_path):
    """Whatever the room hands over, the worker gives its engine back: bytes that are not a request
    get a 400 problem, and the next article is answered at once."""
    import socket

    from service.server import waiting_room

    with gunicorn(tmp_path, QUOTES_WORKERS="1") as server:
        room = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        room.connect(waiting_room.address(server.process.pid))
        client, server_side = socket.socketpair()
        with room, client:
            waiting_room.send_message(room, waiting_room.HANDOFF, b"\x00 not a request\r\n\r\n", server_side.fileno())
            server_side.close()
            client.settimeout(10)
            assert client.recv(100).startswith(b"HTTP/1.1 400 ")
        status, _headers, _body = server.request("POST", "/v1/quotes", "“Yes,” he said.".encode(),
                                                 {"Content-Type": "text/plain"}, timeout=10)
        assert status == 200
