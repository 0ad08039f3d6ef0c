"""Is a quote a quoted sentence or clause (``direct``) or a fragment in the writer's sentence (``partial``)?"""
from __future__ import annotations

from .context import Context

_LEAD_IN_END = (":", ",", "—", "–", "-")
SCARE_QUOTE_MAX_WORDS = 3


def quote_type(ctx: Context, k: int) -> str:
    quote, para = ctx.quotes[k], ctx.paragraph_of(k)
    if k > 0 and ctx.quotes[k - 1].group == quote.group:
        return quote_type(ctx, k - 1)  # the rest of an interrupted or continued quotation
    words = ctx.text[quote.start:quote.end]
    first = words.lstrip("…. ")[:1]
    before = ctx.text[para.start:quote.outer_start].rstrip()
    opens_sentence = not before or before.endswith(_LEAD_IN_END) or before.endswith((".", "!", "?"))
    if opens_sentence and (first.isupper() or first.isdigit() or words.startswith(("…", "..."))):
        return "direct"
    if first.isupper() and len(words.split()) > SCARE_QUOTE_MAX_WORDS and words.rstrip()[-1:] in ".!?,":
        return "direct"
    return "partial"


def is_scare_quote(ctx: Context, k: int) -> bool:
    """A short fragment such as a ‘backstop’ or "coalition of the willing": a term, not speech."""
    quote = ctx.quotes[k]
    return quote_type(ctx, k) == "partial" and len(ctx.text[quote.start:quote.end].split()) <= SCARE_QUOTE_MAX_WORDS
