"""The gunicorn worker: gevent reads requests, a native thread runs the engine.

gunicorn's sync worker reads a request in the one thread that also runs the app, so a client that
sends its headers or body slowly (or not at all) holds a whole worker; gunicorn's documentation
says it belongs behind a buffering proxy. This worker is that buffer, inside each worker process:

- gevent's server accepts up to ``QUOTES_MAX_CONNECTIONS`` connections and reads each one
  cooperatively: the request line and headers within ``QUOTES_HEADER_TIMEOUT`` seconds, then the
  whole body within ``QUOTES_BODY_TIMEOUT`` (408 problem+json otherwise). Only then is the app
  called, with the body in memory.
- The engine's CPU-bound work is sent to a pool of ``QUOTES_THREADS`` native threads (the app is
  handed the runner with each request, ``service.environ``), so the event loop keeps reading other
  clients and answers ``/health`` and ``/ready`` while the engine parses. Nothing is monkey-patched: the sockets are
  gevent's own, and threads stay threads.
- gunicorn's own errors (a malformed request line, headers too large, a bad chunk) are answered as
  problem+json, and logged by their kind alone: never the request line, which may carry an
  article's words.
- When the service stops (SIGTERM to the master), ``/ready`` answers 503, the connections already
  waiting in the listen queue are still accepted (for at most ``DRAIN_ACCEPT_SECONDS``), and
  every accepted request is finished before the worker exits (each ends within
  ``QUOTES_DEADLINE``). A worker only being replaced (SIGHUP, ``max_requests``) stops accepting
  at once and finishes what it holds, while the other workers go on.
"""
from __future__ import annotations

import errno
import io
import os
import time
from datetime import timedelta
from http import HTTPStatus

import gevent
from gevent import socket as gsocket
from gevent.event import Event
from gevent.lock import Semaphore
from gevent.pool import Pool
from gevent.server import StreamServer
from gevent.threadpool import ThreadPool
from gunicorn import http, util
from gunicorn.http import errors
from gunicorn.http.body import ChunkedReader
from gunicorn.http.wsgi import Response, default_environ
from gunicorn.workers.ggevent import GeventWorker

from .. import environ as environ_keys
from ..failures import failure_site
from ..settings import Settings
from . import waiting_room
from .answers import problem_bytes
from .waiting_room import BYE, FREE, HANDOFF, JOB, LEAVE

DRAIN_ACCEPT_SECONDS = 2.0  # after SIGTERM, how long connections still waiting are accepted
BUFFERED_BYTES = 64 * 1024 * 1024  # request bodies held in memory at once by one worker
LINGER_SECONDS = 1.0  # reading what a client still sends after its error answer
_QUIET_CHECKS = 3  # consecutive 0.1 s looks with no open connection before accepting stops

# gunicorn's parse errors: the status each deserves and what the client is told (never its input).
_PARSE_ERRORS = [
    (errors.LimitRequestLine, 414, "The request line is longer than the server accepts."),
    (errors.LimitRequestHeaders, 431, "The request has more header fields, or longer ones, than the "
                                      "server accepts."),
    (errors.UnsupportedTransferCoding, 501, "The request's Transfer-Encoding is not supported; send "
                                            "Content-Length or chunked."),
    (errors.ForbiddenProxyRequest, 403, "Proxy requests are not accepted from this address."),
    ((errors.InvalidChunkSize, errors.ChunkMissingTerminator), 400, "The request's chunked body is "
                                                                    "malformed."),
    ((errors.ParseException, errors.InvalidProxyLine), 400, "The request is not valid HTTP/1.1: "
                                                            "check its request line and headers."),
]
_CLIENT_GONE = (errno.EPIPE, errno.ECONNRESET, errno.ENOTCONN)


class WorkerBusy(Exception):
    """The worker already holds ``BUFFERED_BYTES`` of request bodies."""


def _content_length(req) -> int:
    for name, value in req.headers:
        if name == "CONTENT-LENGTH" and value.isdigit():
            return int(value)
    return 0


class RequestTimeout(Exception):
    """A client took longer than allowed to send its request."""

    def __init__(self, part: str, seconds: int) -> None:
        super().__init__(f"the client did not send its {part} within {seconds} s")
        self.part, self.seconds = part, seconds


def parse_error_answer(error: BaseException) -> tuple[int, str] | None:
    """The status and detail for one of gunicorn's parse errors, or None for anything else."""
    for kinds, status, detail in _PARSE_ERRORS:
        if isinstance(error, kinds):
            return status, detail
    return None


def linger(client) -> None:
    """Close our side, then read what the client still sends for a moment: a socket closed with
    unread data resets the connection, and the client may lose the answer it was sent."""
    try:
        client.shutdown(gsocket.SHUT_WR)
        with gevent.Timeout(LINGER_SECONDS, False):
            while client.recv(65536):
                pass
    except OSError:
        pass


def _outcome(function, args, kwargs) -> tuple[bool, object]:
    try:
        return True, function(*args, **kwargs)
    except Exception as error:
        return False, error


class _Replay:
    """A request's bytes where gunicorn's parser expects a socket."""

    def __init__(self, raw: bytes) -> None:
        self.stream = io.BytesIO(raw)

    def recv(self, size: int) -> bytes:
        return self.stream.read(size)


def _request_bytes(req) -> bytes:
    """A request read whole, as bytes the waiting room can hand to another worker."""
    body = req.body.getvalue()
    lines = [f"{req.method} {req.uri} HTTP/{req.version[0]}.{req.version[1]}"]
    lines += [f"{name}: {value}" for name, value in req.headers
              if name not in ("CONTENT-LENGTH", "TRANSFER-ENCODING")]
    lines.append(f"Content-Length: {len(body)}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body


def _peer(client):
    try:
        return client.getpeername()
    except OSError:
        return ""


class QuotesWorker(GeventWorker):
    """gunicorn's gevent worker reading whole requests before the app, the engine on native threads."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.settings = Settings.from_env()
        self.body_limit = max(self.settings.max_body_bytes, self.settings.max_batch_body_bytes) + 1
        self._engine_threads: ThreadPool | None = None
        self.buffered = 0  # bytes of request bodies reserved by the connections being read
        self.room = None  # the connection to the waiting room; None: requests wait in this worker
        self.room_lock = Semaphore()  # one message at a time on it
        self.room_closed = Event()  # the room said bye, or is gone
        self.jobs = Pool()  # the connections the room gave this worker
        self.left_room = False
        self.draining = False  # the whole service stops: finishing what was accepted

    # --- process and threads ----------------------------------------------------------------------
    def patch(self) -> None:
        """No monkey-patching: gevent's server hands out cooperative sockets already, and the engine's
        threads must stay native threads."""
        self.sockets = [gsocket.socket(s.FAMILY, gsocket.SOCK_STREAM, fileno=s.sock.fileno())
                        for s in self.sockets]

    def load_wsgi(self) -> None:
        """The app, told for each request where its engine work runs and whether this worker drains."""
        super().load_wsgi()
        app = self.wsgi

        def with_server(environ, start_response):
            environ[environ_keys.RUN_ENGINE] = self.run_in_engine_thread
            environ[environ_keys.DRAINING] = self.is_draining
            return app(environ, start_response)

        self.wsgi = with_server

    def is_draining(self) -> bool:
        """From SIGTERM on, ``/ready`` answers 503 while the requests already accepted are finished."""
        return self.draining

    def run_in_engine_thread(self, function, *args, **kwargs):
        """Run ``function`` in one of the worker's native threads; the calling greenlet waits for it."""
        if self._engine_threads is None:  # made in the worker process, after gevent's hub is set up
            self._engine_threads = ThreadPool(self.cfg.threads)
        # An exception comes back as a value: gevent would print one raised in its thread, and an
        # exception's message may quote the article.
        succeeded, value = self._engine_threads.apply(_outcome, (function, args, kwargs))
        if not succeeded:
            raise value
        return value

    # --- serving and stopping ---------------------------------------------------------------------
    def run(self) -> None:
        self.join_room()
        servers = []
        for listener in self.sockets:
            listener.setblocking(1)
            server = StreamServer(listener, handle=lambda client, addr, listener=listener:
                                  self.handle(listener, client, addr),
                                  spawn=Pool(self.worker_connections))
            if self.cfg.workers > 1:
                server.max_accept = 1  # take one connection at a time: the others are for idle workers
            server.start()
            servers.append(server)
        while self.alive:
            self.notify()
            for _ in range(10):  # a tenth of a second from SIGTERM to the drain
                if self.alive:
                    gevent.sleep(0.1)
        self.drain(servers)

    def master_listens(self) -> bool:
        """Whether the master still holds the listening sockets: it closes them when the service
        stops, and keeps them when it only replaces this worker (SIGHUP, max_requests)."""
        ours = {os.fstat(listener.fileno()).st_ino for listener in self.sockets}
        folder = f"/proc/{self.ppid}/fd"
        try:
            links = [os.readlink(f"{folder}/{fd}") for fd in os.listdir(folder)]
        except OSError:
            return False
        return any(link.startswith("socket:[") and int(link[8:-1]) in ours for link in links)

    def drain(self, servers: list[StreamServer]) -> None:
        """Finish every accepted request. When the whole service stops, /ready turns 503, what
        still waits in the listen queue is accepted first, and the worker takes what waits in the
        waiting room before it leaves; when only this worker is replaced, it stops taking work at
        once and the other workers take the queue and the room."""
        started, quiet = time.monotonic(), 0
        stopping = not self.master_listens()
        if stopping:
            self.draining = True
        while stopping and time.monotonic() - started < DRAIN_ACCEPT_SECONDS and quiet < _QUIET_CHECKS:
            quiet = 0 if self.busy(servers) else quiet + 1
            gevent.sleep(0.1)
        for server in servers:
            server.close()  # stop accepting; the connections already accepted go on
        if not stopping:
            self.leave_room("now")
        while time.monotonic() - started < self.cfg.graceful_timeout:
            if not self.busy(servers):
                if self.room_closed.is_set():
                    return
                self.leave_room("drain")  # no connection left here can hand a request over
            self.notify()
            gevent.sleep(0.1)
        self.log.warning("Worker graceful timeout (pid:%s)", self.pid)

    def busy(self, servers: list[StreamServer]) -> bool:
        return any(server.pool.free_count() != server.pool.size for server in servers) or len(self.jobs) > 0

    # --- the waiting room -------------------------------------------------------------------------
    def join_room(self) -> None:
        """Connect to the waiting room and offer it this worker's engine threads. Without a room
        (it could not be reached) requests wait in the worker that read them."""
        room = gsocket.socket(gsocket.AF_UNIX, gsocket.SOCK_STREAM)
        try:
            room.connect(waiting_room.address(self.ppid))
        except OSError:
            room.close()
            self.room_closed.set()
            self.log.warning("No waiting room: requests wait in the worker that read them")
            return
        self.room = room
        gevent.spawn(self.serve_room)
        for _ in range(self.cfg.threads):
            self.tell_room(FREE)

    def serve_room(self) -> None:
        try:
            while True:
                kind, payload, fd = waiting_room.read_message(self.room)
                if kind == JOB and fd is not None:
                    client = gsocket.socket(fileno=fd)
                    self.jobs.spawn(self.handle, None, client, _peer(client), payload)
                elif kind == BYE:
                    return
        except (EOFError, OSError):
            self.log.warning("The waiting room is gone: requests wait in the worker that read them")
        finally:
            self.room = None
            self.room_closed.set()

    def tell_room(self, kind: bytes, payload: bytes = b"", fd: int | None = None) -> bool:
        """Send the room a message; False when there is no room to send it to."""
        if self.room is None:
            return False
        with self.room_lock:
            try:
                waiting_room.send_message(self.room, kind, payload, fd)
                return True
            except OSError:
                return False

    def leave_room(self, how: str) -> None:
        if not self.left_room:
            self.left_room = self.tell_room(LEAVE, how.encode())
            if not self.left_room:
                self.room_closed.set()

    def hands_off(self, req) -> bool:
        """Whether a request waits for an engine in the room: every POST (the routes that parse),
        unless its body was cut (the app refuses it at once)."""
        return self.room is not None and req.method == "POST" and not getattr(req, "body_cut", False)

    # --- one connection ---------------------------------------------------------------------------
    def handle(self, listener, client, addr, replay: bytes | None = None) -> None:
        """Serve one connection: the requests read from it, or first the one the waiting room gave
        this worker (``replay``, its bytes), then the next ones read from it."""
        client.setblocking(1)
        req = None
        owes_room = replay is not None  # the room counts this worker's engine busy until told
        try:
            parser = http.RequestParser(self.cfg, client, addr)
            listener_name = (listener or client).getsockname()
            first = True
            while True:
                from_room = replay is not None
                req = self.replayed(replay, addr) if from_room else self.read_request(parser, client, first)
                replay = None
                if req is None:
                    return
                try:
                    if not from_room and self.hands_off(req):
                        if self.tell_room(HANDOFF, _request_bytes(req), client.fileno()):
                            return  # the room holds the connection now
                    self.handle_request(listener_name, req, client, addr)
                finally:
                    self.buffered -= req.reserved
                    if from_room:
                        owes_room = False
                        self.tell_room(FREE)
                first = False
        except StopIteration:
            pass
        except errors.NoMoreData:
            self.log.debug("Ignored premature client disconnection.")
        except WorkerBusy:
            self.send(client, problem_bytes(503, "The server holds as many request bodies as it can; "
                                                 "retry in a few seconds.", retry_after=5))
        except RequestTimeout as timeout:
            self.log.info("Closed a connection from ip=%s: %s", addr[0] if addr else "", timeout)
            self.send(client, problem_bytes(408, f"The request was not received in time: send the request "
                                                 f"line and headers within {self.settings.header_timeout} s "
                                                 f"and the body within {self.settings.body_timeout} s."))
        except OSError as error:  # a bad chunk is an OSError to gunicorn, as is a client gone
            if parse_error_answer(error) is not None:
                self.handle_error(req, client, addr, error)
            elif error.errno not in _CLIENT_GONE:
                self.log.warning("Socket error on a connection: %s", error.strerror or type(error).__name__)
        except Exception as error:
            self.handle_error(req, client, addr, error)
        finally:
            if owes_room:  # the room's request could not even be read again
                self.tell_room(FREE)
            if getattr(req, "body_cut", False):
                linger(client)  # the client may still be sending the body the app refused
            util.close(client)

    def replayed(self, raw: bytes, addr):
        """A request the waiting room gave this worker, parsed again from its bytes."""
        req = next(http.RequestParser(self.cfg, _Replay(raw), addr))
        req.body = io.BytesIO(req.body.read())
        req.reserved = 0
        return req

    def read_request(self, parser, client, first: bool):
        """The next request with its whole body read, or None when the connection has nothing more.
        A first request gets ``header_timeout`` for its headers; a kept-alive connection waits
        ``keepalive`` seconds for the next one, then closes without an answer."""
        seconds = self.settings.header_timeout if first else self.cfg.keepalive
        try:
            with gevent.Timeout(seconds, RequestTimeout("request line and headers", seconds)):
                req = next(parser)
        except StopIteration:
            return None
        except RequestTimeout:
            if first:
                raise
            return None
        self.read_body(req, client)
        return req

    def read_body(self, req, client) -> None:
        """Read the whole body (up to the largest a route accepts, plus one byte) into memory, so the
        app never waits on the client. A body over that limit is cut there: the app answers 413 and
        the connection is closed."""
        continue_expected = any(name == "EXPECT" and value.lower() == "100-continue"
                                for name, value in req.headers)
        if continue_expected:
            client.sendall(b"HTTP/1.1 100 Continue\r\n\r\n")
            req.headers = [(name, value) for name, value in req.headers if name != "EXPECT"]
        size = self.body_size(req)
        if self.buffered + size > BUFFERED_BYTES:
            raise WorkerBusy()
        self.buffered += size
        req.reserved = size
        seconds = self.settings.body_timeout
        try:
            with gevent.Timeout(seconds, RequestTimeout("body", seconds)):
                body = req.body.read(self.body_limit)
        except BaseException:
            self.buffered -= size
            raise
        if len(body) >= self.body_limit:
            req.must_close = req.body_cut = True  # the rest of it is never read
        req.body = io.BytesIO(body)

    def body_size(self, req) -> int:
        """The bytes of body a request may bring: its length, or the limit for a chunked one."""
        if isinstance(req.body.reader, ChunkedReader):
            return self.body_limit
        return min(self.body_limit, _content_length(req))

    def handle_error(self, req, client, addr, exc) -> None:
        """gunicorn's errors as problem+json; logged by their kind, never with the request's text."""
        answer = parse_error_answer(exc)
        ip = addr[0] if addr else ""
        if answer is not None:
            status, detail = answer
            self.log.warning("Invalid request from ip=%s: %s", ip, type(exc).__name__)
        else:
            status = 500
            detail = "The service failed while handling this request. The failure is logged; retrying may help."
            self.log.error("Error handling a request from ip=%s: %s (at %s)", ip, type(exc).__name__,
                           failure_site(exc))
        if req is not None:
            self._log_access(req, client, addr, status)
        self.send(client, problem_bytes(status, detail))

    def _log_access(self, req, client, addr, status: int) -> None:
        environ = default_environ(req, client, self.cfg)
        environ["REMOTE_ADDR"] = addr[0] if addr else ""
        response = Response(req, client, self.cfg)
        response.status = f"{status} {HTTPStatus(status).phrase}"
        self.log.access(response, req, environ, timedelta(0))

    def send(self, client, data: bytes) -> None:
        """Send a last answer, then linger before the connection is closed."""
        try:
            client.sendall(data)
        except OSError:
            self.log.debug("Failed to send an error answer: the client is gone.")
            return
        linger(client)
