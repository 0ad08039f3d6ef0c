"""Attribution sieves, in the order they run: the only place that order is decided.

Each sieve is ``sieve(ctx: Context) -> None``: it attributes the quotes it is sure of and leaves
the rest to the sieves after it. The quote records name the sieve that decided (``method``).
"""
from __future__ import annotations

from typing import Callable

from ..context import Context
from . import (according_to, conversation, dash_credit, group, lead_in, nearest_person, same_paragraph,
               speech_verb, speech_verb_paragraph, transcript_label)

Sieve = Callable[[Context], None]

SIEVES: list[tuple[str, Sieve]] = [
    ("transcript_label", transcript_label.sieve),
    ("speech_verb", speech_verb.sieve),
    ("according_to", according_to.sieve),
    ("dash_credit", dash_credit.sieve),
    ("lead_in", lead_in.sieve),
    ("group", group.sieve),
    ("same_paragraph", same_paragraph.sieve),
    ("speech_verb_paragraph", speech_verb_paragraph.sieve),
    ("conversation", conversation.sieve),
    ("group", group.sieve),
    ("nearest_person", nearest_person.sieve),
]


def attribute(ctx: Context) -> None:
    for _name, sieve in SIEVES:
        sieve(ctx)
