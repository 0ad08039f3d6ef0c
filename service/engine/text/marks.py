"""Quotation-mark scanning: find the quoted stretches of an article. No spaCy here.

Handles straight and curly double marks, two apostrophes used as a double mark (``''``),
curly and straight single marks used as primary quotes, guillemets, an outer quote holding an
inner one (only the outer is reported), even when both are typed with the same marks, apostrophes
(Macron's, Ukraine’s, '90s) that are not quotation marks, a quote continued over paragraphs, and
unbalanced marks. One pass, linear time.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .transcripts import transcript_label

OPEN, CLOSE, EITHER = "open", "close", "either"
DOUBLE, SINGLE = "double", "single"

# A paragraph is a run of text between line breaks.
_PARAGRAPH = re.compile(r"[^\r\n]+")
# Every character (or pair) that may be a quotation mark.
_MARK = re.compile(r"''|``|‘‘|’’|[\"“”„«»‘’'‚‹›`]")
# Markup left in some texts (<tweet author="...">): its marks are not quotation marks.
_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9_-]*(?:\s+[A-Za-z_:][-\w:.]*\s*=\s*(?:\"[^\"<>\n]*\"|'[^'<>\n]*'))*\s*/?>")

_FAMILY = {
    '"': DOUBLE, "“": DOUBLE, "”": DOUBLE, "„": DOUBLE, "«": DOUBLE, "»": DOUBLE,
    "''": DOUBLE, "``": DOUBLE, "‘‘": DOUBLE, "’’": DOUBLE,
    "‘": SINGLE, "’": SINGLE, "'": SINGLE, "‚": SINGLE, "‹": SINGLE, "›": SINGLE, "`": SINGLE,
}
_FIXED_DIRECTION = {"“": OPEN, "„": OPEN, "«": OPEN, "``": OPEN, "‘‘": OPEN, "”": CLOSE, "»": CLOSE,
                    "’’": CLOSE, "‘": OPEN, "‚": OPEN, "‹": OPEN, "`": OPEN, "›": CLOSE}
_OPENING_CONTEXT = set("([{—–-/") | {"", " "}
_CLOSING_CONTEXT = set(".,;:!?)]}—–-/…")
# A letter between two single marks, inside a sentence: an elided word (rock 'n' roll, fish ’n’ chips).
_ELISION = re.compile(r"(?<![\w'’‘])['’‘][A-Za-z]['’](?![\w'’])")
# The end of a word or a sentence before a mark: a “ there closes a quote (German „…“, or a slip).
_ENDS_WORDS = set(".,!?…")


@dataclass
class Mark:
    pos: int
    text: str
    family: str
    direction: str

    @property
    def end(self) -> int:
        return self.pos + len(self.text)


@dataclass
class QuoteSpan:
    """One quoted stretch inside one paragraph: ``text[start:end]`` is the quoted words."""

    start: int
    end: int
    open_mark: Mark
    close_mark: Mark | None  # None when the paragraph ends with the quote still open
    paragraph: int
    group: int = -1
    continues: bool = False  # the quote goes on in the next paragraph

    @property
    def closed(self) -> bool:
        return self.close_mark is not None

    @property
    def outer_start(self) -> int:
        return self.open_mark.pos

    @property
    def outer_end(self) -> int:
        return self.close_mark.end if self.close_mark else self.end


@dataclass
class Paragraph:
    index: int
    start: int
    end: int


def paragraphs(text: str) -> list[Paragraph]:
    """The article's paragraphs: non-empty lines, blank ones skipped."""
    out = []
    for m in _PARAGRAPH.finditer(text):
        if m.group().strip():
            out.append(Paragraph(len(out), m.start(), m.end()))
    return out


def _is_word(ch: str) -> bool:
    return ch.isalnum()


def _direction(text: str, pos: int, end: int, mark: str, lo: int, hi: int) -> str | None:
    """OPEN, CLOSE or EITHER for a mark at text[pos:end]; None when it is an apostrophe."""
    before = text[pos - 1] if pos > lo else ""
    after = text[end] if end < hi else ""
    family = _FAMILY[mark]
    if family == SINGLE and mark in ("’", "'", "‘", "`"):
        if _is_word(before) and _is_word(after):
            return None  # Macron's, Ukraine’s, don't
        if mark != "‘" and not _is_word(before) and after.isdigit():
            return None  # '90s
        if mark == "'" and after and after in "sS" and before == "s":
            return None
    if not before and after and family == DOUBLE:
        return OPEN  # a paragraph opening with a quotation mark, whatever its shape
    if mark in _FIXED_DIRECTION:
        fixed = _FIXED_DIRECTION[mark]
        if mark == "‘" and _is_word(before) and not after.isalnum():
            return CLOSE  # a mistyped closing single mark
        if mark == "“" and (_is_word(before) or before in _ENDS_WORDS) \
                and (not after or after.isspace() or after in _CLOSING_CONTEXT):
            return CLOSE  # German „…“, or a mistyped closing mark
        return fixed
    opening = (before.isspace() or before in _OPENING_CONTEXT or before in "“‘\"'«") and after and not after.isspace()
    closing = before and not before.isspace() and (not after or after.isspace() or after in _CLOSING_CONTEXT
                                                   or after in "”’\"'»")
    if opening and not closing:
        return OPEN
    if closing and not opening:
        return CLOSE
    if mark == "’" or (mark == "'" and _is_word(before)):
        return CLOSE if closing else None
    return EITHER


def scan_marks(text: str, lo: int, hi: int) -> list[Mark]:
    """The quotation marks in text[lo:hi], each with the direction its context suggests."""
    skip = [(m.start(), m.end()) for m in _TAG.finditer(text, lo, hi)]
    skip += [(m.start(), m.end()) for m in _ELISION.finditer(text, lo, hi)]
    skip.sort()
    marks, k = [], 0
    for m in _MARK.finditer(text, lo, hi):
        while k < len(skip) and skip[k][1] <= m.start():
            k += 1
        if k < len(skip) and skip[k][0] <= m.start() < skip[k][1]:
            continue
        direction = _direction(text, m.start(), m.end(), m.group(), lo, hi)
        if direction is not None:
            marks.append(Mark(m.start(), m.group(), _FAMILY[m.group()], direction))
    return marks


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


# How many double-quoted stretches a single-quoted quote may hold (‘He said “no” and “never”,’).
_MAX_NESTED_DOUBLES = 4


def _next_indices(marks: list[Mark], wanted) -> list[int]:
    """For each i, the index of the first mark at or after i for which ``wanted(mark)``; len(marks) if none."""
    out = [len(marks)] * (len(marks) + 1)
    for i in range(len(marks) - 1, -1, -1):
        out[i] = i if wanted(marks[i]) else out[i + 1]
    return out


def _next_single_close(marks: list[Mark], i: int, single_close: list[int], double: list[int]) -> int | None:
    """Index of the mark that closes a single quote opened at marks[i].

    Double-quoted stretches inside are nested quotes (British style: ‘… “closed” …’) and are skipped
    whole; an unpaired double mark ends the search. ``single_close`` and ``double`` are the
    ``_next_indices`` tables, so each call takes a bounded number of steps.
    """
    n, at = len(marks), i + 1
    for _ in range(_MAX_NESTED_DOUBLES + 1):
        close, inner = single_close[at], double[at]
        if close < inner:
            return close
        if inner >= n or marks[inner].direction == CLOSE:
            return None
        inner_close = double[inner + 1]
        if inner_close >= n or marks[inner_close].direction == OPEN:
            return None
        at = inner_close + 1
    return None


_STYLE = {'"': "straight", "''": "apostrophes", "``": "apostrophes", "“": "curly", "”": "curly", "„": "curly",
          "‘‘": "curly", "’’": "curly", "«": "guillemets", "»": "guillemets"}


def _double_close(marks: list[Mark], i: int) -> tuple[int | None, int | None]:
    """The index of the mark closing the double quote opened at marks[i].

    Single marks inside are nested quotes or apostrophes; a double quote of another style inside
    (“…” within "…") is nested too. Returns (None, k) when the quote is never closed but a new one
    opens at marks[k], and (None, None) when it runs to the end of the paragraph (quotes of
    another style inside an unclosed one are taken as nested, as in a transcript that quotes).
    """
    style = _STYLE[marks[i].text]
    nested: str | None = None
    for j in range(i + 1, len(marks)):
        other = marks[j]
        if other.family != DOUBLE:
            continue
        other_style = _STYLE[other.text]
        if nested is not None:
            if other_style == nested and other.direction in (CLOSE, EITHER):
                nested = None
            continue
        if other.direction in (CLOSE, EITHER):
            return j, None
        if other_style == style:
            close = _close_after_same_style_inner(marks, j, style)
            if close is not None:
                return close, None
            return None, j  # the earlier quote was never closed: start again here
        nested = other_style
    return None, None


def _next_double(marks: list[Mark], start: int) -> int | None:
    return next((k for k in range(start, len(marks)) if marks[k].family == DOUBLE), None)


def _close_after_same_style_inner(marks: list[Mark], j: int, style: str) -> int | None:
    """The mark closing a quote whose inner quotation, opened at marks[j], is typed with the outer
    quote's own marks (“We told them “no” three times,” she said): the inner quote closes, and the
    next double mark closes too. None when that is not the pattern (an earlier quote left open)."""
    at = j
    for _ in range(_MAX_NESTED_DOUBLES):
        inner_close = _next_double(marks, at + 1)
        if inner_close is None or _STYLE[marks[inner_close].text] != style or marks[inner_close].direction == OPEN:
            return None
        after = _next_double(marks, inner_close + 1)
        if after is None or _STYLE[marks[after].text] != style or marks[after].direction == EITHER:
            return None
        if marks[after].direction == CLOSE:
            return after
        at = after  # another inner quotation: “… “a” and “b” …”
    return None


def _pair(text: str, marks: list[Mark]) -> tuple[list[tuple[Mark, Mark | None]], Mark | None]:
    """Pair marks into (open, close) quotes at the outermost level.

    Returns the closed pairs and, if the paragraph ends inside a quote, its opening mark.
    """
    pairs: list[tuple[Mark, Mark | None]] = []
    i, n = 0, len(marks)
    single_close = _next_indices(marks, lambda m: m.family == SINGLE and m.direction in (CLOSE, EITHER))
    double = _next_indices(marks, lambda m: m.family == DOUBLE)
    while i < n:
        mark = marks[i]
        if mark.direction == CLOSE:
            i += 1  # a stray closing mark
            continue
        if mark.family == SINGLE:
            j = _next_single_close(marks, i, single_close, double)
            if j is None:
                i += 1  # an opening single mark that nothing closes: an apostrophe or a slip
                continue
            pairs.append((mark, marks[j]))
            i = j + 1
            continue
        close, restart = _double_close(marks, i)
        if close is not None:
            pairs.append((mark, marks[close]))
            i = close + 1
        elif restart is not None:
            i = restart
        else:
            return pairs, mark
    return pairs, None


def _opens_with_mark(text: str, marks: list[Mark], para: Paragraph) -> Mark | None:
    first = next((m for m in marks if m.direction != CLOSE), None)
    if first is None:
        return None
    if text[para.start:first.pos].strip():
        return None
    return first


def find_quotes(text: str) -> list[QuoteSpan]:
    """Every quoted stretch of ``text``, in order, grouped into quotations."""
    quotes: list[QuoteSpan] = []
    pending: QuoteSpan | None = None  # a quote left open at the end of the previous paragraph
    paras = paragraphs(text)
    for para in paras:
        marks = scan_marks(text, para.start, para.end)
        if pending is not None:
            opener = _opens_with_mark(text, marks, para)
            if opener is not None and opener.family == pending.open_mark.family \
                    and transcript_label(text, opener.end, para.end) is None:  # a new label: a new speaker
                pending.continues = True
        pending = None
        pairs, open_left = _pair(text, marks)
        for open_mark, close_mark in pairs:
            start, end = _trimmed(text, open_mark.end, close_mark.pos)
            if start < end:
                quotes.append(QuoteSpan(start, end, open_mark, close_mark, para.index))
        if open_left is not None:
            start, end = _trimmed(text, open_left.end, para.end)
            if start < end:
                pending = QuoteSpan(start, end, open_left, None, para.index)
                quotes.append(pending)
    _assign_groups(text, quotes)
    return quotes


# a sentence end, not the dot of an abbreviation such as "Mr." or "U.S."
_SENTENCE_END = re.compile(r"(?<![A-Z][a-z])(?<![A-Z])[.!?](?:\s|$)")
_CONTINUING = (",", "—", "–", "…", "...")


def _interrupted(text: str, first: QuoteSpan, second: QuoteSpan) -> bool:
    """Is ``second`` the rest of ``first``, split by an attribution (“We are ready,” he said, “to act.”)?"""
    if first.paragraph != second.paragraph or not first.closed:
        return False
    gap = text[first.outer_end:second.outer_start].strip()
    if not gap or len(gap) > 80 or not gap.endswith(_CONTINUING) or _SENTENCE_END.search(gap):
        return False
    return text[first.start:first.end].endswith(_CONTINUING)


def _assign_groups(text: str, quotes: list[QuoteSpan]) -> None:
    group = -1
    for k, quote in enumerate(quotes):
        previous = quotes[k - 1] if k else None
        if previous is not None and (previous.continues or _interrupted(text, previous, quote)):
            quote.group = group
        else:
            group += 1
            quote.group = group
