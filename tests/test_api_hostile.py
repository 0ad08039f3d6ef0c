"""Hostile input through the HTTP API: what a newsroom CMS may send, within the default limits.

Every text goes to ``POST /v1/quotes`` as JSON and, unless it is longer than ``BOTH_WAYS_CHARS``
(the engine's own hostile tests cover long texts; one request each keeps this quick), as
``text/plain`` too. Each must be answered 2xx or with the precise 4xx its fault deserves, never
5xx, within a generous time that grows with the text's length (a quadratic blow-up on these sizes
would take hours). The client checks every answer against openapi.yaml and the offsets of every
record against the article sent (helpers.ContractClient, which calls helpers.assert_offsets); the
tests check them again here.
"""
from __future__ import annotations

import hashlib
import html
import json
import time
from pathlib import Path

import pytest

from helpers import ROOT, assert_html_offsets, assert_offsets, assert_problem, assert_references
from service.engine.cost import OverLimits, check_limits
from service.engine.text.html import html_to_text
from service.settings import Settings

SEEDS = sorted((ROOT / "seeds" / "articles").glob("*.txt"))
TEXT_PLAIN = "text/plain; charset=utf-8"
ARTICLE = "“We are ready,” an Elysee official said."

# Generous: about 10 times what the engine needs on a busy two-core machine.
SECONDS_MIN = 15
SECONDS_PER_100K_CHARS = 60
BOTH_WAYS_CHARS = 100_000


def budget(characters: int) -> float:
    return SECONDS_MIN + SECONDS_PER_100K_CHARS * characters / 100_000


def seed_text(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def repeated(text: str, characters: int) -> str:
    return (text * (characters // len(text) + 1))[:characters]


def prose(characters: int) -> str:
    """The seed articles, as paragraphs, repeated to ``characters``."""
    return repeated("\n\n".join(seed_text(path) for path in SEEDS) + "\n\n", characters)


def one_word(characters: int) -> str:
    """A single word of ``characters`` letters and digits: no space, no punctuation."""
    digest = "".join(hashlib.sha256(str(n).encode()).hexdigest() for n in range(characters // 64 + 1))
    return digest[:characters]


CONTROL = "".join(chr(code) for code in [*range(0, 9), 0x0e, 0x0f, *range(0x10, 0x1c), 0x7f,
                                         *range(0x80, 0x85), *range(0x86, 0xa0)])

# Texts that are valid Unicode: each must be answered 200, with the same quotes either way it is sent.
TEXTS = {
    "200,000 straight quotation marks": '"' * 200_000,
    "200,000 opening curly quotation marks": "“" * 200_000,
    "100,000 curly pairs": "“”" * 100_000,
    "200,000 quotation marks with spaces": '" ' * 100_000,
    "one unclosed quote at the start of 500 KB": "“" + prose(500_000),
    "a quote closed only at the end of 300 KB": "“" + prose(300_000) + "” he said.",
    "no spaces at all": repeated("".join("".join(seed_text(path).split()) for path in SEEDS), 500_000),
    "a single word of 1,000,000 characters (the character limit)": one_word(1_000_000),
    "NUL and control characters": "\x00" + f"“We are{CONTROL} ready,\x00” an official\x00 said.\x07\n\n" * 200,
    "only NUL characters": "\x00" * 10_000,
    "CRLF line endings": "\r\n\r\n".join(seed_text(path).replace("\n", "\r\n") for path in SEEDS),
    "CR line endings": "\r\r".join(seed_text(path).replace("\n", "\r") for path in SEEDS),
    "NEL, line and paragraph separators": "“We are ready,”\u2028an official said.\u2029“Still,”\x85he added.",
    "right-to-left text and marks": ("«نحن مستعدون» قال المسؤول. “שלום,” he said. \u202e“reversed,” she "
                                     "said.\u202c \u200f“marked,”\u200e the minister said.\n\n") * 200,
    "combining characters": "“Cafe\u0301 n\u0303o\u0308 n\u0327ai\u0308ve,” Jose\u0301 said. " * 200
                            + "Z" + "\u0336\u0301\u0300" * 3_000 + " “Zalgo,” he said.",
    "combining marks alone and on quotation marks": "\u0301" * 1_000 + "“\u0301We are ready,\u0308”\u0327 he said.",
    "emoji": "🇫🇷 👩‍👩‍👧‍👦 “We 👍🏽 are ready 🚀,” the 🤖 said. ☕️\n\n" * 500,
    "astral characters before every quote": "𝔗𝔥𝔢 “𝕨𝕖 are ready,” 🐍 said. " * 1_000,
    "HTML fragments": ("<p class=\"lead\">“We are ready,” <b>an Elysee official</b> said.</p>"
                       "<script>alert('“x”')</script><!-- “hidden,” he said --><div><a href=\"/x\">"
                       "&ldquo;Entities,&rdquo; she said &amp; left.</a><br/><img src=x onerror=alert(1)>"
                       "\n\n") * 200,
    "an unclosed HTML tag": "<div title=\"" + prose(20_000),
    "mojibake of curly quotes": "â€œWe are ready,â€\x9d an Elysee official said. Itâ€™s done.\n\n" * 200,
    "byte order marks at the start and inside": "\ufeff" + ARTICLE + "\ufeff" + ARTICLE,
    "zero-width characters between marks": "“\u200b\u200d”\u2060“\ufe0fWe are ready,\u200c” he said.",
    "noncharacters and private use": "\uffff\ufffe\U0010ffff\ue000 “We are ready,\U000fffff” he said.",
    "a 1 MB body in few characters (3 bytes each)": "“" + "—" * 340_000 + "” he said.",
}


def within_limits(text: str) -> bool:
    settings = Settings()
    try:
        check_limits([text], settings.max_tokens, settings.max_quote_marks)
    except OverLimits:
        return False
    return True


def post(client, body: bytes, content_type: str):
    started = time.monotonic()
    response = client.post("/v1/quotes", data=body, headers={"Content-Type": content_type})
    return response, time.monotonic() - started


def as_json(text: str) -> bytes:
    return json.dumps({"text": text}, ensure_ascii=False).encode("utf-8", "surrogatepass")


@pytest.mark.parametrize("name", list(TEXTS))
def test_hostile_text_is_answered_in_time_with_offsets_that_hold(client, name):
    text = TEXTS[name]
    bodies = {"application/json": as_json(text)}
    if len(text) <= BOTH_WAYS_CHARS:
        bodies[TEXT_PLAIN] = text.encode("utf-8")
    assert all(len(body) <= 1024 * 1024 for body in bodies.values()), "the case must fit the body limit"
    if not within_limits(text):  # more than can be parsed within the deadline
        for content_type, body in bodies.items():
            response, seconds = post(client, body, content_type)
            assert "limit is" in assert_problem(response, 413)["detail"]
            assert seconds < budget(len(text)) / 10
        return
    answers = {}
    for content_type, body in bodies.items():
        response, seconds = post(client, body, content_type)
        assert response.status_code == 200, (content_type, response.get_data(as_text=True)[:500])
        assert seconds < budget(len(text)), f"{content_type}: {seconds:.1f}s for {len(text)} characters"
        answer = response.get_json()
        assert answer["meta"]["characters"] == len(text)
        assert_offsets(text, answer)
        assert_references(answer)
        answers[content_type] = answer
    if len(answers) == 2:
        json_answer, text_answer = answers.values()
        assert json_answer["quotes"] == text_answer["quotes"]
        assert json_answer["speakers"] == text_answer["speakers"]


# Bodies that are not what they claim: each gets its own precise client error.
BROKEN = "“We are ready,” an Elysee official said. ".encode("utf-8") * 1_000
INVALID_UTF8 = {
    "a stray continuation byte": b"\x80",
    "a byte that is never UTF-8": b"\xff",
    "a Latin-1 é": "é".encode("latin-1"),
    "an overlong slash": b"\xc0\xaf",
    "a truncated sequence": "—".encode("utf-8")[:2],
    "an encoded surrogate": b"\xed\xa0\x80",
    "a code point above U+10FFFF": b"\xf4\x90\x80\x80",
}


@pytest.mark.parametrize("where", ["start", "middle", "end"])
@pytest.mark.parametrize("name", list(INVALID_UTF8))
@pytest.mark.parametrize("content_type", ["application/json", TEXT_PLAIN])
def test_invalid_utf8_anywhere_is_400(client, name, where, content_type):
    before, after = {"start": (b"", BROKEN), "middle": (BROKEN, BROKEN), "end": (BROKEN, b"")}[where]
    if content_type == "application/json":
        before, after = b'{"text": "' + before, after + b'"}'
    problem = assert_problem(post(client, before + INVALID_UTF8[name] + after, content_type)[0], 400)
    assert f"not valid UTF-8: byte {len(before)} " in problem["detail"]


@pytest.mark.parametrize(("body", "status", "words"), [
    # JSON escapes that decode to something no article may hold: an unpaired surrogate.
    (b'{"text": "\\ud800 said"}', 422, "surrogate"),
    (b'{"text": "\\udc00 said"}', 422, "surrogate"),
    (b'{"text": "\\u201c\\ud83d\\u201d he said"}', 422, "surrogate"),
    (b'{"text": "a", "id": "\\ud800"}', 422, "surrogate"),
    # RFC 8259 forbids raw control characters inside strings; escaped they are text like any other.
    (b'{"text": "line\nbreak"}', 400, "not valid JSON"),
    (b'{"text": "nul\x00inside"}', 400, "not valid JSON"),
    (b'{"text": NaN}', 422, "Not a valid string"),
    (b'{"text": "a"' + b" " * 500_000, 400, "not valid JSON"),  # cut off after 500 KB of spaces
    (b"\xef\xbb\xbf\xef\xbb\xbf{\"text\": \"a\"}", 400, "not valid JSON"),  # one BOM is allowed, not two
])
def test_json_that_cannot_be_an_article_gets_a_precise_4xx(client, body, status, words):
    problem = assert_problem(post(client, body, "application/json")[0], status)
    assert words in problem["detail"]


@pytest.mark.parametrize(("escaped", "article"), [
    ('"\\u201cWe are\\u0000 ready,\\u201d he said."', "“We are\x00 ready,” he said."),
    ('"\\ud83d\\udc4d \\u201cYes,\\u201d he said."', "👍 “Yes,” he said."),  # a surrogate pair is one character
    ('"\\r\\n\\u201cYes,\\u201d\\r he said.\\u0085"', "\r\n“Yes,”\r he said.\x85"),
])
def test_json_escapes_give_the_article_they_spell(client, escaped, article):
    response, _seconds = post(client, b'{"text": ' + escaped.encode("ascii") + b"}", "application/json")
    assert response.status_code == 200
    answer = response.get_json()
    assert answer["meta"]["characters"] == len(article)
    assert_offsets(article, answer)


def test_a_byte_order_mark_stays_in_a_plain_text_article_and_offsets_count_it(client):
    response, _seconds = post(client, b"\xef\xbb\xbf" + ARTICLE.encode("utf-8"), TEXT_PLAIN)
    answer = response.get_json()
    assert answer["meta"]["characters"] == len(ARTICLE) + 1
    assert answer["quotes"][0]["start"] == 2
    assert_offsets("\ufeff" + ARTICLE, answer)


@pytest.mark.parametrize("text", ["\x1c\x1d\x1e\x1f", "\u2028\u2029\x85", "\u3000\u00a0\u202f \r\n\t"])
@pytest.mark.parametrize("content_type", ["application/json", TEXT_PLAIN])
def test_text_of_unusual_whitespace_only_is_422(client, text, content_type):
    body = as_json(text) if content_type == "application/json" else text.encode("utf-8")
    problem = assert_problem(post(client, body, content_type)[0], 422)
    assert problem["errors"] == {"text": ["The text is empty or only whitespace."]}


# --- articles sent as HTML -----------------------------------------------------------------------

TEXT_HTML = "text/html; charset=utf-8"


def cms_prose(characters: int) -> str:
    """The seed articles as a CMS stores them (paragraphs with attributes, entities, links), repeated."""
    paragraphs = "\n\n".join(seed_text(path) for path in SEEDS).split("\n")
    body = "".join(f'<p class="story-body-text" data-n="{n}"><a href="/x">{html.escape(p)}</a></p>\n'
                   .replace("“", "&ldquo;").replace("”", "&rdquo;") for n, p in enumerate(paragraphs))
    return repeated(body, characters)


# Markup that costs a naive reader time quadratic in its length, or that no browser would close.
HTML_DOCUMENTS = {
    "500 KB of articles as a CMS stores them": cms_prose(500_000),
    "500,000 tag openings without an end": "<a" * 500_000,
    "unclosed comments, each followed by a >": "<!--x>" * 160_000,
    "unclosed attribute values": "<a b='" * 160_000 + ">",
    "200,000 stray end tags after 100,000 unclosed ones": "<b>" * 100_000 + "</i>" * 170_000,
    "100,000 nested divs never closed, then prose": "<div>" * 100_000 + cms_prose(400_000),
    "an unclosed figure swallowing the article": "<figure>" + cms_prose(500_000),
    "an unclosed comment swallowing the article": "<!--" + cms_prose(500_000),
    "character references without end": "&#" * 300_000 + "&amp" * 100_000,
    "200,000 stray <": "< " * 100_000,
    "marked sections and processing instructions": ("<![CDATA[x" + "<?pi" + "<!x") * 55_000 + ">",
    "entities only": "&ldquo;&#8217;&rdquo;&nbsp;" * 10_000,
}


@pytest.mark.parametrize("name", list(HTML_DOCUMENTS))
def test_hostile_html_is_answered_in_time_with_offsets_that_hold(client, name):
    source = HTML_DOCUMENTS[name]
    assert len(source.encode("utf-8")) <= 1024 * 1024, "the case must fit the body limit"
    response, seconds = post(client, source.encode("utf-8"), TEXT_HTML)
    if not within_limits(html_to_text(source).text):
        assert "limit is" in assert_problem(response, 413)["detail"]
        return
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    assert seconds < budget(len(source)), f"{seconds:.1f}s for {len(source)} characters"
    assert_html_offsets(source, response.get_json())


@pytest.mark.parametrize("name", list(TEXTS))
def test_hostile_text_sent_as_html_is_answered_in_time(client, name):
    text = TEXTS[name]
    body = json.dumps({"html": text}, ensure_ascii=False).encode("utf-8", "surrogatepass")
    response, seconds = post(client, body, "application/json")
    if not text.strip():
        assert_problem(response, 422)
        return
    if not within_limits(html_to_text(text).text):
        assert "limit is" in assert_problem(response, 413)["detail"]
        return
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    assert seconds < budget(len(text)), f"{seconds:.1f}s for {len(text)} characters"
    assert_html_offsets(text, response.get_json())
