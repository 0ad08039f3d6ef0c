"""Markup left in a plain-text article (a CMS body pasted with its tags): where it is, so that the
parser does not read it, and so that no speaker's name or mention holds markup or quotation marks.
No spaCy here. (An article sent as HTML is read by ``html.py`` instead.)
"""
from __future__ import annotations

import re
from bisect import bisect_right

# A start or end tag, its attributes quoted or not, or a comment. The alternatives inside a tag each
# start with a different character and none crosses a "<", so the scan stays linear.
TAG = re.compile(r"</?[A-Za-z][\w:.-]*(?:[^<>\"']|\"[^\"<\n]*\"|'[^'<\n]*')*>|<!--[^<>]*-->")
# What a name never holds: markup brackets, double quotation marks, and single marks that are not
# apostrophes inside a word (O'Brien, Macron’s).
NOT_IN_A_NAME = re.compile(r"[<>\"“”„«»]|(?<!\w)['‘’`]|['‘’`](?!\w)")


def blank_markup(text: str) -> str:
    """``text`` with every tag and comment replaced by as many spaces: what the parser should read."""
    if "<" not in text:
        return text
    return TAG.sub(lambda tag: " " * len(tag.group()), text)


def markup_spans(text: str) -> list[tuple[int, int]]:
    """Where the tags and comments of ``text`` are, in order."""
    return [match.span() for match in TAG.finditer(text)] if "<" in text else []


def clean_span(text: str, start: int, end: int, markup: list[tuple[int, int]]) -> tuple[int, int] | None:
    """The part of ``text[start:end]`` that a name or a mention can be: itself when it holds neither
    markup nor a quotation mark, else its last stretch of words free of both (the head of a noun
    phrase comes last), trimmed; None when no word is left."""
    if NOT_IN_A_NAME.search(text, start, end) is None:
        return start, end
    for piece_start, piece_end in reversed(list(_pieces(text, start, end, markup))):
        while piece_start < piece_end and text[piece_start].isspace():
            piece_start += 1
        while piece_end > piece_start and text[piece_end - 1].isspace():
            piece_end -= 1
        if any(ch.isalnum() for ch in text[piece_start:piece_end]):
            return piece_start, piece_end
    return None


def _pieces(text: str, start: int, end: int, markup: list[tuple[int, int]]):
    """The stretches of ``text[start:end]`` outside tags, cut at every character a name never holds."""
    at = start
    for tag_start, tag_end in markup[max(0, bisect_right(markup, (start,)) - 1):]:
        if tag_start >= end:
            break
        if tag_end <= at:
            continue
        if tag_start > at:
            yield from _cut(text, at, min(tag_start, end))
        at = max(at, tag_end)
    if at < end:
        yield from _cut(text, at, end)


def _cut(text: str, start: int, end: int):
    at = start
    for mark in NOT_IN_A_NAME.finditer(text, start, end):
        yield at, mark.start()
        at = mark.end()
    yield at, end


def clean_name(name: str) -> str:
    """A speaker's name without markup or quotation marks (the last clean stretch of it)."""
    span = clean_span(name, 0, len(name), markup_spans(name))
    return " ".join(name[span[0]:span[1]].split()) if span is not None else ""
