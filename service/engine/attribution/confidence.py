"""How sure a quote's attribution is: the calibration of the sieve that decided, halved for a quote
that is doubtful as speech (a short fragment or a quoted term: rarely the speaker's utterance)."""
from __future__ import annotations

from ..view.context import Attribution, Context
from .quote_types import is_scare_quote, is_unspoken_term
from .sieve import Sieve


def quote_confidence(ctx: Context, k: int, attribution: Attribution, sieve: Sieve) -> float:
    """The confidence of quote k's speaker, from the sieve that attributed it."""
    doubtful = is_scare_quote(ctx, k) or is_unspoken_term(ctx, k, attribution.cue)
    return round(sieve.confidence * (0.5 if doubtful else 1.0), 2)  # a whole percent, as the page shows it
