"""The gunicorn worker against slow, idle and malformed clients, and its shutdown: a real server on
127.0.0.1 (one worker, so that nothing can hide behind a second one), raw sockets for the clients."""
from __future__ import annotations

import http.client
import json
import signal
import socket
import threading
import time

import pytest

from bench.server import gunicorn as serve
from helpers import PROBLEM_MEDIA_TYPE, ROOT

SECRET = "embargoed-budget-figure-4242"
ARTICLE = (ROOT / "seeds" / "articles" / "001_81a850ca81dad687.txt").read_text(encoding="utf-8")
TIMEOUT = 2  # seconds for headers and for the body, in these servers


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    log = tmp_path_factory.mktemp("server") / "gunicorn.log"
    with serve(1, log, QUOTES_LOG_LEVEL="info", QUOTES_HEADER_TIMEOUT=str(TIMEOUT),
               QUOTES_BODY_TIMEOUT=str(TIMEOUT)) as started:
        yield started


def exchange(port: int, data: bytes, wait: float = 15) -> tuple[float, bytes]:
    """Send ``data`` on a new connection; the seconds until the server closed it, and what it said."""
    with socket.create_connection(("127.0.0.1", port), timeout=wait) as sock:
        started = time.monotonic()
        sock.sendall(data)
        answer = b""
        while chunk := sock.recv(65536):
            answer += chunk
        return time.monotonic() - started, answer


def problem_of(answer: bytes, status: int) -> dict:
    head, _, body = answer.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    assert lines[0].startswith(f"HTTP/1.1 {status} "), lines[0]
    headers = {name.lower(): value.strip() for name, _, value in (line.partition(":") for line in lines[1:])}
    assert headers["content-type"] == PROBLEM_MEDIA_TYPE
    problem = json.loads(body)
    assert problem["status"] == status and problem["detail"] and problem["type"] == "about:blank"
    return problem


def post(port: int, text: str, timeout: float = 60) -> tuple[int, dict, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request("POST", "/v1/quotes", text.encode("utf-8"), {"Content-Type": "text/plain; charset=utf-8"})
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()


@pytest.mark.parametrize(("request_bytes", "status"), [
    (f"GET /v1/quotes?{SECRET} HTTP/1.1 and more\r\n\r\n".encode(), 400),
    (f"GET /health HTTP/1.1\r\nBad Name {SECRET}: x\r\n\r\n".encode(), 400),
    (b"GET /" + SECRET.encode() * 400 + b" HTTP/1.1\r\n\r\n", 414),
    (b"GET /health HTTP/1.1\r\nX-Big: " + SECRET.encode() * 400 + b"\r\n\r\n", 431),
    (b"POST /v1/quotes HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n" + SECRET.encode() + b"\r\n", 400),
    (b"POST /v1/quotes HTTP/1.1\r\nTransfer-Encoding: foo\r\n\r\n", 501),
], ids=["request line", "header name", "long request line", "long header", "bad chunk", "transfer coding"])
def test_gunicorn_errors_are_problem_json_and_logged_without_the_request(server, request_bytes, status):
    _seconds, answer = exchange(server.port, request_bytes)
    assert SECRET not in problem_of(answer, status)["detail"]
    time.sleep(0.2)
    log = server.log.read_text(encoding="utf-8", errors="replace")
    assert "Invalid request from ip=127.0.0.1" in log
    assert SECRET not in log


@pytest.mark.parametrize("request_bytes", [
    b"", b"POST /v1/quotes HTTP/1.1\r\nContent-", b"POST /v1/quotes HTTP/1.1\r\nContent-Length: 100\r\n\r\nabc",
], ids=["nothing", "half the headers", "part of the body"])
def test_a_client_too_slow_gets_408_problem_json(server, request_bytes):
    seconds, answer = exchange(server.port, request_bytes)
    problem_of(answer, 408)
    assert TIMEOUT - 0.5 < seconds < TIMEOUT + 3


def test_slow_and_idle_clients_do_not_hold_the_worker(server):
    """Eight connections that trickle a request or send nothing; the one worker still answers others."""
    hanging = [socket.create_connection(("127.0.0.1", server.port)) for _ in range(8)]
    try:
        for number, sock in enumerate(hanging):
            sock.sendall(b"P" if number % 2 else b"POST /v1/quotes HTTP/1.1\r\nContent-Length: 5000\r\n\r\n{")
        started = time.monotonic()
        status, _headers, body = post(server.port, ARTICLE)
        assert status == 200, body
        assert time.monotonic() - started < TIMEOUT  # not waiting for any of them to time out
        connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=5)
        connection.request("GET", "/health")
        assert connection.getresponse().status == 200
    finally:
        for sock in hanging:
            sock.close()


def test_health_answers_while_the_engine_parses(server):
    long_text = "\n\n".join([ARTICLE] * 12)
    outcome = {}
    worker = threading.Thread(target=lambda: outcome.update(answer=post(server.port, long_text)))
    worker.start()
    time.sleep(0.5)
    try:
        for path in ("/health", "/ready"):
            started = time.monotonic()
            connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=5)
            connection.request("GET", path)
            assert connection.getresponse().status == 200
            assert time.monotonic() - started < 1
        assert worker.is_alive(), "the long request was too quick to overlap"
    finally:
        worker.join(60)
    assert outcome["answer"][0] == 200


def test_sigterm_finishes_accepted_and_queued_requests_and_is_not_ready(tmp_path):
    with serve(1, tmp_path / "gunicorn.log", QUOTES_LOG_LEVEL="info") as started:
        answers: list = []

        def send() -> None:
            try:
                answers.append(post(started.port, ARTICLE)[0])
            except OSError as error:
                answers.append(type(error).__name__)

        clients = [threading.Thread(target=send) for _ in range(6)]
        for client in clients:
            client.start()
        time.sleep(0.3)  # all six sent: one parsing, the others waiting their turn
        started.process.send_signal(signal.SIGTERM)
        time.sleep(0.3)
        connection = http.client.HTTPConnection("127.0.0.1", started.port, timeout=10)
        connection.request("GET", "/ready")
        response = connection.getresponse()
        assert response.status == 503 and b"shutting down" in response.read()
        for client in clients:
            client.join(120)
        assert answers == [200] * 6
        assert started.process.wait(timeout=60) == 0


def test_a_body_over_the_limit_is_refused_with_413_not_a_reset(server):
    body = b"a " * (3 * 1024 * 1024)  # 6 MiB: over every route's limit
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    try:
        connection.request("POST", "/v1/quotes", body, {"Content-Type": "text/plain"})
        response = connection.getresponse()
        assert response.status == 413
        assert response.getheader("Content-Type") == PROBLEM_MEDIA_TYPE
    finally:
        connection.close()
    chunked = (b"POST /v1/quotes HTTP/1.1\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n"
               + b"".join(b"100000\r\n" + b"a" * 0x100000 + b"\r\n" for _ in range(6)) + b"0\r\n\r\n")
    problem_of(exchange(server.port, chunked)[1], 413)
