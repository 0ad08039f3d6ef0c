"""The waiting room: requests read whole and waiting for an engine, held outside the workers.

A worker reads every request whole before the app sees it (``service/server/worker.py``), so it
can answer ``/health`` while its engine parses. A request that needs the engine (every POST) is not
kept in the worker that read it: the worker hands the client's connection and the request's bytes
to this process, which gives them to the first worker with a free engine, oldest first. So a
worker holds no request except the one its engine is working on, and a worker killed by SIGKILL
(the kernel's out-of-memory killer, an operator) costs exactly that request: what waits is here,
and goes to the other workers or to the worker's replacement. It also shares the work fairly: a
request never queues behind a long one in a busy worker while another worker is idle.

The room is a small process of its own (no model, no parsing: it moves bytes and file
descriptors), started by gunicorn's master and stopped with it. It talks to each worker over a
Unix socket (file descriptors travel as ``SCM_RIGHTS``) with five messages:

- worker → room: ``H`` hand off a request (with its connection), ``F`` one engine slot is free,
  ``L`` leaving (``now``: take no more; ``drain``: take what waits first, the service stops);
- room → worker: ``J`` a job (a request and its connection), ``B`` bye: nothing more will come.

A request that waits longer than ``QUOTES_DEADLINE``, or that arrives when the room already holds
``max_bytes``, is answered 503 problem+json with ``Retry-After`` by the room itself.
"""
from __future__ import annotations

import os
import signal
import socket
import struct
import sys
import threading
import time
from collections import deque
from dataclasses import dataclass, field

from .answers import problem_bytes

HANDOFF, FREE, LEAVE, JOB, BYE = b"H", b"F", b"L", b"J", b"B"
_HEADER = struct.Struct("!cI")
_CHECK_SECONDS = 0.5  # how often waiting requests are checked against the deadline
_SEND_SECONDS = 2.0  # for the room's own 503 answers


def address(master_pid: int) -> str:
    """The room's Unix socket: an abstract address (no file to clean up), one per master."""
    return f"\0quotes-waiting-room-{master_pid}"


def send_message(sock, kind: bytes, payload: bytes = b"", fd: int | None = None) -> None:
    header = _HEADER.pack(kind, len(payload))
    if fd is None:
        sock.sendall(header + payload)
        return
    socket.send_fds(sock, [header], [fd])  # the descriptor travels with the header's bytes
    if payload:
        sock.sendall(payload)


def _read_exactly(sock, size: int) -> bytes:
    parts, left = [], size
    while left:
        part = sock.recv(min(left, 1 << 20))
        if not part:
            raise EOFError
        parts.append(part)
        left -= len(part)
    return b"".join(parts)


def read_message(sock) -> tuple[bytes, bytes, int | None]:
    """The next message: its kind, its payload and the descriptor it carries (or None)."""
    header, fds = b"", []
    while len(header) < _HEADER.size:
        data, received, _flags, _address = socket.recv_fds(sock, _HEADER.size - len(header), 1)
        if not data:
            for fd in received:
                os.close(fd)
            raise EOFError
        header += data
        fds += received
    kind, size = _HEADER.unpack(header)
    return kind, _read_exactly(sock, size), fds[0] if fds else None


@dataclass(eq=False)
class Peer:
    """One worker's connection to the room."""
    sock: socket.socket
    send_lock: threading.Lock = field(default_factory=threading.Lock)
    leaving: bool = False
    bid_bye: bool = False
    gone: bool = False


@dataclass(eq=False)
class Job:
    fd: int  # the client's connection
    request: bytes
    since: float = field(default_factory=time.monotonic)


class WaitingRoom:
    def __init__(self, listener: socket.socket, max_wait: float, max_bytes: int, master_pid: int) -> None:
        self.listener, self.max_wait, self.max_bytes = listener, max_wait, max_bytes
        self.master_pid = master_pid
        self.lock = threading.Lock()
        self.jobs: deque[Job] = deque()
        self.free: deque[Peer] = deque()  # one entry per free engine slot, first freed first
        self.held = 0  # bytes of the requests waiting

    # --- serving ----------------------------------------------------------------------------------
    def serve(self) -> None:
        threading.Thread(target=self.watch, daemon=True).start()
        while True:
            sock, _ = self.listener.accept()
            threading.Thread(target=self.serve_peer, args=(Peer(sock),), daemon=True).start()

    def serve_peer(self, peer: Peer) -> None:
        try:
            while True:
                kind, payload, fd = read_message(peer.sock)
                if kind == HANDOFF and fd is not None:
                    self.admit(Job(fd, payload))
                elif kind == FREE:
                    with self.lock:
                        if not peer.bid_bye:  # a worker that left finishes its last job, then exits
                            self.free.append(peer)
                elif kind == LEAVE:
                    self.leave(peer, now=payload == b"now")
                self.dispatch()
        except (EOFError, OSError):
            pass
        finally:
            with self.lock:
                peer.gone = True
                self._forget(peer)
            peer.sock.close()

    def admit(self, job: Job) -> None:
        with self.lock:
            if self.held + len(job.request) <= self.max_bytes:
                self.jobs.append(job)
                self.held += len(job.request)
                return
        answer(job, 503, "The service holds as many waiting requests as it can; retry in a few seconds.", 5)

    def dispatch(self) -> None:
        """Give waiting requests to free engines, oldest request to the engine free the longest."""
        while True:
            with self.lock:
                while self.free and self.free[0].gone:
                    self.free.popleft()
                if not self.jobs or not self.free:
                    self._release_leavers()
                    return
                peer, job = self.free.popleft(), self.jobs.popleft()
                self.held -= len(job.request)
                peer.send_lock.acquire()  # before the room's lock is let go: a bye never overtakes a job
            try:
                send_message(peer.sock, JOB, job.request, job.fd)
            except OSError:
                with self.lock:
                    peer.gone = True
                    self.jobs.appendleft(job)
                    self.held += len(job.request)
                continue
            finally:
                peer.send_lock.release()
            os.close(job.fd)

    def leave(self, peer: Peer, now: bool) -> None:
        with self.lock:
            peer.leaving = True
            if now or not self.jobs:
                self._forget(peer)
                self._bye(peer)

    def _release_leavers(self) -> None:
        """With nothing waiting, say bye to the workers that are leaving (called holding the lock)."""
        for peer in {peer for peer in self.free if peer.leaving}:
            self._forget(peer)
            self._bye(peer)

    def _forget(self, peer: Peer) -> None:
        self.free = deque(entry for entry in self.free if entry is not peer)

    @staticmethod
    def _bye(peer: Peer) -> None:
        peer.bid_bye = True
        with peer.send_lock:
            try:
                send_message(peer.sock, BYE)
            except OSError:
                peer.gone = True

    # --- time and shutdown ------------------------------------------------------------------------
    def watch(self) -> None:
        """Answer the requests that waited too long; end with the master."""
        while True:
            time.sleep(_CHECK_SECONDS)
            if os.getppid() != self.master_pid:
                self.close()
            limit = time.monotonic() - self.max_wait
            with self.lock:
                late = [job for job in self.jobs if job.since < limit]
                for job in late:
                    self.jobs.remove(job)
                    self.held -= len(job.request)
            for job in late:
                answer(job, 503, f"The request waited more than {self.max_wait:g} s for a free engine: the "
                                 "service is busy. Retry later.", 5)

    def close(self, *_signal) -> None:
        """Answer what still waits (the service is stopping) and exit."""
        with self.lock:
            jobs, self.jobs = list(self.jobs), deque()
        for job in jobs:
            answer(job, 503, "The service stopped before it could handle the request. Retry later.", 5)
        os._exit(0)


def answer(job: Job, status: int, detail: str, retry_after: int) -> None:
    """Answer a request the room holds, and close its connection."""
    with socket.socket(fileno=job.fd) as client:
        try:
            client.settimeout(_SEND_SECONDS)
            client.sendall(problem_bytes(status, detail, retry_after))
            client.shutdown(socket.SHUT_WR)
        except OSError:
            pass


def start(master_pid: int, max_wait: float, max_bytes: int):
    """Start the room for this master (a process of its own, listening before it returns)."""
    import subprocess

    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(address(master_pid))
    listener.listen(64)
    try:
        return subprocess.Popen(
            [sys.executable, "-m", "service.server.waiting_room", str(listener.fileno()), str(master_pid),
             str(max_wait), str(max_bytes)],
            pass_fds=[listener.fileno()], start_new_session=True)
    finally:
        listener.close()


def main(argv: list[str]) -> None:
    fd, master_pid, max_wait, max_bytes = int(argv[0]), int(argv[1]), float(argv[2]), int(argv[3])
    room = WaitingRoom(socket.socket(fileno=fd), max_wait, max_bytes, master_pid)
    signal.signal(signal.SIGTERM, room.close)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the master decides when the room stops
    room.serve()


if __name__ == "__main__":
    main(sys.argv[1:])
