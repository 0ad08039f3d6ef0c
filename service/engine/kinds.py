"""Is a quote a quoted sentence or clause (``direct``) or a fragment in the writer's sentence (``partial``)?"""
from __future__ import annotations

from .context import Context

_LEAD_IN_END = (":", ",", "—", "–", "-")
SCARE_QUOTE_MAX_WORDS = 3


def _char_before(text: str, pos: int, start: int) -> str:
    """The last character before ``pos`` that is not white space, not looking before ``start``."""
    while pos > start and text[pos - 1].isspace():
        pos -= 1
    return text[pos - 1] if pos > start else ""


def _first_of_group(ctx: Context, k: int) -> int:
    """The first part of the quotation quote k belongs to (parts are consecutive), found once per article."""
    firsts = ctx.memo.get("first_of_group")
    if firsts is None:
        firsts = ctx.memo["first_of_group"] = []
        for j, quote in enumerate(ctx.quotes):
            same = j > 0 and ctx.quotes[j - 1].group == quote.group
            firsts.append(firsts[j - 1] if same else j)
    return firsts[k]


def quote_type(ctx: Context, k: int) -> str:
    k = _first_of_group(ctx, k)  # the rest of an interrupted or continued quotation is typed as its start
    key = ("quote_type", k)
    if key not in ctx.memo:
        ctx.memo[key] = _type_of(ctx, k)
    return ctx.memo[key]


def _type_of(ctx: Context, k: int) -> str:
    quote, para = ctx.quotes[k], ctx.paragraph_of(k)
    words = ctx.text[quote.start:quote.end]
    first = words.lstrip("…. ")[:1]
    before = _char_before(ctx.text, quote.outer_start, para.start)
    opens_sentence = not before or before in _LEAD_IN_END or before in ".!?"
    if opens_sentence and (first.isupper() or first.isdigit() or words.startswith(("…", "..."))):
        return "direct"
    if first.isupper() and len(words.split()) > SCARE_QUOTE_MAX_WORDS and words.rstrip()[-1:] in ".!?,":
        return "direct"
    return "partial"


def is_scare_quote(ctx: Context, k: int) -> bool:
    """A short fragment such as a ‘backstop’ or "coalition of the willing": a term, not speech."""
    quote = ctx.quotes[k]
    return quote_type(ctx, k) == "partial" and len(ctx.text[quote.start:quote.end].split()) <= SCARE_QUOTE_MAX_WORDS
