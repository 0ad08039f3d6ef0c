"""The engine's cost counting, its deadline and its memory zone: no Flask, the real model."""
from __future__ import annotations

import pytest

from service.engine.cost import Cost, cost_of
from service.engine.deadline import Deadline, DeadlinePassed
from service.engine.nlp import attributes
from service.engine.nlp.parsing import parse

UNSEEN = "Zqxvorblatt Kwirnepholm"  # words no model has seen
ARTICLE = f"“We will not wait,” {UNSEEN} said on Monday. The {UNSEEN.lower()}s agreed."


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_cost_counts_tokens_and_quotation_marks():
    assert cost_of(["“Yes,” he said."]) == Cost(tokens=7, quote_marks=2)
    assert cost_of(["a b", "\"c\""]) == Cost(tokens=5, quote_marks=2)
    assert cost_of([]) == Cost()


def test_cost_counts_what_the_engine_works_on():
    # A long stretch without spaces is parsed in tokens of 100 characters; stray marks open no quote.
    assert cost_of(["x" * 1_000]) == Cost(tokens=10, quote_marks=0)
    assert cost_of(['"' * 1_000]).quote_marks == 0
    assert cost_of(["“Yes,” he said. “No"]).quote_marks == 3


def test_a_deadline_passes_on_its_clock():
    clock = Clock()
    deadline = Deadline(2.5, clock=clock)
    deadline.check("here")
    clock.now += 2.4
    assert deadline.remaining() == pytest.approx(0.1)
    clock.now += 0.1
    with pytest.raises(DeadlinePassed, match="2.5 s passed here"):
        deadline.check("here")


def test_the_engine_stops_at_a_passed_deadline(engine):
    with pytest.raises(DeadlinePassed) as raised:
        engine.extract(ARTICLE, deadline=Deadline(0))
    assert "Kwirnepholm" not in str(raised.value)
    with pytest.raises(DeadlinePassed):
        list(engine.extract_many([ARTICLE, ARTICLE], deadline=Deadline(0)))


def test_a_deadline_not_reached_changes_nothing(engine):
    within, without = engine.extract(ARTICLE, deadline=Deadline(60)), engine.extract(ARTICLE)
    assert (within.quotes, within.speakers) == (without.quotes, without.speakers)


def test_the_sieves_check_the_deadline_between_them(engine):
    """A deadline that passes once parsing is done stops the work before the next sieve."""
    clock = Clock()
    deadline = Deadline(1, clock=clock)
    checks = []

    def tick() -> float:
        checks.append(clock.now)
        if len(checks) > 2:  # the parse batch checked it; then the first sieve finds it passed
            clock.now += 5
        return clock.now

    deadline._clock = tick
    with pytest.raises(DeadlinePassed, match="sieve"):
        engine.extract(ARTICLE, deadline=deadline)


def test_new_words_leave_no_string_behind(engine):
    strings = engine.nlp.vocab.strings
    result = engine.extract(ARTICLE)
    assert result.quotes[0].speaker is not None and result.quotes[0].speaker.mention.text == UNSEEN
    for word in UNSEEN.split():
        assert word not in strings and word.lower() not in strings
    tables = engine.nlp.get_pipe(attributes.NAME)
    orths = [key for key in tables._forms if key not in strings]
    lemmas = [key for key, lemma in tables._lemmas.items() if key[0] not in strings or lemma not in strings]
    assert orths == [] and lemmas == []


def test_annotations_after_a_zone_are_those_of_a_fresh_table(engine):
    """Answers from the tables kept across zones equal answers learned from scratch."""
    texts = [ARTICLE, "He said the Zqxvorblatt report was wrong. They are going.", ARTICLE]

    def annotations(doc):
        return [(t.text, t.tag_, t.pos_, str(t.morph), t.lemma_) for t in doc]

    seen = []
    for text in texts:
        with engine.memory_zone():
            seen.append(annotations(parse(engine.nlp, text)))
    engine.nlp.get_pipe(attributes.NAME).clear()
    with engine.memory_zone():
        assert annotations(parse(engine.nlp, texts[2])) == seen[2]
