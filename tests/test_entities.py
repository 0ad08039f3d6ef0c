"""The article's entity view: who could speak, in order, and who the narration was last about."""
from __future__ import annotations

from service.engine.context import Context
from service.engine.entities import entity_view
from service.engine.marks import find_quotes, paragraphs
from service.engine.masking import mask_quotes
from service.engine.parsing import parse


def view_of(engine, text: str):
    found = find_quotes(text)
    ctx = Context(text, parse(engine.nlp, mask_quotes(text, found)), found, paragraphs(text))
    return ctx, entity_view(ctx)


def test_subjects_of_narration_and_of_speech_are_mentions(engine):
    text = ("Councillor Dana Price told reporters the bylaw was outdated. The report said it was costly. "
            "She met Olivia Chow later.")
    _, view = view_of(engine, text)
    mentions = [(m.span.text, m.subject, m.pronoun) for m in view.mentions]
    assert ("Councillor Dana Price", True, None) in mentions
    assert ("The report", True, None) in mentions
    assert ("She", True, "female") in mentions
    assert ("Olivia Chow", False, None) in mentions
    assert not any(text == "the bylaw" for text, _, _ in mentions)  # a bylaw cannot speak


def test_the_last_subject_before_a_position(engine):
    text = "Mayor Olivia Chow spoke first. Dana Price answered her. “No.”"
    _, view = view_of(engine, text)
    assert view.last_subject(text.index("“No")).span.text == "Dana Price"
    assert view.last_subject(text.index("Dana")).span.text == "Mayor Olivia Chow"
    assert view.last_subject(text.index("Dana"), floor=text.index("spoke")) is None
