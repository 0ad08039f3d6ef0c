"""What an attribution rule is: a name, a function over the article's ``Context``, and how sure it is."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from ..deadline import Deadline, check
from ..view.context import Context


@dataclass(frozen=True)
class Sieve:
    """One attribution rule.

    ``attribute(ctx)`` attributes the open quotes it is sure of and leaves the rest to the sieves after it;
    the quote records name it in ``method``. A ``sure`` sieve's evidence (a speech verb, a label, a
    lead-in) holds even for a short fragment in quotation marks; the others leave a quoted term in the
    writer's own sentence (a scare quote) without a speaker.
    """

    name: str
    attribute: Callable[[Context], None]
    sure: bool = False


def run_sieves(ctx: Context, sieves: list[Sieve], deadline: Deadline | None = None) -> None:
    for sieve in sieves:
        check(deadline, f"before the {sieve.name} sieve")
        sieve.attribute(ctx)
