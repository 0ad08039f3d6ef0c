"""What an attribution rule is: a name, a function over the article's ``Context``, and how sure it is."""
from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from importlib import resources

from ..deadline import Deadline, check
from ..view.context import Context

CALIBRATION_FILE = "calibration.json"


def _calibration() -> dict[str, float]:
    data = json.loads(resources.files(__package__).joinpath(CALIBRATION_FILE).read_text(encoding="utf-8"))
    return data["sieves"]


CALIBRATION = _calibration()


@dataclass(frozen=True)
class Sieve:
    """One attribution rule.

    ``attribute(ctx)`` attributes the open quotes it is sure of and leaves the rest to the sieves after it;
    the quote records name it in ``method``. A ``sure`` sieve's evidence (a speech verb, a label, a
    lead-in) holds even for a short fragment in quotation marks; the others leave a quoted term in the
    writer's own sentence (a scare quote) without a speaker. ``confidence`` is how often the speaker it
    gives is right, as measured (``calibration.json``).
    """

    name: str
    attribute: Callable[[Context], None]
    sure: bool = False

    @property
    def confidence(self) -> float:
        return CALIBRATION[self.name]


def run_sieves(ctx: Context, sieves: list[Sieve], deadline: Deadline | None = None) -> None:
    for sieve in sieves:
        check(deadline, f"before the {sieve.name} sieve")
        sieve.attribute(ctx)
