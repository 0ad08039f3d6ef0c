"""Whether this process is shutting down: from SIGTERM on, ``/ready`` answers 503 while the
requests already accepted are finished."""
from __future__ import annotations

_draining = False  # a plain flag: it is set from a signal handler


def start_draining() -> None:
    global _draining
    _draining = True


def draining() -> bool:
    return _draining
