"""``PENCE: Well, look, …``: a quote that opens with a speaker's label in capitals and a colon."""
from __future__ import annotations

from ...text.transcripts import transcript_label
from ...view.context import Context
from ...view.entities import entity_view
from ..sieve import Sieve

NAME = "transcript_label"


def sieve(ctx: Context) -> None:
    view = entity_view(ctx)
    for k in ctx.open_quotes():
        quote = ctx.quotes[k]
        label = transcript_label(ctx.text, quote.start, quote.end)
        if label is None:
            continue
        span = view.words(label[0], label[1], alignment_mode="expand")
        if span is not None:
            ctx.attribute(k, span, None, NAME, kind="person")  # transcripts label people


SIEVE = Sieve(NAME, sieve, sure=True)
