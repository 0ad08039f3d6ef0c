"""Each sieve on its own, on short sentences of its shape: the speaker it gives and the ``method`` it
stamps, and what it leaves open for the sieves after it.

An engine here runs one sieve, ``Engine(nlp, sieves=[X.SIEVE])``, over the session's model. A sieve
that passes on what an earlier one decided (``group``, ``same_paragraph``, ``conversation``) runs
after ``speech_verb``, which gives it something to pass on.
"""
from __future__ import annotations

import importlib
import pkgutil
from types import ModuleType

import pytest

from helpers import check
from service.engine import Engine
from service.engine.attribution import sieves as sieve_package
from service.engine.attribution.sieve import CALIBRATION
from service.engine.attribution.sieves import (
    according_to,
    clause_subject,
    conversation,
    dash_credit,
    group,
    headline_label,
    last_subject,
    lead_in,
    nearest_person,
    noun_cue,
    same_paragraph,
    speech_verb,
    speech_verb_paragraph,
    transcript_label,
)
from service.engine.result import Quote


@pytest.fixture(scope="module")
def extract(nlp):
    def run(modules: list[ModuleType], text: str) -> list[Quote]:
        engine = Engine(nlp, sieves=[module.SIEVE for module in modules])
        return check(text, engine.extract(text)).quotes
    return run


def quote_of(quotes: list[Quote], words: str) -> Quote:
    matches = [quote for quote in quotes if quote.text == words]
    assert matches, f"{words!r} not among {[quote.text for quote in quotes]}"
    return matches[0]


# (sieves before it, the sieve, article, the quote it decides, speaker's name, the mention it rests on)
ATTRIBUTES = [
    ([], transcript_label, "“PENCE: Well, look, we are ready,” the transcript reads.",
     "PENCE: Well, look, we are ready,", "PENCE", "PENCE"),
    ([], speech_verb, "“We are ready to talk,” an Elysee official said on Monday.",
     "We are ready to talk,", "Elysee official", "an Elysee official"),
    ([], speech_verb, "Macron said: “We will not wait any longer.”",
     "We will not wait any longer.", "Macron", "Macron"),
    ([], speech_verb, "Councillor Dana Price said she hoped America says “we are ready to talk”.",
     "we are ready to talk", "Dana Price", "Councillor Dana Price"),  # America cannot speak: the clause above
    ([], according_to, "“We are ready to talk,” according to the ministry.",
     "We are ready to talk,", "ministry", "the ministry"),
    ([], dash_credit, "“Never give up on the people you love.” — Jane Doe, chief economist",
     "Never give up on the people you love.", "Jane Doe", "Jane Doe"),
    ([], lead_in, "The minister was blunt: “We will not pay for this.”",
     "We will not pay for this.", "minister", "The minister"),
    ([], lead_in, "Mr Rutte said that\n\n“we will not pay for this”",
     "we will not pay for this", "Rutte", "Mr Rutte"),
    ([speech_verb], group, "The minister said: “We are ready to talk.\n\n“We will not wait any longer.”",
     "We will not wait any longer.", "minister", "The minister"),
    ([speech_verb], same_paragraph, "“We are ready,” Mr Obama said at the gala. “Tolerance is on the ballot.”",
     "Tolerance is on the ballot.", "Obama", "Mr Obama"),
    ([speech_verb], same_paragraph, "“The rink will stay open,” Mayor Olivia Chow said at the meeting. Councillor "
                                    "Dana Price disagreed with her. “It was written for a small town.”",
     "It was written for a small town.", "Dana Price", "Councillor Dana Price"),  # the paragraph moved on
    ([], speech_verb_paragraph,
     "Barrot told reporters in Paris on Monday that the talks had “stressed the good existing cooperation”.",
     "stressed the good existing cooperation", "Barrot", "Barrot"),
    ([speech_verb], conversation, "“Are you ready to go?” Mr Smith asked.\n\n“We are ready to go.”",
     "We are ready to go.", "Smith", "Mr Smith"),
    ([], nearest_person, "Joe Biden visited the plant on Monday. “This is a great day for American workers.”",
     "This is a great day for American workers.", "Joe Biden", "Joe Biden"),
    ([], clause_subject, "Councillor Dana Price credited Premier Doug Ford's budget with “a real chance to fix "
                         "the roads this summer.”", "a real chance to fix the roads this summer.", "Dana Price",
     "Councillor Dana Price"),
    ([], headline_label, "Chow: Council Will Fix Roads, ‘We Have The Money This Time’\n\nThe mayor spoke.",
     "We Have The Money This Time", "Chow", "Chow"),
    ([speech_verb], last_subject, "“The rink will stay open,” Mayor Olivia Chow said.\n\nCouncillor Dana Price "
                                  "told reporters the bylaw was outdated.\n\n“It was written for a small town.”",
     "It was written for a small town.", "Dana Price", "Councillor Dana Price"),
    ([speech_verb], last_subject, "“The uncertainty is the main concern,” Defence Minister Hishammuddin Hussein "
                                  "said.\n\nCarter said that critics had long predicted an American withdrawal "
                                  "from the region.\n\n“That is not going to happen.”",
     "That is not going to happen.", "Carter", "Carter"),  # the main clause's subject, not the critics
    ([speech_verb], last_subject, "“The rink will stay open,” Mayor Olivia Chow said.\n\nCouncillor Dana Price "
                                  "disagreed with the mayor. She told reporters the bylaw was outdated.\n\n"
                                  "“It was written for a small town.”",
     "It was written for a small town.", "Dana Price", "She"),  # the pronoun the narration moved on with
    ([], noun_cue, "“Nobody will lose a job over this,” was the reply of the transit minister.",
     "Nobody will lose a job over this,", "transit minister", "the transit minister"),
]

# (sieves before it, the sieve, article, a quote it has no evidence for)
LEAVES_OPEN = [
    ([], transcript_label, "“Well, look, we are ready,” the transcript reads.", "Well, look, we are ready,"),
    ([], speech_verb, "The minister left the room. “We will not pay for this.”", "We will not pay for this."),
    ([], according_to, "“We are ready to talk,” the minister said.", "We are ready to talk,"),
    ([], dash_credit, "“Never give up on the people you love,” the minister said.",
     "Never give up on the people you love,"),
    ([], lead_in, "“We will not pay for this.” The minister left the room.", "We will not pay for this."),
    ([], group, "The minister said: “We are ready to talk.\n\n“We will not wait any longer.”",
     "We will not wait any longer."),
    ([], same_paragraph, "“We are ready,” Mr Obama said at the gala. “Tolerance is on the ballot.”",
     "Tolerance is on the ballot."),
    ([], speech_verb_paragraph, "The talks had “stressed the good existing cooperation” between the two.",
     "stressed the good existing cooperation"),
    ([], conversation, "“Are you ready to go?” Mr Smith asked.\n\n“We are ready to go.”", "We are ready to go."),
    ([speech_verb], conversation,
     "“Are you ready to go?” Mr Smith asked.\n\n“We are ready to go.”\n\nThe weather was fine on the day.\n\n"
     "It rained later.\n\n“We are not ready.”", "We are not ready."),
    ([speech_verb], conversation,
     "“Are you ready to go?” Mr Smith asked.\n\nAn aide to the senator shook her head.\n\n“We are not ready.”",
     "We are not ready."),  # the narration moved on to someone else: no alternation
    ([], nearest_person, "Joe Biden visited the plant on Monday.\n\n“This is a great day for American workers.”",
     "This is a great day for American workers."),
    ([], clause_subject, "The report was published on Monday. “It was written for a small town.”",
     "It was written for a small town."),
    ([], headline_label, "The council will fix the roads, ‘We have the money this time,’ the mayor said.",
     "We have the money this time,"),
    ([speech_verb], last_subject, "“The rink will stay open,” Mayor Olivia Chow said.\n\n“It was written for "
                                  "a small town.”", "It was written for a small town."),
    ([], noun_cue, "“Nobody will lose a job over this,” the transit minister said.",
     "Nobody will lose a job over this,"),
]

# A sieve that is not sure of its evidence leaves a term in quotation marks (a scare quote) without a
# speaker, although it would attribute a quoted sentence in the same place (ATTRIBUTES above).
SCARE_QUOTES = [
    ([speech_verb], same_paragraph, "“We are ready,” Mr Obama said at the gala. The speech was a “backstop” "
                                    "for the campaign.", "backstop"),
    ([], speech_verb_paragraph, "Barrot told reporters on Monday that the talks were a “backstop” for the "
                                "region.", "backstop"),
    ([speech_verb], conversation, "“Are you ready to go?” Mr Smith asked.\n\n“in due course”", "in due course"),
    ([], nearest_person, "Joe Biden visited the plant on Monday, a “great day” for the town.", "great day"),
]


def _ids(cases) -> list[str]:
    return [case[1].NAME for case in cases]


@pytest.mark.parametrize("before, module, text, words, name, mention", ATTRIBUTES, ids=_ids(ATTRIBUTES))
def test_the_sieve_attributes_a_quote_of_its_shape(extract, before, module, text, words, name, mention):
    quote = quote_of(extract([*before, module], text), words)
    assert quote.method == module.NAME
    assert quote.speaker is not None, f"{module.NAME} left {words!r} without a speaker"
    assert (quote.speaker.name, quote.speaker.mention.text) == (name, mention)


@pytest.mark.parametrize("before, module, text, words", LEAVES_OPEN, ids=_ids(LEAVES_OPEN))
def test_the_sieve_leaves_open_what_it_has_no_evidence_for(extract, before, module, text, words):
    quote = quote_of(extract([*before, module], text), words)
    assert quote.speaker is None and quote.method is None, f"{module.NAME} gave {words!r} to {quote.speaker}"


@pytest.mark.parametrize("before, module, text, words", SCARE_QUOTES, ids=_ids(SCARE_QUOTES))
def test_a_sieve_not_sure_of_its_evidence_leaves_a_scare_quote_open(extract, before, module, text, words):
    assert not module.SIEVE.sure
    quote = quote_of(extract([*before, module], text), words)
    assert quote.type == "partial"
    assert quote.speaker is None and quote.method is None


def test_a_sure_sieve_attributes_a_short_fragment(extract):
    assert speech_verb.SIEVE.sure
    quote = quote_of(extract([speech_verb], "Trump said he was “very disappointed” by the vote."),
                     "very disappointed")
    assert quote.type == "partial"
    assert (quote.method, quote.speaker.name) == ("speech_verb", "Trump")


def test_every_sieve_is_tested_here_and_named_after_its_module():
    modules = {info.name for info in pkgutil.iter_modules(sieve_package.__path__)}
    tested = {case[1].NAME for case in ATTRIBUTES} & {case[1].NAME for case in LEAVES_OPEN}
    assert modules == tested, f"sieves without a test of their own here: {sorted(modules - tested)}"
    for name in modules:
        assert importlib.import_module(f"{sieve_package.__name__}.{name}").SIEVE.name == name


def test_every_sieve_carries_its_calibration():
    modules = [importlib.import_module(f"{sieve_package.__name__}.{info.name}")
               for info in pkgutil.iter_modules(sieve_package.__path__)]
    missing = sorted(module.SIEVE.name for module in modules if module.SIEVE.name not in CALIBRATION)
    assert not missing, f"no entry in calibration.json for {missing} (quotes evaluate --write-calibration)"
    assert all(0 < module.SIEVE.confidence <= 1 for module in modules)
