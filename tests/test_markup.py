"""Markup in a plain-text article (service/engine/text/markup.py): blanked for the parser, kept out of names."""
from __future__ import annotations

import pytest

from service.engine.text.markup import blank_markup, clean_name, clean_span, markup_spans


def test_tags_and_comments_are_blanked_to_the_same_length():
    text = '<p class="a" data-n=42>“Yes,” <a href=/x title=\'a > b\'>he</a> said.<!-- note --></p> a < b > c'
    blanked = blank_markup(text)
    assert len(blanked) == len(text)
    assert blanked.split() == ["“Yes,”", "he", "said.", "a", "<", "b", ">", "c"]


@pytest.mark.parametrize(("text", "start", "end", "clean"), [
    ('<a href="/m">Mr Macron</a> said', 3, 24, "Mr Macron"),
    ("the <span class='role'>foreign minister</span> said", 0, 45, "foreign minister"),
    ("Emmanuel</b> <i>Macron said", 0, 22, "Macron"),
    ("“Macron said", 0, 7, "Macron"),
    ("Sean O'Brien’s team", 0, 14, "Sean O'Brien’s"),
    ("<b></b>", 0, 7, None),
])
def test_a_mention_keeps_its_last_stretch_free_of_markup_and_marks(text, start, end, clean):
    span = clean_span(text, start, end, markup_spans(text))
    assert (text[span[0]:span[1]] if span else None) == clean


def test_a_name_without_markup_is_kept_as_it_is():
    assert clean_name("Jean-Noel Barrot") == "Jean-Noel Barrot"
    assert clean_name('Jean “JJ” Barrot') == "Barrot"
    assert clean_name("<b>") == ""
