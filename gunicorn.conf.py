"""Gunicorn settings for the quotes service.

Run with ``gunicorn --config gunicorn.conf.py 'service:create_app()'``.
Every setting that differs between a laptop and a container comes from the
environment:

QUOTES_BIND       address to listen on (default 127.0.0.1:8000; the image sets 0.0.0.0:8000)
QUOTES_WORKERS    worker processes (default: one per usable core)
QUOTES_THREADS    threads per worker (default 1: spaCy work is CPU bound)
QUOTES_TIMEOUT    seconds a worker may spend on one request before it is restarted (default 60)
QUOTES_GRACEFUL_TIMEOUT  seconds requests in flight get to finish on SIGTERM (default 30)
QUOTES_KEEPALIVE  seconds an idle keep-alive connection is held open (default 5; threaded workers only)
QUOTES_LOG_LEVEL  error log level (default info)

QUOTES_MAX_REQUESTS  requests a worker serves before it is replaced (default 5000, with
                     up to 10% jitter; 0 never): bounds the growth of spaCy's string store

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


def _int_env(name: str, default: int, minimum: int = 1) -> int:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError as exc:
        raise SystemExit(f"{name} must be an integer, got {raw!r}") from exc
    if value < minimum:
        raise SystemExit(f"{name} must be at least {minimum}, got {value}")
    return value


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0)) or 1
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


bind = [addr.strip() for addr in os.environ.get("QUOTES_BIND", "127.0.0.1:8000").split(",") if addr.strip()]
workers = _int_env("QUOTES_WORKERS", _cores())
threads = _int_env("QUOTES_THREADS", 1)
# The sync worker: it takes a connection only when it is free, so the kernel's accept queue shares
# requests fairly among the workers and a worker that dies loses just the request it was on. A
# threaded worker keeps connections alive but accepts while busy and keeps what it took, leaving
# some clients queued behind one worker while another idles. A new connection per request costs
# a fraction of a millisecond against the tens of milliseconds of parsing an article.
worker_class = "sync" if threads == 1 else "gthread"

# Load the app (and with it the spaCy model) once in the master before forking:
# workers share the model's pages copy-on-write and start serving at once.
preload_app = True


def pre_fork(server, worker):
    """Freeze what the master holds (the app, the model) before forking: the garbage collector
    writes into every object it tracks, so each collection in a worker would copy the pages it
    shares with the master; frozen objects it leaves alone."""
    gc.freeze()


timeout = _int_env("QUOTES_TIMEOUT", 60)
# On SIGTERM, stop accepting and give requests in flight this long to finish.
graceful_timeout = _int_env("QUOTES_GRACEFUL_TIMEOUT", 30)
keepalive = _int_env("QUOTES_KEEPALIVE", 5)

# A worker that served this many requests finishes its current one and is replaced by a
# fresh fork of the preloaded master: every new word spaCy sees stays in its string store.
max_requests = _int_env("QUOTES_MAX_REQUESTS", 5000, minimum=0)
max_requests_jitter = max_requests // 10

# Worker heartbeats on tmpfs: a container's overlay disk can stall them.
if os.path.isdir("/dev/shm"):
    worker_tmp_dir = "/dev/shm"

accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("QUOTES_LOG_LEVEL", "info")
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
        request_id = environ.get("quotes.request_id")
        if request_id is None:
            for name, value in req.headers:
                if name.upper() == "X-REQUEST-ID":
                    request_id = value[:_MAX_REQUEST_ID]
                    break
        record = {
            "time": _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="milliseconds"),
            "remote": environ.get("REMOTE_ADDR"),
            "method": req.method,
            "path": req.path[:_MAX_PATH],
            "route": environ.get("quotes.route"),
            "status": status,
            "duration_ms": round(request_time.total_seconds() * 1000, 1),
            "request_bytes": _content_length(environ),
            "text_chars": environ.get("quotes.text_chars"),
            "bytes": getattr(resp, "sent", None),
            "request_id": request_id,
            "pid": os.getpid(),
        }
        try:
            self.access_log.info(json.dumps(record, ensure_ascii=False))
        except Exception:  # a log line must never fail a request
            self.exception("Failed to write an access log line")


logger_class = JsonAccessLogger
