"""The deadline a piece of work must end by. No Flask here.

A ``Deadline`` is handed to ``Engine.extract`` and ``Engine.extract_many``, which check it between
parse batches and between sieves and raise ``DeadlinePassed`` once it has gone by: a long request
ends on time with an answer instead of being killed.
"""
from __future__ import annotations

import time
from collections.abc import Callable


class DeadlinePassed(Exception):
    """The work was stopped at its deadline. The message says where, never what the text was."""


class Deadline:
    """A point in time (``time.monotonic``) that work must end by."""

    def __init__(self, seconds: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.seconds = seconds
        self._clock = clock
        self.at = clock() + seconds

    def remaining(self) -> float:
        return self.at - self._clock()

    def check(self, where: str) -> None:
        """Raise ``DeadlinePassed`` once the deadline has gone by."""
        if self._clock() >= self.at:
            raise DeadlinePassed(f"the deadline of {self.seconds:g} s passed {where}")


def check(deadline: Deadline | None, where: str) -> None:
    """``deadline.check(where)``, for code that may run without a deadline."""
    if deadline is not None:
        deadline.check(where)
