"""Where the engine's CPU-bound work runs.

By default in the calling thread (the Flask test client, ``quotes extract``). The gunicorn worker
(``service/server/worker.py``) installs a runner that sends it to a pool of native threads, so
that its event loop goes on reading other requests and answering ``/health`` meanwhile.
"""
from __future__ import annotations

from typing import Any, Callable

Runner = Callable[..., Any]

_runner: Runner | None = None


def use(runner: Runner | None) -> None:
    """From now on run engine work with ``runner(function, *args, **kwargs)`` (None: in place)."""
    global _runner
    _runner = runner


def call(function: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """``function(*args, **kwargs)``, where the installed runner puts it."""
    if _runner is None:
        return function(*args, **kwargs)
    return _runner(function, *args, **kwargs)
