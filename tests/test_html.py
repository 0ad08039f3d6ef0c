"""HTML → text with a map back into the HTML (service/engine/text/html.py): what is kept, what is left out,
and that every stretch of the text maps to the HTML it came from."""
from __future__ import annotations

import html as html_module
import re

import pytest

from service.engine.text.html import html_to_text

_TAG = re.compile(r"<[^>]*>")


def visible(fragment: str) -> str:
    """What a reader sees of an HTML fragment holding only inline markup: tags removed, entities
    decoded, whitespace collapsed. Written independently of the module under test."""
    return re.sub(r"[ \t\n\r\f]+", " ", html_module.unescape(_TAG.sub("", fragment)))


def assert_maps_back(html: str) -> str:
    """Every word of the text, and every run of words within a paragraph, maps back to HTML that
    reads as it; returns the text."""
    article = html_to_text(html)
    text = article.text
    for paragraph in re.finditer(r"[^\n]+", text):
        words = [m.span() for m in re.finditer(r"\S+", text) if paragraph.start() <= m.start() < paragraph.end()]
        for start, end in words + [(words[0][0], words[-1][1])] if words else []:
            html_start, html_end = article.html_span(start, end)
            assert visible(html[html_start:html_end]) == text[start:end], (
                f"text[{start}:{end}] = {text[start:end]!r} maps to html[{html_start}:{html_end}] = "
                f"{html[html_start:html_end]!r}")
    return text


def test_paragraphs_breaks_and_inline_elements():
    html = ('<div class="story"><h2>Talks  in\n Paris</h2>\n<p class="story-body-text" data-n="42">'
            '<a href="/macron">Emmanuel <b>Macron</b></a> said <em>yes</em>.</p>\n\n'
            '<p>One<br>Two<br/><br>Three</p><ul><li>first</li><li>second</li></ul></div>')
    assert assert_maps_back(html) == ("Talks in Paris\n\nEmmanuel Macron said yes.\n\nOne\nTwo\n\nThree"
                                      "\n\nfirst\n\nsecond")


def test_entities_are_decoded_and_map_to_the_whole_entity():
    html = "<p>&ldquo;It&#8217;s done,&rdquo; she said &amp; left&#x2e; &nbsp;A&nbspB &bogus; &#65</p>"
    article = html_to_text(html)
    assert article.text == "“It’s done,” she said & left. \u00a0A\u00a0B &bogus; A"
    apostrophe = article.text.index("’")
    assert article.html_span(apostrophe, apostrophe + 1) == (html.index("&#8217;"), html.index("&#8217;") + 7)
    opening = article.text.index("“")
    assert article.html_span(opening, opening + 1) == (3, 3 + len("&ldquo;"))
    assert_maps_back(html)


def test_whitespace_collapses_as_a_browser_shows_it():
    html = "<p>\n   We  are\tready ,\r\n <span> </span> he said.   </p>   <p>  Next </p>"
    assert assert_maps_back(html) == "We are ready , he said.\n\nNext"


@pytest.mark.parametrize("left_out", [
    "<script>var x = '“We are ready,” he said';</script>",
    "<style>p:before { content: '“x”' }</style>",
    "<nav><a href='/'>“Home,” it said</a></nav>",
    "<figure><img src='x.jpg'><figcaption>“Cheese,” the photographer said.</figcaption></figure>",
    "<iframe src='https://example.org'>“Fallback,” it said</iframe>",
    "<video controls><track src='x.vtt'>“Your browser,” it said</video>",
    "<audio src='x.mp3'>“Listen,” it said</audio>",
    '<blockquote class="twitter-tweet"><p lang="en">“Huge news,” says everyone</p>&mdash; A (@a) '
    '<a href="https://x.com/a/status/1">May 1, 2025</a></blockquote>',
    '<blockquote class="instagram-media" data-instgrm-permalink="x"><div><p>“Sunset,” she wrote</p></div>'
    "</blockquote>",
    '<blockquote class="tiktok-embed" cite="x"><section>“Dance,” he said</section></blockquote>',
    '<div class="fb-post" data-href="x"><div><div>“Like,” it said</div></div></div>',
    '<aside class="related"><h3>Read more</h3><p>“Other,” he said</p></aside>',
    '<div class="pullquote"><p>“We are ready,” he said</p></div>',
    '<div class="wp-caption"><img src="x"><p class="wp-caption-text">“Caption,” it said</p></div>',
    "<p hidden>“Hidden,” he said</p>",
    '<span aria-hidden="true">“Icon,” it said</span>',
    '<div style="display: none">“Invisible,” it said</div>',
    "<!-- “A comment,” he said -->",
    "<noscript>“Enable JavaScript,” it said</noscript>",
    "<template><p>“Later,” it said</p></template>",
    "<svg><text>“Drawn,” it said</text></svg>",
    "<form><button>“Submit,” it said</button><select><option>“Choose”</option></select></form>",
])
def test_what_is_not_the_articles_prose_is_left_out(left_out):
    html = f"<p>Before it.</p>{left_out}<p>After it.</p>"
    assert assert_maps_back(html) == "Before it.\n\nAfter it."


def test_a_left_out_element_left_open_ends_with_its_parent():
    assert html_to_text("<div><figure><figcaption>Caption</div><p>After</p>").text == "After"
    assert html_to_text("<blockquote class='twitter-tweet'><p>Tweet<blockquote>inner</blockquote>"
                        "still tweet</blockquote><p>kept</p>").text == "kept"


@pytest.mark.parametrize(("html", "text"), [
    ("<p>unclosed <b>bold <i>italic", "unclosed bold italic"),
    ("a < b and c<d", "a < b and c<d"),
    ("<p>x</i></b></p></div> y", "x\n\ny"),
    ("<p title='never closed>text", "<p title='never closed>text"),  # no tag: the parser reads text
    ('<div title="unclosed attribute>More words here', '<div title="unclosed attribute>More words here'),
    ("<<p>>text", "<\n\n>text"),
    ("before <!-- never closed", "before"),
    ("<p>before</p> <!-- never closed <p>hidden</p> after", "before"),
    ("<!-->after<!--->more", "aftermore"),
    ("<![CDATA[x]]>y<![ bogus >z", "yz"),
    ("<? pi ?>a<!DOCTYPE html>b<!bogus>c", "abc"),
    ("&#; &#x; &#xZZ; &; & &amp", "&#; &#x; &#xZZ; &; & &"),
    ("</p>text<br></br>", "text"),
    ("<script>unclosed script“quote,” he said", ""),
    ("\x00<p>\x00nul\x00</p>", "\x00\n\n\x00nul\x00"),
    ("", ""),
])
def test_malformed_html_is_read_as_browsers_read_it(html, text):
    assert html_to_text(html).text == text
    if not _TAG.search(text):  # where the text holds what looks like a tag, visible() cannot judge
        assert_maps_back(html)


def test_offsets_count_characters_of_the_html_as_sent():
    html = "<p>👍🏽 “Ready,” <a href='/m'>Macron</a> said.</p>\r\n<p>Next</p>"
    article = html_to_text(html)
    start = article.text.index("Macron")
    html_start, html_end = article.html_span(start, start + len("Macron"))
    assert html[html_start:html_end] == "Macron"
    assert_maps_back(html)
