"""The page at GET /, in a real browser: Debian's Chromium driven headless by Playwright.

The app is served on loopback by a real HTTP server (werkzeug, in a thread) over the
session's engine. Chromium comes from the system (scripts/install-browser.sh installs it;
``QUOTES_CHROMIUM`` names another binary); Playwright's own browser download is never used.
Where no browser can be had, the tests skip and say why. Screenshots are written to
artifacts/browser/.
"""
from __future__ import annotations

import contextlib
import json
import os
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from helpers import cms_html
from service import create_app
from service.settings import Settings

playwright_api = pytest.importorskip(
    "playwright.sync_api", reason="Playwright is not installed: pip install -e '.[test]'")

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "artifacts" / "browser"
SEEDS = ROOT / "seeds" / "articles"
SEED = "001_81a850ca81dad687"

CHROMIUM = os.environ.get("QUOTES_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-dev-shm-usage",
]
MAX_CHARS = 10_000        # the test server's limit: above every seed article, easy to pass
API_KEY = "test-key-0123456789"
TIMEOUT_MS = 30_000


# --- a real server on loopback -------------------------------------------------------

@contextlib.contextmanager
def serve(app) -> Iterator[str]:
    """``app`` served on a free loopback port for the duration; yields its base URL."""
    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="page-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/"
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()


def page_app(engine, **config):
    return create_app({"ENGINE": engine, "SETTINGS": Settings(max_chars=MAX_CHARS), **config})


@pytest.fixture(scope="module")
def base_url(engine) -> Iterator[str]:
    with serve(page_app(engine)) as url:
        yield url


@pytest.fixture(scope="module")
def keyed_url(engine) -> Iterator[str]:
    """A server whose /v1 routes want ``Authorization: Bearer API_KEY``, as when API keys are configured."""
    from flask import request

    from service.api.errors import problem

    app = page_app(engine)

    @app.before_request
    def require_key():
        if request.path.startswith("/v1/") and request.headers.get("Authorization") != f"Bearer {API_KEY}":
            return problem(401, "A valid API key is required.", headers={"WWW-Authenticate": "Bearer"})
        return None

    with serve(app) as url:
        yield url


# --- the browser ---------------------------------------------------------------------

@pytest.fixture(scope="module")
def browser():
    if not (os.path.isfile(CHROMIUM) and os.access(CHROMIUM, os.X_OK)):
        found = shutil.which("chromium")
        hint = f" (one is at {found}: set QUOTES_CHROMIUM)" if found else ""
        pytest.skip(f"Chromium is not installed at {CHROMIUM}{hint}; "
                    "run scripts/install-browser.sh (make test does) to run the browser tests")
    manager = playwright_api.sync_playwright().start()
    try:
        try:
            browser = manager.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS,
                                              headless=True, timeout=TIMEOUT_MS)
        except playwright_api.Error as error:
            pytest.skip(f"Chromium at {CHROMIUM} cannot be launched: {str(error).splitlines()[0]}")
        yield browser
        browser.close()
    finally:
        manager.stop()


class Console:
    """What went wrong in the page: console errors (CSP violations among them), uncaught
    exceptions, dialogs, and failed requests other than the API's own error answers."""

    def __init__(self, page) -> None:
        self.problems: list[str] = []
        self.api_errors: list[int] = []
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.problems.append(f"uncaught: {error}"))
        page.on("dialog", self._dialog)
        page.on("response", self._response)
        page.on("requestfailed", lambda request: self.problems.append(
            f"request failed: {request.url} {request.failure}"))

    def _console(self, message) -> None:
        # A 4xx is logged as "Failed to load resource"; _response sorts those out.
        if message.type == "error" and not message.text.startswith("Failed to load resource"):
            self.problems.append(f"console: {message.text}")

    def _dialog(self, dialog) -> None:
        self.problems.append(f"dialog: {dialog.message}")
        dialog.dismiss()

    def _response(self, response) -> None:
        if response.status < 400:
            return
        if "/v1/" in response.url:
            self.api_errors.append(response.status)
        else:
            self.problems.append(f"{response.status} on {response.url}")


@pytest.fixture
def context(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    context.set_default_timeout(TIMEOUT_MS)
    yield context
    context.close()


@pytest.fixture
def page(context, base_url):
    page = context.new_page()
    page.console = Console(page)
    page.goto(base_url)
    page.wait_for_selector("#example-list [data-example]")
    yield page
    assert not page.console.problems, page.console.problems


def screenshot(page, name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.evaluate("window.scrollTo(0, 0)")  # so the sticky speaker panel sits at the top
    page.screenshot(path=str(path), full_page=True)
    return path


# --- helpers over the page -----------------------------------------------------------

def load_example(page, seed: str = SEED) -> str:
    page.locator(f'[data-example="{seed}"]').click()
    text = (SEEDS / f"{seed}.txt").read_text(encoding="utf-8")
    page.wait_for_function("length => document.getElementById('article-input').value.length === length",
                           arg=len(text))
    return text


def extract(page) -> dict:
    """Click Extract and wait for the result; returns the response the page shows as JSON."""
    page.get_by_role("button", name="Extract quotes").click()
    page.wait_for_selector("#results:not([hidden])")
    page.wait_for_selector("#article-text mark.quote")
    return json.loads(page.locator("#json-output").text_content())


def colour_class(class_names: str) -> str:
    colours = [name for name in class_names.split() if name.startswith("c") and name[1:].isdigit()
               or name == "c-none"]
    assert len(colours) == 1, class_names
    return colours[0]


def speaker_named(result: dict, fragment: str) -> dict:
    matches = [speaker for speaker in result["speakers"] if fragment in speaker["name"]]
    assert matches, f"no speaker named like {fragment!r} in {[s['name'] for s in result['speakers']]}"
    return matches[0]


# --- the tests -----------------------------------------------------------------------

def test_a_seed_article_shows_its_quotes_and_speakers(page):
    article = load_example(page)
    result = extract(page)

    # The article is shown whole, as text, with one highlight per quote.
    assert page.locator("#article-text").text_content() == article
    marks = page.locator("#article-text mark.quote")
    assert marks.count() == len(result["quotes"]) >= 6
    for index, quote in enumerate(result["quotes"]):
        mark = marks.nth(index)
        assert mark.text_content() == quote["text"]
        assert mark.get_attribute("data-quote") == quote["id"]
        assert mark.get_attribute("tabindex") == "0"

    # The speakers the seed's gold names, each in the panel with their quotes.
    panel = page.locator("#speaker-list")
    names = panel.locator(".speaker__name").all_text_contents()
    for expected in ("Elysee official", "US State Department spokesman", "Trump"):
        assert any(expected in name for name in names), (expected, names)

    for fragment, quoted in [("US State Department spokesman", "agreed to continue cooperation"),
                             ("Trump", "very disappointed"),
                             ("Elysee official", "We now have enough contributions")]:
        speaker = speaker_named(result, fragment)
        entry = panel.locator(f'li.speaker[data-speaker="{speaker["id"]}"]')
        assert entry.locator(".speaker__count").text_content() == (
            f"{len(speaker['quote_ids'])} quote{'s' if len(speaker['quote_ids']) != 1 else ''}")
        assert entry.locator(".quote-link", has_text=quoted).count() == 1
        # The quote is highlighted in the speaker's colour, and the speaker's mentions underlined in it.
        colour = colour_class(entry.get_attribute("class"))
        quote_id = next(quote["id"] for quote in result["quotes"]
                        if quote["id"] in speaker["quote_ids"] and quoted in quote["text"])
        mark = page.locator(f'#article-text mark.quote[data-quote="{quote_id}"]')
        assert colour_class(mark.get_attribute("class")) == colour
        mentions = page.locator(f"#article-text .mention.{colour}")
        assert mentions.count() >= 1
        assert any(mention["text"] in mentions.first.text_content() or
                   mentions.first.text_content() in mention["text"] for mention in speaker["mentions"])

    # Different speakers, different colours (up to the palette's ten).
    colours = [colour_class(entry.get_attribute("class"))
               for entry in panel.locator("li.speaker[data-speaker]").all()]
    assert len(set(colours)) == min(len(colours), 10)

    # The summary, the curl command and the JSON view.
    assert f"{len(result['quotes'])} quotes" in page.locator("#summary").text_content()
    curl = page.locator("#curl-command").text_content()
    assert curl.startswith("curl ") and "/v1/quotes" in curl and "application/json" in curl
    assert "Authorization" not in curl
    assert result["meta"]["characters"] == len(article)
    screenshot(page, "seed-001")


def test_hover_and_focus_show_a_quote_s_details(page):
    load_example(page)
    result = extract(page)
    trump = speaker_named(result, "Trump")
    quote = next(quote for quote in result["quotes"] if quote["id"] in trump["quote_ids"])
    tooltip = page.locator("#quote-tooltip")

    page.locator(f'#article-text mark[data-quote="{quote["id"]}"]').hover()
    assert tooltip.is_visible()
    assert page.locator("#tip-speaker").text_content().startswith(trump["name"])
    assert page.locator("#tip-cue").text_content() == f"“{quote['cue']['text']}”"
    assert page.locator("#tip-type").text_content().startswith(quote["type"])
    assert page.locator("#tip-confidence").text_content() == f"{round(quote['confidence'] * 100)}%"
    assert page.locator("#tip-method").text_content() == quote["method"]
    page.mouse.move(0, 0)
    assert tooltip.is_hidden()

    # With the keyboard: Tab goes from one highlighted quote to the next, each one described.
    first, second = result["quotes"][0], result["quotes"][1]
    page.locator(f'#article-text mark[data-quote="{first["id"]}"]').focus()
    assert tooltip.is_visible()
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.dataset.quote")
    assert focused == second["id"]
    expected = second["speaker"]["name"] if second["speaker"] else "not found"
    assert page.locator("#tip-speaker").text_content().startswith(expected)
    assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") != "none"
    screenshot(page, "seed-001-focus")
    page.keyboard.press("Escape")
    assert tooltip.is_hidden()


def test_a_quote_in_the_panel_takes_you_to_it(page):
    load_example(page)
    result = extract(page)
    last = result["quotes"][-1]
    page.evaluate("window.scrollTo(0, 0)")
    page.locator(f'#speaker-list .quote-link[data-quote="{last["id"]}"]').click()
    page.wait_for_function("id => document.activeElement && document.activeElement.dataset.quote === id",
                           arg=last["id"])
    mark = page.locator(f'#article-text mark[data-quote="{last["id"]}"]')
    page.wait_for_function(
        "el => { const r = el.getBoundingClientRect(); return r.top >= 0 && r.bottom <= innerHeight; }",
        arg=mark.element_handle())


def test_the_keyboard_alone_extracts(page):
    load_example(page)
    page.locator("#article-input").focus()
    page.keyboard.press("Control+Enter")
    page.wait_for_selector("#article-text mark.quote")
    assert "Found" in page.locator("#status").text_content()


def test_an_empty_text_gets_a_readable_message(page):
    page.get_by_role("button", name="Extract quotes").click()
    error = page.locator("#error")
    error.wait_for(state="visible")
    assert page.locator("#error-title").text_content() == "There is no article to analyse"
    text = error.text_content()
    assert "{" not in text and "422" not in text and "problem" not in text
    assert page.locator("#results").is_hidden()
    assert page.console.api_errors == [422]
    screenshot(page, "empty-text")


def test_a_text_over_the_limit_gets_a_readable_message(page):
    page.locator("#article-input").fill("He said “no”. " * (MAX_CHARS // 10))
    assert "counter--over" in page.locator("#article-count").get_attribute("class")
    page.get_by_role("button", name="Extract quotes").click()
    page.locator("#error").wait_for(state="visible")
    assert page.locator("#error-title").text_content() == "The article is too long"
    assert f"the limit is {MAX_CHARS}" in page.locator("#error-detail").text_content()
    assert page.console.api_errors == [413]


def test_article_text_is_never_markup(page):
    article = ('<img src="x" onerror="alert(1)"> “<b>Bold</b> words <script>alert(2)</script>,” '
               'Maria Lopez said. She added: “<i>more</i>.”')
    page.locator("#article-input").fill(article)
    extract(page)
    text = page.locator("#article-text")
    assert text.text_content() == article
    assert text.locator("img, b, i, script").count() == 0
    assert page.locator("#speaker-list img, #speaker-list b").count() == 0


def test_an_article_pasted_as_html_shows_the_text_read_from_it(page):
    article = (SEEDS / f"{SEED}.txt").read_text(encoding="utf-8")
    source = cms_html(article, [], [])
    page.locator("#article-input").fill(source)
    switch = page.get_by_role("switch", name="Read as HTML")
    assert switch.is_checked(), "a CMS body is detected as HTML"
    assert "looks like HTML" in page.locator("#html-hint").text_content()
    result = extract(page)

    # The article shown is the text read from the HTML: no tag, no entity, no caption or embed.
    shown = page.locator("#article-text").text_content()
    assert shown == result["text"]
    assert "<" not in shown and "&ldquo;" not in shown and "Huge day" not in shown
    assert page.locator("#article-text p, #article-text figure, #article-text a").count() == 0
    marks = page.locator("#article-text mark.quote")
    assert marks.count() == len(result["quotes"]) >= 6
    for index, quote in enumerate(result["quotes"]):
        assert marks.nth(index).text_content() == quote["text"]
        assert source[quote["html_start"]:quote["html_end"]]  # placed in the HTML too
    assert '{"html":' in page.locator("#curl-command").text_content()
    screenshot(page, "seed-001-html")

    # The reader's choice wins over detection: switched off, the same paste is read as text.
    switch.uncheck()
    page.locator("#article-input").fill(source + " ")
    assert not switch.is_checked()
    page.get_by_role("button", name="Extract quotes").click()
    page.wait_for_function("() => !document.getElementById('json-output').textContent.includes('html_start')")
    assert page.locator("#article-text").text_content() == source + " "


def test_the_json_copies_to_the_clipboard(context, page, base_url):
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=base_url.rstrip("/"))
    load_example(page)
    result = extract(page)
    page.bring_to_front()  # the clipboard serves the focused page only
    page.locator("#json-block summary").click()
    button = page.locator("#copy-json")
    button.click()
    page.wait_for_function("label => document.getElementById('copy-json').textContent !== label", arg="Copy")
    assert button.text_content() == "Copied"
    assert json.loads(page.evaluate("navigator.clipboard.readText()")) == result


def test_phone_width(context, base_url):
    page = context.new_page()
    console = Console(page)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(base_url)
    page.wait_for_selector("#example-list [data-example]")
    load_example(page)
    extract(page)
    page.evaluate("window.scrollTo(0, 0)")
    assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
    # The speakers come before the article on a narrow screen.
    speakers_top = page.locator("#speaker-list").bounding_box()["y"]
    article_top = page.locator("#article-text").bounding_box()["y"]
    assert speakers_top < article_top
    screenshot(page, "seed-001-phone")
    assert not console.problems, console.problems


def test_a_service_with_api_keys_gets_the_key(context, keyed_url):
    page = context.new_page()
    console = Console(page)
    page.goto(keyed_url)
    # The page asked GET /v1/info, learnt a key is needed, and shows the field.
    key_input = page.locator("#api-key-input")
    key_input.wait_for(state="visible")
    assert "required" in page.locator("#api-key-state").text_content()
    page.wait_for_selector("#example-list [data-example]")
    load_example(page)

    page.get_by_role("button", name="Extract quotes").click()
    page.locator("#error").wait_for(state="visible")
    assert page.locator("#error-title").text_content() == "This service needs an API key"
    assert page.evaluate("document.activeElement.id") == "api-key-input"

    key_input.fill(API_KEY)
    result = extract(page)
    assert page.locator("#error").is_hidden()
    assert result["quotes"]
    curl = page.locator("#curl-command").text_content()
    assert '-H "Authorization: Bearer $QUOTES_API_KEY"' in curl
    assert API_KEY not in curl
    screenshot(page, "api-key")
    assert not console.problems, console.problems
    assert set(console.api_errors) == {401}


# --- the compare view ----------------------------------------------------------------

REWRITE = "000_efcebe05e6753dc0"


@pytest.fixture
def compare_page(context, base_url):
    page = context.new_page()
    page.console = Console(page)
    page.goto(base_url)
    page.get_by_role("link", name="Compare versions").click()
    page.wait_for_selector("#compare-button")
    page.wait_for_load_state("load")  # the deferred scripts have run: Ctrl+Enter is listened for
    yield page
    assert not page.console.problems, page.console.problems


def compare(page) -> None:
    page.get_by_role("button", name="Compare").click()
    page.wait_for_selector("#results:not([hidden])")


def pair(page, words: str):
    found = page.locator("#pairs li.pair", has=page.locator(".pair__side--reference q", has_text=words))
    assert found.count() == 1, words
    return found


def test_the_compare_view_shows_what_the_rewrite_made_of_each_quote(compare_page):
    page = compare_page
    page.get_by_role("button", name="Try an example").click()
    for box, seed in (("#reference-input", SEED), ("#other-input", REWRITE)):
        text = (SEEDS / f"{seed}.txt").read_text(encoding="utf-8")
        page.wait_for_function("([box, length]) => document.querySelector(box).value.length === length",
                               arg=[box, len(text)])
    compare(page)

    assert page.locator("#pairs li.pair").count() == 7
    ready = pair(page, "We are ready,")
    assert ready.get_attribute("data-status") == "verbatim"
    assert ready.locator(".flag--misattributed").count() == 0

    enough = pair(page, "We now have enough contributions")
    assert enough.get_attribute("data-status") == "reworded"
    assert enough.locator(".badge").text_content() == "Reworded"
    deleted = enough.locator("del.diff-del", has_text="enough")
    inserted = enough.locator("ins.diff-ins", has_text="sufficient")
    assert deleted.count() == 1 and inserted.count() == 1
    assert "line-through" in deleted.evaluate("node => getComputedStyle(node).textDecorationLine")
    assert inserted.evaluate("node => getComputedStyle(node).backgroundColor") != "rgba(0, 0, 0, 0)"
    # Without the struck-through words, the other version reads as it is written.
    other_words = enough.locator(".pair__diff").evaluate(
        "node => Array.from(node.childNodes).filter(n => n.nodeName !== 'DEL').map(n => n.textContent).join('')")
    assert "We now have sufficient contributions to show the Americans that we are prepared" in " ".join(
        other_words.split())
    assert pair(page, "agreed to continue cooperation in diplomatic efforts to bring").get_attribute(
        "data-status") == "reworded"

    dropped = page.locator('#pairs li.pair[data-status="missing"]')
    assert dropped.count() == 4
    assert set(dropped.locator(".badge").all_text_contents()) == {"Dropped"}
    assert dropped.filter(has_text="very disappointed").count() == 1
    assert page.locator("#added").text_content() == "None."
    summary = page.locator("#summary").text_content()
    assert summary.startswith("7 quotes in the reference: 1 verbatim, 2 reworded, 4 dropped; 0 misattributions")
    screenshot(page, "compare-001-000")


def test_the_compare_view_flags_a_misattribution_and_lists_added_quotes(compare_page):
    page = compare_page
    page.locator("#reference-input").fill("“We are ready to act now,” an Elysee official said.")
    page.locator("#other-input").fill("“We are ready to act now,” a French diplomatic source said.\n\n"
                                      "“Talks go on,” Macron said.")
    page.locator("#other-input").press("Control+Enter")
    page.wait_for_selector("#results:not([hidden])")
    moved = pair(page, "We are ready to act now")
    assert moved.locator(".flag--misattributed").text_content() == "Misattributed"
    assert moved.locator(".pair__speaker--wrong").text_content() == "French diplomatic source"
    assert page.locator("#added li").count() == 1
    assert "Talks go on," in page.locator("#added li").text_content()
    assert "1 misattribution;" in page.locator("#summary").text_content()
    screenshot(page, "compare-misattribution")


def test_the_compare_view_asks_for_two_versions(compare_page):
    page = compare_page
    page.locator("#reference-input").fill("“We are ready,” an Elysee official said.")
    page.get_by_role("button", name="Compare").click()
    page.locator("#error").wait_for(state="visible")
    assert page.locator("#error-title").text_content() == "Two versions are needed"
    assert page.evaluate("document.activeElement.id") == "other-input"


def test_the_compare_view_can_include_reported_speech(compare_page):
    page = compare_page
    page.locator("#reference-input").fill("“We will not send troops to Ukraine,” Trump said.")
    page.locator("#other-input").fill("Trump said he would not send troops to Ukraine.")
    compare(page)
    assert pair(page, "We will not send troops").get_attribute("data-status") == "missing"

    page.get_by_role("switch", name="Include reported speech").check()
    page.locator("#results").evaluate("node => { node.hidden = true; }")
    compare(page)
    paraphrased = pair(page, "We will not send troops")
    assert paraphrased.get_attribute("data-status") == "paraphrased"
    assert paraphrased.locator(".badge").text_content() == "Paraphrased"
    assert paraphrased.locator(".flag--misattributed").count() == 0
    other = paraphrased.locator(".pair__side--other")
    assert other.locator(".pair__label").text_content() == "Other version, as reported speech"
    assert other.locator(".pair__diff").evaluate("node => node.tagName") == "SPAN"  # no quotation marks
    assert other.locator("ins.diff-ins", has_text="he would").count() == 1
    assert page.locator("#added").text_content() == "None."
    screenshot(page, "compare-paraphrased")


REPORTED_ARTICLE = ("The minister told parliament the new border checks would start on Monday.\n\n"
                    "“We are ready,” the minister said.\n\n"
                    "Ms Laine said the council was ready to give “firm guarantees” to the residents.")


def test_reported_speech_is_shown_when_the_switch_is_on(page):
    page.locator("#article-input").fill(REPORTED_ARTICLE)
    switch = page.get_by_role("switch", name="Include reported speech")
    assert not switch.is_checked()
    result = extract(page)
    assert [quote["type"] for quote in result["quotes"]] == ["direct", "partial"]
    assert page.locator("#article-text mark.quote--indirect").count() == 0

    switch.check()
    page.get_by_role("button", name="Extract quotes").click()
    page.wait_for_function("wanted => document.getElementById('curl-command').textContent.includes(wanted)",
                           arg='"include":["indirect"]')
    result = json.loads(page.locator("#json-output").text_content())
    reported = [quote for quote in result["quotes"] if quote["type"] == "indirect"]
    assert [quote["text"] for quote in reported] == [
        "the new border checks would start on Monday",
        "the council was ready to give “firm guarantees” to the residents"]
    assert "2 reported statements" in page.locator("#summary").text_content()

    # Highlighted in the speaker's colour, lighter than the speaker's direct quote.
    minister = speaker_named(result, "minister")
    said, told = (next(q for q in result["quotes"] if q["id"] in minister["quote_ids"] and q["type"] == kind)
                  for kind in ("direct", "indirect"))
    direct_mark = page.locator(f'#article-text mark[data-quote="{said["id"]}"]')
    reported_mark = page.locator(f'#article-text mark[data-quote="{told["id"]}"]')
    assert reported_mark.text_content() == told["text"]
    assert colour_class(reported_mark.get_attribute("class")) == colour_class(direct_mark.get_attribute("class"))
    assert "quote--indirect" in reported_mark.get_attribute("class")

    def background(mark) -> str:
        return mark.evaluate("el => getComputedStyle(el).backgroundColor")

    assert background(reported_mark) != background(direct_mark)
    alpha = reported_mark.evaluate("el => getComputedStyle(el).backgroundColor")
    assert alpha.startswith(("rgba", "color(")), alpha  # see-through: lighter on the page

    # Listed under the speaker with the direct quote, marked as reported.
    entry = page.locator(f'#speaker-list li.speaker[data-speaker="{minister["id"]}"]')
    assert entry.locator(".speaker__count").text_content() == "1 quote and 1 reported statement"
    assert entry.locator(".quote-link--indirect", has_text="border checks").count() == 1
    assert entry.locator(".quote-link:not(.quote-link--indirect)", has_text="We are ready").count() == 1

    # A quotation inside reported speech is highlighted as the quotation, the report around it.
    laine = speaker_named(result, "Laine")
    partial = next(q for q in result["quotes"] if q["id"] in laine["quote_ids"] and q["type"] == "partial")
    assert page.locator(f'#article-text mark[data-quote="{partial["id"]}"]').text_content() == "firm guarantees"
    around = page.locator(f'#article-text mark.quote--indirect[data-quote="{reported[1]["id"]}"]')
    assert "".join(around.all_text_contents()) == reported[1]["text"].replace("firm guarantees", "")
    assert page.locator("#article-text [id^=quote-]").count() == len(result["quotes"])  # one id each
    screenshot(page, "reported-speech")
