"""Speakers a reader would name: one test (or a few) per cause of a wrong speaker, on short sentences
of the shapes news copy uses."""
from __future__ import annotations

import pytest

from service.engine.model import Result
from test_engine import check, only, quote_of, speaker_of


@pytest.fixture
def extract(engine):
    def run(text: str) -> Result:
        return check(text, engine.extract(text))
    return run


def test_who_in_a_relative_clause_is_the_mention_and_names_the_person(extract):
    text = ("“People are tired,” said Councillor Dana Price, who warned that the mayor must "
            "“listen to the neighbourhoods before it is too late.”")
    result = extract(text)
    quote = quote_of(result, "listen to the neighbourhoods before it is too late.")
    assert quote.speaker.mention.text == "who"
    assert quote.speaker.name == "Dana Price"
    assert speaker_of(result, quote) is speaker_of(result, quote_of(result, "People are tired,"))


@pytest.mark.parametrize("text, name", [
    ("Councillor Dana Price credited Premier Doug Ford's budget with “a real chance to fix the roads "
     "this summer.”", "Dana Price"),
    ("Anne O'Rourke-Benoit estimated that Mark Carney's plan would leave “about two thousand families "
     "without a home by spring.”", "Anne O'Rourke-Benoit"),
], ids=["credited", "estimated"])
def test_a_quote_in_narration_is_the_subject_s_not_the_nearest_name(extract, text, name):
    quote = only(extract(text))
    assert quote.speaker.name == name
    assert quote.method == "clause_subject"
