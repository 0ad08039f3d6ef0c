"""Attribution sieves, in the order they run: the only place that order is decided.

Each module is one rule and exports ``SIEVE``, a ``service.engine.attribution.sieve.Sieve`` with its name; the
quote records name the sieve that decided (``method``). Adding a rule is adding a module and its
line here; ``quotes evaluate --errors`` shows what it bought.
"""
from __future__ import annotations

from ..sieve import Sieve
from . import (
               according_to,
               clause_subject,
               conversation,
               dash_credit,
               group,
               headline_label,
               last_subject,
               lead_in,
               nearest_person,
               noun_cue,
               same_paragraph,
               speech_verb,
               speech_verb_paragraph,
               transcript_label,
)

SIEVES: tuple[Sieve, ...] = (
    transcript_label.SIEVE,
    according_to.SIEVE,
    speech_verb.SIEVE,
    dash_credit.SIEVE,
    lead_in.SIEVE,
    noun_cue.SIEVE,
    group.SIEVE,
    headline_label.SIEVE,
    same_paragraph.SIEVE,
    clause_subject.SIEVE,
    speech_verb_paragraph.SIEVE,
    last_subject.SIEVE,
    conversation.SIEVE,
    group.SIEVE,  # again: the parts of a quotation the sieves above left open share what they found
    nearest_person.SIEVE,
)
