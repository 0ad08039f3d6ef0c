"""The page at GET /, its static files and its example articles, through the Flask test client.

The page's own routes are not part of the API contract (openapi.yaml), so their successful
responses are exempt from the contract check here; every other response, errors on the
page's routes included, is still held to it.
"""
from __future__ import annotations

import fnmatch
import functools
import re
import tomllib
from html.parser import HTMLParser
from pathlib import Path

import pytest

from helpers import ContractClient, assert_problem
from service import web

ROOT = Path(__file__).resolve().parent.parent
WEB = ROOT / "service" / "web"
SEEDS = ROOT / "seeds" / "articles"


class PageClient(ContractClient):
    """The contract client, except for successful responses of the page's own routes."""

    def _check(self, response) -> None:
        request = response.request
        adapter = self.application.url_map.bind("localhost")
        try:
            endpoint, _arguments = adapter.match(request.path, method=request.method)
        except Exception:  # unknown path or method: the contract's rules apply
            endpoint = ""
        if endpoint.startswith(f"{web.bp.name}.") and response.status_code < 400:
            return
        super()._check(response)


@pytest.fixture
def app(app, openapi):
    app.test_client_class = functools.partial(PageClient, openapi=openapi)
    return app


class PageParser(HTMLParser):
    """Elements by id, and the attributes of every tag, for assertions on the page's markup."""

    def __init__(self) -> None:
        super().__init__()
        self.ids: dict[str, tuple[str, dict[str, str | None]]] = {}
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.script_bodies: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        self.tags.append((tag, attributes))
        if "id" in attributes:
            self.ids[attributes["id"]] = (tag, attributes)
        self._in_script = tag == "script"

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False

    def handle_data(self, data):
        if self._in_script and data.strip():
            self.script_bodies.append(data)


@pytest.fixture
def page(client):
    response = client.get("/")
    assert response.status_code == 200
    assert response.mimetype == "text/html"
    parser = PageParser()
    parser.feed(response.get_data(as_text=True))
    return response, parser


def test_the_page_has_its_controls(page):
    _response, parsed = page
    expected = {
        "article-input": "textarea",
        "extract-button": "button",
        "clear-button": "button",
        "example-list": "div",
        "api-key-input": "input",
        "error": "div",
        "results": "section",
        "article-text": "div",
        "speaker-list": "ol",
        "json-output": "code",
        "curl-command": "code",
        "copy-json": "button",
        "copy-curl": "button",
        "quote-tooltip": "div",
    }
    for element_id, tag in expected.items():
        assert element_id in parsed.ids, f"#{element_id} is missing"
        assert parsed.ids[element_id][0] == tag, f"#{element_id} is a <{parsed.ids[element_id][0]}>"
    # Errors are announced; buttons are real buttons that submit nothing.
    assert parsed.ids["error"][1].get("role") == "alert"
    for tag, attributes in parsed.tags:
        if tag == "button":
            assert attributes.get("type") == "button"
    # The text area has a label.
    labels = [attributes for tag, attributes in parsed.tags if tag == "label"]
    assert any(label.get("for") == "article-input" for label in labels)


def test_the_page_needs_no_inline_code_and_no_other_host(page):
    response, parsed = page
    policy = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert not parsed.script_bodies, "inline script"
    for tag, attributes in parsed.tags:
        assert tag != "style", "inline style sheet"
        assert "style" not in attributes, f"inline style on <{tag}>"
        handlers = [name for name in attributes if name.startswith("on")]
        assert not handlers, f"inline event handler on <{tag}>: {handlers}"
        for name in ("src", "href"):
            value = attributes.get(name) or ""
            assert not re.match(r"^(https?:)?//", value), f"<{tag} {name}={value}> leaves the service"


def test_every_asset_the_page_names_is_served(client, page):
    _response, parsed = page
    assets = [attributes.get("src") or attributes.get("href") for tag, attributes in parsed.tags
              if tag in ("script", "link")]
    assert any(asset.startswith("/static/quotes.js") for asset in assets)
    assert any(asset.startswith("/static/quotes.css") for asset in assets)
    for asset in assets:
        response = client.get(asset)
        assert response.status_code == 200, asset
        assert response.content_length or response.get_data()


@pytest.mark.parametrize(("name", "mimetype"), [
    ("quotes.js", "text/javascript"),
    ("quotes.css", "text/css"),
    ("favicon.svg", "image/svg+xml"),
])
def test_static_files(client, name, mimetype):
    response = client.get(f"/static/{name}")
    assert response.status_code == 200
    assert response.mimetype == mimetype
    assert response.get_data() == (WEB / "static" / name).read_bytes()


def test_a_missing_static_file_is_a_problem(client):
    assert_problem(client.get("/static/no-such-file.js"), 404)


def test_the_script_never_writes_markup():
    """Article text reaches the page as text only: no HTML parsing of strings anywhere in the script."""
    script = (WEB / "static" / "quotes.js").read_text(encoding="utf-8")
    for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function"):
        assert sink not in script, sink


def test_examples_are_the_seed_articles(client):
    response = client.get("/examples")
    assert response.status_code == 200
    listed = response.get_json()["examples"]
    seeds = sorted(SEEDS.glob("*.txt"))
    assert [example["id"] for example in listed] == [path.stem for path in seeds]
    for example, path in zip(listed, seeds, strict=True):
        text = path.read_text(encoding="utf-8")
        assert example["characters"] == len(text)
        assert 0 < len(example["title"]) <= web.TITLE_LENGTH + 1
        response = client.get(f"/examples/{example['id']}.txt")
        assert response.status_code == 200
        assert response.mimetype == "text/plain"
        assert response.get_data(as_text=True) == text


def test_the_shipped_examples_are_copies_of_the_seeds():
    """service/web/examples ships the seed articles inside the package; they must not drift."""
    shipped = {path.name: path.read_bytes() for path in (WEB / "examples").glob("*.txt")}
    seeds = {path.name: path.read_bytes() for path in SEEDS.glob("*.txt")}
    assert shipped == seeds, "copy seeds/articles/*.txt to service/web/examples/"


@pytest.mark.parametrize("name", ["no_such_article", "..%2F..%2Fpyproject", "000_efcebe05e6753dc0.txt"])
def test_an_unknown_example_is_a_problem(client, name):
    body = assert_problem(client.get(f"/examples/{name}.txt"), 404)
    assert "/examples" in body["detail"]


def test_only_get_on_the_page(client):
    assert_problem(client.post("/", data="x"), 405)


def test_titles():
    assert web.title("World\n\nEurope ready for Ukraine security guarantees\n") == (
        "Europe ready for Ukraine security guarantees")
    long_line = "word " * 40
    cut = web.title(long_line)
    assert cut.endswith("…") and len(cut) <= web.TITLE_LENGTH + 1
    assert web.title("") == ""
    assert web.title("Short.") == "Short."


def test_the_page_files_are_package_data():
    """Every file the page needs is matched by pyproject's package-data, so an installed package serves it."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = config["tool"]["setuptools"]["package-data"]["service.web"]
    files = [path.relative_to(WEB).as_posix() for folder in ("static", "templates", "examples")
             for path in (WEB / folder).rglob("*") if path.is_file()]
    assert files
    for name in files:
        assert any(fnmatch.fnmatch(name, pattern) for pattern in patterns), f"{name} is not package data"
