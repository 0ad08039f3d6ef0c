"""Parts of one quotation (interrupted, or continued over paragraphs) share their speaker."""
from __future__ import annotations

from bisect import bisect_left
from collections import defaultdict

from ...view.context import Context
from ..sieve import Sieve

NAME = "group"


def sieve(ctx: Context) -> None:
    decided: dict[int, list[int]] = defaultdict(list)  # group -> attributed quote indices, in order
    for k in sorted(ctx.attributions):
        decided[ctx.quotes[k].group].append(k)
    for k in ctx.open_quotes():
        members = decided.get(ctx.quotes[k].group)
        if not members:
            continue
        at = bisect_left(members, k)
        nearest = members[at - 1] if at else members[0]  # the part before it, else the first after
        attribution = ctx.attributions[nearest]
        ctx.share(k, attribution, NAME, attribution.cue)


SIEVE = Sieve(NAME, sieve, sure=True)
