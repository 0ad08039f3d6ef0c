"""Parts of one quotation (interrupted, or continued over paragraphs) share their speaker."""
from __future__ import annotations

from ..context import Context

NAME = "group"


def sieve(ctx: Context) -> None:
    decided = {}
    for k, attribution in sorted(ctx.attributions.items()):
        decided.setdefault(ctx.quotes[k].group, attribution)
    for k in ctx.open_quotes():
        attribution = decided.get(ctx.quotes[k].group)
        if attribution is not None:
            ctx.attribute(k, attribution.mention, attribution.cue, NAME, attribution.confidence * 0.95)
