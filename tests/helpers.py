"""What the test modules share: the checks of extraction results (offsets and references, on the engine's
dataclasses and on JSON bodies), the OpenAPI contract, apps and clients over the session's engine, the
command line run in-process, and articles as a CMS stores them in HTML. No test module imports another."""
from __future__ import annotations

import functools
import html
import io
import json
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml
from flask.testing import FlaskClient
from openapi_core import Config, OpenAPI
from openapi_core.contrib.werkzeug import WerkzeugOpenAPIRequest, WerkzeugOpenAPIResponse
from openapi_core.templating.paths.exceptions import OperationNotFound, PathNotFound
from openapi_schema_validator import OAS31Validator

from service import cli, create_app
from service.contract.schemas import dump_response
from service.engine.article import Article
from service.engine.result import Quote, Result, Span
from service.engine.text.markup import NOT_IN_A_NAME
from service.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
REPO = ROOT  # the repository's root, by the name the command-line tests use
OPENAPI_PATH = ROOT / "openapi.yaml"
PROBLEM_MEDIA_TYPE = "application/problem+json"


def _assert_span(article: str, span: dict[str, Any], where: str) -> None:
    start, end = span["start"], span["end"]
    assert 0 <= start <= end <= len(article), f"{where}: offsets {start}..{end} outside the article"
    assert article[start:end] == span["text"], (
        f"{where}: article[{start}:{end}] is {article[start:end]!r}, the record says {span['text']!r}")


def records(body: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    """Every record of an answer that points into the article, with a name for messages: each quote,
    its speaker mention and cue, and every speaker mention."""
    for quote in body["quotes"]:
        where = f"quote {quote['id']}"
        yield where, quote
        if quote["speaker"] is not None:
            yield f"{where} speaker mention", quote["speaker"]["mention"]
        if quote["cue"] is not None:
            yield f"{where} cue", quote["cue"]
    for speaker in body["speakers"]:
        for number, mention in enumerate(speaker["mentions"]):
            yield f"speaker {speaker['id']} mention {number}", mention


def assert_offsets(article: str, body: dict[str, Any]) -> None:
    """Every quote, its speaker mention and cue, and every speaker mention point at their own text."""
    for where, span in records(body):
        _assert_span(article, span, where)


def assert_references(body: dict[str, Any]) -> None:
    """Quotes and speakers point at each other by ids that exist, both ways."""
    quotes = {quote["id"]: quote for quote in body["quotes"]}
    speakers = {speaker["id"]: speaker for speaker in body["speakers"]}
    assert len(quotes) == len(body["quotes"]), "quote ids are not unique"
    assert len(speakers) == len(body["speakers"]), "speaker ids are not unique"
    for quote in quotes.values():
        if quote["speaker"] is not None:
            speaker = speakers[quote["speaker"]["id"]]
            assert quote["id"] in speaker["quote_ids"]
            assert quote["speaker"]["name"] == speaker["name"]
    for speaker in speakers.values():
        for quote_id in speaker["quote_ids"]:
            assert quotes[quote_id]["speaker"]["id"] == speaker["id"]


def assert_comparison(articles: list[dict[str, Any]], body: dict[str, Any]) -> None:
    """A comparison answers each article as the single route does, names only quotes that exist, holds
    every reference quotation (reported speech aside) once with one counterpart per other article, and
    every other quotation once; the other articles' reported speech at most once, never as unmatched."""
    assert [answer["id"] for answer in body["articles"]] == [article["id"] for article in articles]
    quotes, reported = {}, {}
    for article, answer in zip(articles, body["articles"], strict=True):
        _assert_answer_holds(article, answer)
        quotes[answer["id"]] = [quote["id"] for quote in answer["quotes"] if quote["type"] != "indirect"]
        reported[answer["id"]] = {quote["id"] for quote in answer["quotes"] if quote["type"] == "indirect"}
    reference = body["reference"]
    others = [article_id for article_id in quotes if article_id != reference]
    assert [alignment["quote"] for alignment in body["alignments"]] == [
        {"article": reference, "id": quote_id} for quote_id in quotes[reference]]
    for other in others:
        claimed = [counterpart["id"] for alignment in body["alignments"] for counterpart in alignment["counterparts"]
                   if counterpart["article"] == other and counterpart["id"] is not None]
        unmatched = [ref["id"] for ref in body["unmatched"] if ref["article"] == other]
        paraphrases = [quote_id for quote_id in claimed if quote_id in reported[other]]
        assert len(set(paraphrases)) == len(paraphrases)
        assert sorted(set(claimed + unmatched) - reported[other]) == sorted(quotes[other])
        assert len(claimed + unmatched) == len(quotes[other]) + len(paraphrases)
    for alignment in body["alignments"]:
        assert [counterpart["article"] for counterpart in alignment["counterparts"]] == others
        for counterpart in alignment["counterparts"]:
            assert (counterpart["id"] is None) == (counterpart["status"] == "missing")


# --- the engine's results, as dataclasses ---------------------------------------------------------

def _span_ok(text: str, span: Span, where: str) -> None:
    assert 0 <= span.start <= span.end <= len(text), f"{where}: {span.start}..{span.end} outside the article"
    assert text[span.start:span.end] == span.text, (
        f"{where}: article[{span.start}:{span.end}] is {text[span.start:span.end]!r}, not {span.text!r}")


def check(text: str, result: Result) -> Result:
    """Offsets and cross-references of every record in ``result``, on the dataclasses and on the JSON body."""
    assert result.characters == len(text)
    speakers = {speaker.id: speaker for speaker in result.speakers}
    for quote in result.quotes:
        assert 0 <= quote.start < quote.end <= len(text)
        assert text[quote.start:quote.end] == quote.text, f"quote {quote.id} offsets"
        assert 0.0 <= quote.confidence <= 1.0
        assert quote.type in ("direct", "partial", "indirect")
        if quote.type == "indirect":
            assert quote.method and quote.cue is not None, f"reported speech {quote.id} names no rule or cue"
            _span_ok(text, quote.cue, f"quote {quote.id} cue")
        if quote.speaker is None:
            assert quote.type == "indirect" or (quote.method is None and quote.cue is None), \
                f"quote {quote.id} has a rule but no speaker"
            continue
        assert quote.method, f"quote {quote.id} is attributed but names no rule"
        _span_ok(text, quote.speaker.mention, f"quote {quote.id} speaker mention")
        if quote.cue is not None:
            _span_ok(text, quote.cue, f"quote {quote.id} cue")
        speaker = speakers[quote.speaker.id]
        assert quote.speaker.name == speaker.name
        assert quote.id in speaker.quote_ids
        assert quote.speaker.mention in speaker.mentions, f"quote {quote.id}: its mention is not among the speaker's"
    for speaker in result.speakers:
        assert speaker.name.strip() == speaker.name and speaker.name
        for said in (speaker.name, *(mention.text for mention in speaker.mentions)):
            assert not NOT_IN_A_NAME.search(said), f"speaker {speaker.id}: {said!r} holds markup or a mark"
        assert speaker.kind in ("person", "organization", "anonymous", "document", "unknown")
        assert speaker.quote_ids, f"speaker {speaker.id} has no quotes"
        for number, mention in enumerate(speaker.mentions):
            _span_ok(text, mention, f"speaker {speaker.id} mention {number}")
    body = dump_response(result)
    assert_offsets(text, body)
    assert_references(body)
    return result


def only(result: Result) -> Quote:
    assert len(result.quotes) == 1, [q.text for q in result.quotes]
    return result.quotes[0]


def quote_of(result: Result, words: str) -> Quote:
    matches = [q for q in result.quotes if q.text == words]
    assert matches, f"{words!r} not among {[q.text for q in result.quotes]}"
    return matches[0]


def speaker_of(result: Result, quote: Quote):
    assert quote.speaker is not None, f"{quote.text!r} has no speaker"
    return next(s for s in result.speakers if s.id == quote.speaker.id)


def load_openapi() -> OpenAPI:
    """openapi.yaml, ready to validate; problem+json and YAML bodies are parsed so their schemas are checked."""
    config = Config(extra_media_type_deserializers={
        PROBLEM_MEDIA_TYPE: lambda body, **_parameters: json.loads(body),
        "application/yaml": lambda body, **_parameters: yaml.safe_load(body),
    })
    return OpenAPI.from_file_path(str(OPENAPI_PATH), config=config)


class ContractClient(FlaskClient):
    """A test client that holds every response to the OpenAPI contract.

    Each response is validated with openapi-core against openapi.yaml. Responses to
    routes the contract cannot list (unknown paths, methods a path does not allow)
    must be problem+json matching its Problem schema. Every successful extraction
    (each article of a batch too) also gets its offsets checked against the article sent.
    """

    def __init__(self, *args: Any, openapi: OpenAPI, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.openapi = openapi

    def open(self, *args: Any, **kwargs: Any):
        response = super().open(*args, **kwargs)
        self._check(response)
        return response

    def _check(self, response) -> None:
        request = response.request
        # The app has read the body; rewind it so the request can be read again here.
        request.environ["wsgi.input"].seek(0)
        request.get_data()
        try:
            self.openapi.validate_response(WerkzeugOpenAPIRequest(request), WerkzeugOpenAPIResponse(response))
        except (PathNotFound, OperationNotFound):
            assert response.status_code in (404, 405), (
                f"{request.method} {request.path} is not in openapi.yaml but answered {response.status_code}")
            assert response.mimetype == PROBLEM_MEDIA_TYPE
            OAS31Validator(_problem_schema()).validate(response.get_json())
        if request.path == "/v1/quotes" and response.status_code == 200:
            _assert_answer_holds(_article_sent(request), response.get_json())
        if request.path == "/v1/quotes/batch" and response.status_code == 200:
            articles = json.loads(request.get_data().decode("utf-8-sig"))["articles"]
            results = response.get_json()["results"]
            assert len(results) == len(articles)
            for article, body in zip(articles, results, strict=True):
                if "error" not in body:
                    _assert_answer_holds(article, body)
        if request.path == "/v1/compare" and response.status_code == 200:
            assert_comparison(json.loads(request.get_data().decode("utf-8-sig"))["articles"], response.get_json())


def _assert_answer_holds(article: dict[str, str], body: dict[str, Any]) -> None:
    """The offsets of an answer to ``article`` (``{"text": ...}`` or ``{"html": ...}``) hold."""
    if "html" in article:
        assert_html_offsets(article["html"], body)
    else:
        assert_offsets(article["text"], body)
        assert "text" not in body
    assert_references(body)


@functools.cache
def _problem_schema() -> dict[str, Any]:
    return yaml.safe_load(OPENAPI_PATH.read_text(encoding="utf-8"))["components"]["schemas"]["Problem"]


def _article_sent(request) -> dict[str, str]:
    """The article a POST /v1/quotes carried, as ``{"text": ...}`` or ``{"html": ...}``."""
    raw = request.get_data()
    if request.mimetype in ("text/plain", "text/html"):
        return {"html" if request.mimetype == "text/html" else "text": raw.decode("utf-8")}
    return json.loads(raw.decode("utf-8-sig"))


def assert_problem(response, status: int) -> dict[str, Any]:
    """``response`` is an RFC 9457 problem with ``status`` and a detail; returns its body."""
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == PROBLEM_MEDIA_TYPE
    body = response.get_json(force=True)
    assert body["status"] == status
    assert body["type"] == "about:blank"
    assert body["title"]
    assert body["detail"].strip()
    assert "Traceback" not in body["detail"]
    return body


# --- apps, clients and the command line over the session's engine ------------------------------

def app_with(app, engine, settings: Settings):
    """A contract-checked app over the session's engine, built with ``settings``."""
    built = create_app({"TESTING": True, "ENGINE": engine, "SETTINGS": settings})
    built.test_client_class = app.test_client_class
    return built


def without_timing(body: dict) -> dict:
    """An answer without its ``meta.elapsed_ms``, to compare answers given at different times."""
    return {**body, "meta": {key: value for key, value in body["meta"].items() if key != "elapsed_ms"}}


def client_with(app, engine, **settings):
    """A contract-checked client of an app over the session's engine with these settings."""
    built = create_app({"TESTING": True, "ENGINE": engine, "SETTINGS": Settings(**settings)})
    built.test_client_class = app.test_client_class
    return built.test_client()


def run(capsys, argv, engine, stdin: str | bytes | None = None, monkeypatch=None) -> tuple[int, str, str]:
    """``quotes ARGV`` in-process over ``engine``, ``stdin`` as its standard input: (exit code, stdout, stderr)."""
    if stdin is not None:
        raw = stdin.encode("utf-8") if isinstance(stdin, str) else stdin
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(raw), encoding="utf-8"))
    code = cli.main(argv, engine=engine)
    out, err = capsys.readouterr()
    return code, out, err


def jsonl(*records) -> str:
    """JSON lines: each record a line of JSON, a string as it is."""
    return "".join(r if isinstance(r, str) else json.dumps(r, ensure_ascii=False) + "\n" for r in records)


class FailsOn:
    """The real engine, except that it fails on any article holding ``word``."""

    def __init__(self, engine, word: str) -> None:
        self.engine, self.word, self.nlp, self.model = engine, word, engine.nlp, engine.model

    def extract(self, article, include=(), deadline=None):
        if self.word in Article.of(article).text:
            raise RuntimeError("the engine broke")
        return self.engine.extract(article, include, deadline)

    def extract_many(self, articles, include=(), deadline=None):
        return (self.extract(article, include, deadline) for article in articles)


# --- articles sent as HTML ----------------------------------------------------------------------

_TAG = re.compile(r"<[^>]*>")


def visible_html(fragment: str) -> str:
    """What a reader sees of an HTML fragment holding only inline markup: tags removed, entities
    decoded, whitespace collapsed. Written independently of service/engine/text/html.py."""
    return re.sub(r"[ \t\n\r\f]+", " ", html.unescape(_TAG.sub("", fragment)))


def _assert_html_span(source: str, span: dict[str, Any], where: str) -> None:
    start, end = span["html_start"], span["html_end"]
    assert 0 <= start <= end <= len(source), f"{where}: HTML offsets {start}..{end} outside the HTML"
    assert visible_html(source[start:end]) == span["text"], (
        f"{where}: html[{start}:{end}] is {source[start:end]!r}, the record says {span['text']!r}")


def assert_html_offsets(source: str, body: dict[str, Any]) -> None:
    """For an article sent as HTML: the response's ``text`` holds every record at its offsets, and the
    HTML between every record's ``html_start`` and ``html_end`` reads as the record."""
    assert_offsets(body["text"], body)
    for where, span in records(body):
        _assert_html_span(source, span, where)


_ENTITIES = {"“": "&ldquo;", "”": "&rdquo;", "’": "&#8217;", "&": "&amp;", "<": "&lt;", ">": "&gt;"}
CMS_NOISE = ('<figure class="photo"><img src="/p.jpg" alt=""><figcaption>&ldquo;We will never give up,'
             '&rdquo; Jane Roe said at the rally. <span class="credit">Photo: Agency</span></figcaption></figure>\n'
             '<blockquote class="twitter-tweet" data-lang="en"><p lang="en">&ldquo;Huge day,&rdquo; says '
             '<a href="https://x.com/roe">@roe</a></p>&mdash; Jane Roe (@roe) <a href="https://x.com/roe/1">'
             'May 1, 2025</a></blockquote><script async src="https://platform.x.com/widgets.js"></script>\n')


def cms_html(text: str, names: list[tuple[int, int]], emphasis: list[tuple[int, int]]) -> str:
    """``text`` as a newsroom CMS stores it: each line a ``<p>`` with attributes, the stretches
    ``names`` in links and ``emphasis`` in ``<em>``, curly marks and apostrophes as entities, and a
    captioned photo and an embedded post after the first paragraph."""
    marks = sorted([(start, 1, '<a href="/topics/people" data-track="name">') for start, _end in names]
                   + [(end, 0, "</a>") for _start, end in names]
                   + [(start, 1, "<em>") for start, _end in emphasis] + [(end, 0, "</em>") for _start, end in emphasis])
    pieces, at = [], 0
    for offset, _order, tag in marks:
        pieces += [_escaped(text[at:offset]), tag]
        at = offset
    pieces.append(_escaped(text[at:]))
    paragraphs = "".join(pieces).split("\n")
    body = [f'<p class="story-body-text" data-para-word-count="{len(p.split())}">{p}</p>\n' for p in paragraphs]
    return '<div class="article-body">\n' + body[0] + CMS_NOISE + "".join(body[1:]) + "</div>\n"


def _escaped(text: str) -> str:
    return "".join(_ENTITIES.get(ch, ch) for ch in text)


def digest(body: dict) -> list[tuple]:
    """What an article's answer says, without offsets: each quote's text, speaker, mention and cue."""
    return [(quote["text"], quote["type"], quote["speaker"] and quote["speaker"]["name"],
             quote["speaker"] and quote["speaker"]["mention"]["text"], quote["cue"] and quote["cue"]["text"])
            for quote in body["quotes"]]


def as_cms_would_store(text: str, body: dict) -> str:
    """The seed article in a CMS's HTML: names of people in links, a word of the first long quote in
    <em>, entities for marks, a captioned photo and an embedded post that are not the article."""
    names = sorted({(mention["start"], mention["end"]) for speaker in body["speakers"] if speaker["kind"] == "person"
                    for mention in speaker["mentions"] if mention["text"][:1].isupper() and " " in mention["text"]})
    long_quote = next(quote for quote in body["quotes"] if len(quote["text"].split()) >= 3)
    second_word = list(re.finditer(r"\S+", long_quote["text"]))[1]
    emphasis = [(long_quote["start"] + second_word.start(), long_quote["start"] + second_word.end())]
    return cms_html(text, names, emphasis)
