"""Reported (indirect) speech: one test per shape of report, on short sentences written for them."""
from __future__ import annotations

import pytest

from helpers import check
from service.engine.result import Quote, Result

INDIRECT = ("indirect",)


@pytest.fixture
def reported(engine):
    """The indirect records of a text, its offsets and references checked."""
    def run(text: str) -> list[Quote]:
        result = check(text, engine.extract(text, include=INDIRECT))
        return [q for q in result.quotes if q.type == "indirect"]
    return run


def only(quotes: list[Quote]) -> Quote:
    assert len(quotes) == 1, [q.text for q in quotes]
    return quotes[0]


def test_off_unless_asked(engine):
    result: Result = engine.extract("The mayor said that the bridge would reopen in March.")
    assert result.quotes == [] and result.speakers == []


@pytest.mark.parametrize("text, content, mention, cue, method", [
    # a that-clause keeps its "that"
    ("The mayor said that the bridge would reopen in March.",
     "that the bridge would reopen in March", "The mayor", "said", "reported_speech"),
    # a bare complement
    ("Ms Laine told reporters the council would vote on the budget next week.",
     "the council would vote on the budget next week", "Ms Laine", "told", "reported_speech"),
    # inverted: the attribution after its content
    ("The new budget is dead on arrival, the senator said.",
     "The new budget is dead on arrival", "the senator", "said", "reported_speech"),
    ("According to the ministry, twenty countries have pledged soldiers to the mission.",
     "twenty countries have pledged soldiers to the mission", "the ministry", "According to", "according_to"),
    ("The border will stay closed until Friday, according to a police spokesman.",
     "The border will stay closed until Friday", "a police spokesman", "according to", "according_to"),
    # a colon lead-in without quotation marks
    ("The minister told parliament: the new border checks will start on Monday.",
     "the new border checks will start on Monday", "The minister", "told", "reported_speech"),
    # a request, with its addressee
    ("Ms Laine urged the council to approve the harbour plan before the summer.",
     "the council to approve the harbour plan before the summer", "Ms Laine", "urged", "reported_speech"),
])
def test_shapes_of_report(reported, text, content, mention, cue, method):
    quote = only(reported(text))
    assert (quote.text, quote.speaker.mention.text, quote.cue.text, quote.method) == (content, mention, cue, method)


def test_content_split_by_its_attribution_shares_a_group(reported):
    first, second = reported("The harbour plan, Mr Okafor said, would cost far more than the city can afford.")
    assert (first.text, second.text) == ("The harbour plan", "would cost far more than the city can afford")
    assert first.group == second.group
    assert first.speaker.name == second.speaker.name == "Okafor"


def test_mixed_direct_and_indirect(engine):
    text = 'Ms Laine said the council was ready to give "firm guarantees" to the residents.'
    result = check(text, engine.extract(text, include=INDIRECT))
    direct = [q for q in result.quotes if q.type != "indirect"]
    assert [q.text for q in direct] == ["firm guarantees"]
    quote = only([q for q in result.quotes if q.type == "indirect"])
    assert quote.text == 'the council was ready to give "firm guarantees" to the residents'
    assert quote.group != direct[0].group
    assert quote.speaker.id == direct[0].speaker.id


def test_wholly_quoted_content_is_left_to_the_direct_quote(reported):
    assert reported('"We will rebuild the bridge before the winter," Ms Laine said.') == []


def test_beliefs_and_perceptions_are_left_out(reported):
    assert reported("Mr Okafor believes the harbour plan will fail. He thinks the budget is too small. "
                    "She knows the vote will be close and hopes the council will agree.") == []


def test_pronoun_speaker_is_resolved(reported):
    quotes = reported("Mayor Anna Laine opened the bridge on Monday. She said the repairs had cost less than planned.")
    assert only(quotes).speaker.name == "Anna Laine"
    assert quotes[0].speaker.mention.text == "She"


def test_direct_quotes_are_the_same_with_reported_speech(engine):
    text = ('"We are ready," an official said. The minister told parliament the checks would start soon.\n\n'
            'Mr Okafor said he would "fight the plan" in court.')
    def seen(quotes: list[Quote]) -> list[tuple]:  # speaker ids follow the order speakers appear in
        return [(q.id, q.text, q.start, q.type, q.group, q.confidence, q.method, q.cue,
                 q.speaker and (q.speaker.name, q.speaker.mention)) for q in quotes]

    plain = engine.extract(text)
    both = engine.extract(text, include=INDIRECT)
    assert seen([q for q in both.quotes if q.type != "indirect"]) == seen(plain.quotes)
    assert [q.id for q in both.quotes] == [f"q{n}" for n in range(len(both.quotes))]
