"""Gunicorn's configuration for the quotes service, shipped inside the package.

``quotes serve``, ``make run`` and the Docker image all run
``gunicorn --config python:service.gunicorn_conf 'service:create_app()'``, so the service
runs the same however it was installed. Every value comes from ``service.settings.Settings``
(the ``QUOTES_*`` environment variables, documented there).

The access log is one JSON object per line on stdout: method, path, the route
matched, status, duration, the request id (the client's or one the app made) and
the article's length in characters. Never the query string or the body, so
article text never reaches a log.
"""
from __future__ import annotations

import datetime as _dt
import gc
import json
import os

from gunicorn.glogging import Logger

from service import environ as environ_keys
from service.settings import Settings, SettingsError

try:
    _settings = Settings.from_env()
except SettingsError as _error:
    raise SystemExit(f"quotes: {_error}") from None

bind = list(_settings.bind)
workers = _settings.workers
# gevent reads each request whole (headers and body, with read timeouts) before the app sees it,
# and the engine runs on `threads` native threads per worker: a slow or idle client holds a
# connection slot, never the engine (service/server/worker.py says how).
worker_class = "service.server.worker.QuotesWorker"
threads = _settings.threads
worker_connections = _settings.max_connections

# Load the app (and with it the spaCy model) once in the master before forking:
# workers share the model's pages copy-on-write and start serving at once.
preload_app = True


# Requests waiting for an engine wait in a process of their own, not in a worker, so a worker
# killed by SIGKILL costs only the request it was parsing (service/server/waiting_room.py).
_waiting_room = None


def on_starting(server):
    global _waiting_room
    from service.server import waiting_room
    from service.server.worker import BUFFERED_BYTES

    try:
        _waiting_room = waiting_room.start(os.getpid(), _settings.deadline, BUFFERED_BYTES * workers)
    except OSError as error:  # no abstract Unix sockets (not Linux): the workers do without
        server.log.warning("No waiting room (%s): requests wait in the worker that read them",
                           error.strerror or type(error).__name__)


def on_exit(server):
    """The workers are gone: the room answers what still waits (503) and exits."""
    if _waiting_room is not None and _waiting_room.poll() is None:
        _waiting_room.terminate()
        _waiting_room.wait(timeout=10)


def pre_fork(server, worker):
    """Freeze what the master holds (the app, the model) before forking: the garbage collector
    writes into every object it tracks, so each collection in a worker would copy the pages it
    shares with the master; frozen objects it leaves alone."""
    gc.freeze()


# A worker whose event loop has not checked in for this long is replaced; requests themselves end
# within QUOTES_DEADLINE (below it) with an answer.
timeout = _settings.timeout
# On SIGTERM, accept what waits in the listen queue and give every accepted request this long to finish.
graceful_timeout = _settings.graceful_timeout
keepalive = _settings.keepalive

# A worker that served this many requests finishes its current one and is replaced by a
# fresh fork of the preloaded master: every new word spaCy sees stays in its string store.
max_requests = _settings.max_requests
max_requests_jitter = max_requests // 10

# Worker heartbeats on tmpfs: a container's overlay disk can stall them.
if os.path.isdir("/dev/shm"):
    worker_tmp_dir = "/dev/shm"

accesslog = "-"
errorlog = "-"
loglevel = _settings.log_level
proc_name = "quotes"

# Request IDs and paths come from the client; keep a hostile one from bloating the log.
_MAX_REQUEST_ID = 128
_MAX_PATH = 512


def _content_length(environ) -> int | None:
    try:
        return int(environ.get("CONTENT_LENGTH") or "")
    except ValueError:
        return None


class JsonAccessLogger(Logger):
    """Access log lines as JSON objects; everything else as gunicorn does it."""

    def access(self, resp, req, environ, request_time):
        if not self.cfg.accesslog:
            return
        status = getattr(resp, "status_code", None)
        if status is None:
            try:
                status = int(str(resp.status).split(None, 1)[0])
            except (ValueError, IndexError):
                status = None
        # Left in the environ by the app (service/api/tracing.py); the client's header otherwise.
        request_id = environ.get(environ_keys.REQUEST_ID)
        if request_id is None:
            for name, value in req.headers:
                if name.upper() == "X-REQUEST-ID":
                    request_id = value[:_MAX_REQUEST_ID]
                    break
        record = {
            "time": _dt.datetime.now(_dt.UTC).isoformat(timespec="milliseconds"),
            "remote": environ.get("REMOTE_ADDR"),
            "method": req.method,
            "path": req.path[:_MAX_PATH],
            "route": environ.get(environ_keys.ROUTE),
            "status": status,
            "duration_ms": round(request_time.total_seconds() * 1000, 1),
            "request_bytes": _content_length(environ),
            "text_chars": environ.get(environ_keys.TEXT_CHARS),
            "bytes": getattr(resp, "sent", None),
            "request_id": request_id,
            "pid": os.getpid(),
        }
        try:
            self.access_log.info(json.dumps(record, ensure_ascii=False))
        except Exception:  # a log line must never fail a request
            self.exception("Failed to write an access log line")


logger_class = JsonAccessLogger
