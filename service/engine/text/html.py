"""An article body as a CMS stores it (HTML) → the article's text, with a map back into the HTML.

Python's own ``html.parser`` reads the markup: it tolerates what browsers tolerate (unclosed
tags, a stray ``<``, bad entities) without raising, and ``getpos()`` says where each piece of
the document starts, so every character of the text knows the stretch of HTML it came from.
Block elements and ``<br>`` become paragraph and line breaks, runs of whitespace collapse to one
space as a browser shows them, entities are decoded the way ``html.unescape`` decodes them (a
decoded character maps back to its whole entity), inline elements are transparent, and what is
not the article's prose is left out: scripts and styles, navigation, figures and their captions,
asides and pull quotes, embedded media and embedded posts, forms, and hidden elements.
No spaCy here.
"""
from __future__ import annotations

import dataclasses
import re
import time
from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from html import unescape
from html.parser import HTMLParser

from ..result import Result, Span

# Elements whose start and end are paragraph breaks.
BLOCKS = frozenset("""
    address article blockquote body caption center dd details dialog dir div dl dt fieldset footer form
    h1 h2 h3 h4 h5 h6 header hgroup hr li main menu ol p pre section summary table tbody td tfoot th thead
    tr ul
""".split())
# Elements left out with everything inside them: not the article's prose.
DROPPED = frozenset("""
    applet aside audio button canvas datalist embed figcaption figure frame frameset head iframe img input
    map math nav noembed noframes noscript object option picture rp rt script select source style svg
    template textarea title track video
""".split())
# Classes that mark an embedded post, a caption or a pull quote outside a <figure>.
DROPPED_CLASSES = frozenset("""
    twitter-tweet twitter-video twitter-timeline instagram-media tiktok-embed bluesky-embed reddit-embed-bq
    reddit-card text-post-media mastodon-embed fb-post fb-video imgur-embed-pub embedded-post social-embed
    wp-caption wp-caption-text caption image-caption photo-caption media-caption pullquote pull-quote
""".split())
DROPPED_CLASS_PREFIXES = ("wp-block-embed", "wp-block-pullquote")
# Elements that never have content or an end tag.
VOID = frozenset("area base br col embed hr img input link meta param source track wbr".split())

_HTML_SPACE = re.compile(r"[ \t\n\r\f]+")
# A character reference as html.unescape finds them (named with or without ";", decimal, hex).
_CHARREF = re.compile(r"&(#[0-9]+;?|#[xX][0-9a-fA-F]+;?|[^\t\n\f <&#;]{1,32};?)")
_SPACES = frozenset(" \t\n\r\f")


class HtmlText:
    """The text of an HTML document and, for any stretch of it, the stretch of HTML it came from.

    The map is a list of segments in text order: a *literal* segment is text copied one character
    for one from the HTML; any other (an entity, a collapsed run of whitespace, a break) maps each
    of its characters to the segment's whole HTML span.
    """

    def __init__(self, html: str, text: str, segments: list[tuple[int, int, int, bool]]):
        self.html, self.text = html, text
        self._text_starts = [segment[0] for segment in segments]
        self._segments = segments

    def _segment(self, offset: int) -> tuple[int, int, int, bool]:
        return self._segments[max(0, bisect_right(self._text_starts, offset) - 1)]

    def html_start(self, offset: int) -> int:
        """Where, in the HTML, the character at text ``offset`` starts."""
        if not self._segments:
            return 0
        text_start, html_start, html_end, literal = self._segment(offset)
        return min(html_start + offset - text_start, html_end) if literal else html_start

    def html_end(self, offset: int) -> int:
        """Where, in the HTML, the character before text ``offset`` ends."""
        if not self._segments or offset <= 0:
            return self.html_start(offset)
        text_start, html_start, html_end, literal = self._segment(offset - 1)
        return min(html_start + offset - text_start, html_end) if literal else html_end

    def html_span(self, start: int, end: int) -> tuple[int, int]:
        """The HTML that ``text[start:end]`` came from: tags removed, entities decoded and whitespace
        collapsed, ``html[html_start:html_end]`` reads ``text[start:end]``."""
        if end <= start:
            at = self.html_start(start)
            return at, at
        return self.html_start(start), self.html_end(end)


class _TextBuilder:
    """Text written piece by piece, each piece with the HTML it stands for; whitespace collapsed and
    breaks held back until the next word, so that none leads, trails or doubles."""

    def __init__(self) -> None:
        self.pieces: list[str] = []
        self.segments: list[list] = []  # [text_start, html_start, html_end, literal]
        self.length = 0
        self.pending_break = 0  # newlines owed before the next word
        self.pending_space: tuple[int, int] | None = None  # the HTML of a run of whitespace owed

    def block_break(self) -> None:
        if self.length:
            self.pending_break = 2

    def line_break(self) -> None:
        if self.length:
            self.pending_break = min(2, self.pending_break + 1)

    def space(self, html_start: int, html_end: int) -> None:
        if self.pending_space is None:
            self.pending_space = (html_start, html_end)
        else:
            self.pending_space = (self.pending_space[0], html_end)

    def word(self, text: str, html_start: int, html_end: int, literal: bool) -> None:
        if self.length and self.pending_break:
            self._append("\n" * self.pending_break, html_start, html_start, False)
        elif self.length and self.pending_space is not None:
            space_start, space_end = self.pending_space
            self._append(" ", space_start, space_end, space_end - space_start == 1)
        self.pending_break, self.pending_space = 0, None
        self._append(text, html_start, html_end, literal)

    def _append(self, text: str, html_start: int, html_end: int, literal: bool) -> None:
        last = self.segments[-1] if self.segments else None
        if literal and last is not None and last[3] and last[2] == html_start:
            last[2] = html_end  # one more stretch copied as it is: the same segment goes on
        else:
            self.segments.append([self.length, html_start, html_end, literal])
        self.pieces.append(text)
        self.length += len(text)


class _Reader(HTMLParser):
    """Reads the document once, handing its prose to a ``_TextBuilder``."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.html = html
        self.out = _TextBuilder()
        self._line_starts = [0] + [m.end() for m in re.finditer("\n", html)]
        self._open: list[tuple[str, bool]] = []  # open elements: (tag, whether it is left out)
        self._open_count: dict[str, int] = {}
        self._dropping = 0  # open elements that are left out
        self._data_start: int | None = None
        self._comment_closes = [(m.start(), m.end()) for m in re.finditer("--!?>", html)]
        self._comment_left_open = False

    def read(self) -> HtmlText:
        # A "<" after the last ">" can start nothing but text; the parser, which would look for the
        # end of each such construct to the end of the document, is not given them.
        markup_end = self.html.rfind(">") + 1
        self.feed(self.html[:markup_end])
        self.close()
        self._flush(markup_end)
        if not (self._dropping or self._comment_left_open):
            self._data_start = markup_end  # up to a comment that opens there and runs to the end
            comment = self.html.find("<!--", markup_end)
            self._flush(comment if comment != -1 else len(self.html))
        out = self.out
        return HtmlText(self.html, "".join(out.pieces), [tuple(segment) for segment in out.segments])

    def _position(self) -> int:
        line, column = self.getpos()
        return self._line_starts[line - 1] + column

    # --- the document's pieces, in order ----------------------------------------------------------

    def handle_data(self, data: str) -> None:
        if self._data_start is None and not self._dropping:
            self._data_start = self._position()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._flush(self._position())
        if tag in VOID:
            if not self._dropping and tag == "br":
                self.out.line_break()
            elif not self._dropping and tag == "hr":
                self.out.block_break()
            return
        left_out = tag in DROPPED or _left_out(attrs)
        self._open.append((tag, left_out))
        self._open_count[tag] = self._open_count.get(tag, 0) + 1
        self._dropping += left_out
        if not self._dropping and tag in BLOCKS:
            self.out.block_break()

    def handle_endtag(self, tag: str) -> None:
        self._flush(self._position())
        if self._open_count.get(tag):  # close it, and whatever was left open inside it
            while True:
                closed, left_out = self._open.pop()
                self._open_count[closed] -= 1
                self._dropping -= left_out
                if closed == tag:
                    break
        if not self._dropping and tag in BLOCKS:
            self.out.block_break()

    def handle_comment(self, data: str) -> None:
        self._flush(self._position())

    handle_decl = handle_pi = unknown_decl = handle_comment

    # Two constructs the base class looks for the end of by searching the rest of the document,
    # each time it meets one: many unclosed ones would cost time quadratic in the length. Their ends
    # are found once, here, and the constructs read as browsers read them.

    def parse_comment(self, i: int, report: int = 1) -> int:
        """``<!--`` up to the next ``-->`` (or ``--!>``); ``<!-->`` and ``<!--->`` are empty comments;
        a comment never closed runs to the end of the document."""
        self.handle_comment("")
        for abrupt in (">", "->"):
            if self.rawdata.startswith(abrupt, i + 4):
                return i + 4 + len(abrupt)
        at = bisect_left(self._comment_closes, (self._position() + 4,))
        if at == len(self._comment_closes):
            self._comment_left_open = True
            return len(self.rawdata)
        return i + self._comment_closes[at][1] - self._position()

    def parse_marked_section(self, i: int, report: int = 1) -> int:
        """``<![CDATA[`` and other ``<![`` in HTML content: a bogus comment up to the next ``>``."""
        return self.parse_bogus_comment(i, report)

    # --- text -------------------------------------------------------------------------------------

    def _flush(self, end: int) -> None:
        """Write the text that ran from the last data seen up to ``end``, where the next piece starts."""
        start, self._data_start = self._data_start, None
        if start is None or start >= end:
            return
        at = start
        for ref in _CHARREF.finditer(self.html, start, end):
            self._literal(at, ref.start())
            self._reference(ref.start(), ref.end())
            at = ref.end()
        self._literal(at, end)

    def _literal(self, start: int, end: int) -> None:
        at = start
        for run in _HTML_SPACE.finditer(self.html, start, end):
            if run.start() > at:
                self.out.word(self.html[at:run.start()], at, run.start(), True)
            self.out.space(run.start(), run.end())
            at = run.end()
        if end > at:
            self.out.word(self.html[at:end], at, end, True)

    def _reference(self, start: int, end: int) -> None:
        raw = self.html[start:end]
        decoded = unescape(raw)
        if decoded == raw:  # not a reference after all: text like any other
            self._literal(start, end)
            return
        rest = _undecoded_rest(raw, decoded)  # "&nbspB" is "&nbsp" and "B"
        if rest:
            self._reference(start, end - rest)
            self._literal(end - rest, end)
        elif all(ch in _SPACES for ch in decoded):
            self.out.space(start, end)
        else:
            self.out.word(decoded, start, end, False)


def _undecoded_rest(raw: str, decoded: str) -> int:
    """How many characters at the end of a reference without ";" are not part of it: html.unescape
    decodes the longest name it knows ("&ampfoo" reads "&foo")."""
    if raw.endswith(";") or raw.startswith("&#"):
        return 0
    for rest in range(len(raw) - 2, 0, -1):
        if decoded.endswith(raw[-rest:]) and unescape(raw[:-rest]) + raw[-rest:] == decoded \
                and unescape(raw[:-rest]) != raw[:-rest]:
            return rest
    return 0


def _left_out(attrs: list[tuple[str, str | None]]) -> bool:
    """Whether an element's attributes mark it as hidden, an embedded post, a caption or a pull quote."""
    for name, value in attrs:
        if name == "hidden" or (name == "aria-hidden" and (value or "").strip().lower() == "true"):
            return True
        if name == "style" and "display:none" in (value or "").replace(" ", "").lower():
            return True
        if name == "class" and value and _dropped_class(value.split()):
            return True
    return False


def _dropped_class(classes: Iterable[str]) -> bool:
    return any(name.lower() in DROPPED_CLASSES or name.lower().startswith(DROPPED_CLASS_PREFIXES)
               for name in classes)


def html_to_text(html: str) -> HtmlText:
    """The article's text, read from ``html``, with the map back into it."""
    return _Reader(html).read()


def with_html_offsets(result: Result, article: HtmlText, started: float) -> Result:
    """``result`` (extracted from ``article.text``) with the HTML span of every quote, mention and cue,
    and the text it was extracted from; ``elapsed_ms`` counted from ``started`` (``time.perf_counter``)."""
    def mapped(span: Span | None) -> Span | None:
        if span is None:
            return None
        html_start, html_end = article.html_span(span.start, span.end)
        return dataclasses.replace(span, html_start=html_start, html_end=html_end)

    for quote in result.quotes:
        quote.html_start, quote.html_end = article.html_span(quote.start, quote.end)
        quote.cue = mapped(quote.cue)
        if quote.speaker is not None:
            quote.speaker.mention = mapped(quote.speaker.mention)
    for speaker in result.speakers:
        speaker.mentions = [mapped(mention) for mention in speaker.mentions]
    result.text = article.text
    result.elapsed_ms = round((time.perf_counter() - started) * 1000, 3)
    return result
