"""Quotation-mark scanning on short wire-style sentences: which stretches are quoted, and how they group.

Pure detection through ``find_quotes``: no model is loaded here.
"""
from __future__ import annotations

import time

import pytest

from service.engine.text.marks import find_quotes, paragraphs


def quoted(text: str) -> list[str]:
    """The quoted stretches of ``text``, after checking each record's offsets point at its own words."""
    spans = find_quotes(text)
    for span in spans:
        assert 0 <= span.start < span.end <= len(text), f"offsets {span.start}..{span.end} outside the text"
        assert text[span.open_mark.pos:span.open_mark.end] == span.open_mark.text
        assert span.open_mark.end <= span.start
        if span.close_mark is not None:
            assert text[span.close_mark.pos:span.close_mark.end] == span.close_mark.text
            assert span.end <= span.close_mark.pos
        assert text[span.start:span.end] == text[span.start:span.end].strip(), "quoted words are not trimmed"
    return [text[span.start:span.end] for span in spans]


def groups(text: str) -> list[int]:
    return [span.group for span in find_quotes(text)]


# --- the marks themselves ------------------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    '"We will not back down," the minister said on Tuesday.',
    "“We will not back down,” the minister said on Tuesday.",
    "''We will not back down,'' the minister said on Tuesday.",
    "``We will not back down,'' the minister said on Tuesday.",
    "‘We will not back down,’ the minister said on Tuesday.",
    "'We will not back down,' the minister said on Tuesday.",
], ids=["straight", "curly", "two-apostrophes", "backticks", "single-curly", "single-straight"])
def test_each_style_of_mark_delimits_the_quote(text):
    assert quoted(text) == ["We will not back down,"]


def test_straight_double_marks_after_a_colon():
    text = 'The mayor told reporters: "The bridge will reopen on Monday."'
    assert quoted(text) == ["The bridge will reopen on Monday."]


def test_curly_double_marks_in_mid_sentence():
    text = "Trump said he was “very disappointed” in Putin after the call."
    assert quoted(text) == ["very disappointed"]


def test_two_apostrophes_as_double_marks_in_archive_copy():
    text = "The senator said he was ''deeply troubled'' by the ruling. ''We will appeal,'' he added."
    assert quoted(text) == ["deeply troubled", "We will appeal,"]


def test_single_curly_marks_as_primary_quotes_with_apostrophes_inside():
    text = ("‘We’re not going anywhere,’ the prime minister’s spokesman said. "
            "‘It’s Labour’s job to explain.’")
    assert quoted(text) == ["We’re not going anywhere,", "It’s Labour’s job to explain."]


@pytest.mark.parametrize("text, words", [
    ("«Nous sommes prêts», a déclaré le ministre.", "Nous sommes prêts"),
    ("« Nous sommes prêts », a déclaré le ministre.", "Nous sommes prêts"),
    ("The minister said: « We are ready to talk to everyone. »", "We are ready to talk to everyone."),
], ids=["tight", "spaced", "english-spaced"])
def test_guillemets(text, words):
    assert quoted(text) == [words]


@pytest.mark.parametrize("text, words", [
    ("„Wir schaffen das“, sagte die Kanzlerin.", ["Wir schaffen das"]),
    ("„Wir schaffen das“ sagte sie. „Ganz sicher.“", ["Wir schaffen das", "Ganz sicher."]),
], ids=["one", "two"])
def test_german_low_high_marks(text, words):
    assert quoted(text) == words


# --- nesting ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("text, outer", [
    ("“He looked at me and said ‘we are done here’ before he walked out,” she said.",
     "He looked at me and said ‘we are done here’ before he walked out,"),
    ('"He looked at me and said \'we are done here\' before he walked out," she said.',
     "He looked at me and said 'we are done here' before he walked out,"),
    ("“The order said ‘evacuate now’,” the fire chief said.", "The order said ‘evacuate now’,"),
    ("‘The sign on the door said “closed” all week,’ a shopper said.",
     "The sign on the door said “closed” all week,"),
    ("‘They said “no” and then “never”,’ the shopper said.", "They said “no” and then “never”,"),
], ids=["curly", "straight", "inner-at-the-end", "single-outer", "single-outer-two-inner"])
def test_only_the_outer_quote_is_reported(text, outer):
    assert quoted(text) == [outer]


@pytest.mark.parametrize("text, outer", [
    ("“We told them “no” three times,” the mayor said.", "We told them “no” three times,"),
    ('"We told them "no" three times," the mayor said.', 'We told them "no" three times,'),
    ("“They said “never” and “not now”,” she said.", "They said “never” and “not now”,"),
    ("The mayor said: “We told them “no” three times.” Then he left.", "We told them “no” three times."),
])
def test_an_inner_quote_typed_with_the_outer_quotes_own_marks(text, outer):
    assert quoted(text) == [outer]


@pytest.mark.parametrize("text, words", [
    ("“An opening never closed. “A quote,” he said.", ["A quote,"]),
    ("“Never closed, “then” and “again” in a row", ["then", "again"]),
    ("“A,” “B,” “C,” they chanted.", ["A,", "B,", "C,"]),
])
def test_an_earlier_quote_left_open_is_not_taken_for_an_outer_one(text, words):
    assert quoted(text) == words


def test_inner_quote_at_the_end_of_a_straight_outer_quote():
    text = "\"Voters told us 'enough is enough',\" the campaign manager said."
    assert quoted(text) == ["Voters told us 'enough is enough',"]


# --- apostrophes --------------------------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "Macron's office said Ukraine’s allies would meet again in London.",
    "Prices have not been this high since the '90s, analysts said.",
    "Prices have not been this high since the ’90s, analysts said.",
    "The debate over the states' rights clause returned to the court.",
    "The players’ union said it would strike, and the clubs' owners didn't respond.",
    "Officials said they'd review the rules by the summer of '26.",
    "'Tis the season, the mayor's office said.",
    "The museum opens a rock 'n' roll exhibition on Friday.",
    "The museum opens a rock ’n’ roll exhibition on Friday.",
], ids=["possessive", "decade-straight", "decade-curly", "plural-possessive", "plural-possessive-mixed",
        "contractions", "leading-elision", "rock-n-roll-straight", "rock-n-roll-curly"])
def test_apostrophes_are_not_quotation_marks(text):
    assert quoted(text) == []


def test_apostrophes_inside_a_quote_do_not_close_it():
    text = "\"Ukraine's army is not the '90s army, and it won't be again,\" the general said."
    assert quoted(text) == ["Ukraine's army is not the '90s army, and it won't be again,"]


def test_apostrophes_around_a_quote_do_not_disturb_it():
    text = "Macron's aide said the talks were “a first step” and Ukraine's envoy agreed."
    assert quoted(text) == ["a first step"]


def test_plural_possessive_before_a_single_quoted_quote():
    text = "The workers' leader told the crowd: ‘We will not accept this offer.’"
    assert quoted(text) == ["We will not accept this offer."]


def test_rock_n_roll_inside_a_quote():
    text = "“It was pure rock 'n' roll from start to finish,” the promoter said."
    assert quoted(text) == ["It was pure rock 'n' roll from start to finish,"]


# --- paragraphs and groups ----------------------------------------------------------------------------

def test_paragraphs_skip_blank_lines():
    text = "First paragraph.\n\nSecond paragraph.\r\nThird."
    assert [text[p.start:p.end] for p in paragraphs(text)] == ["First paragraph.", "Second paragraph.", "Third."]
    assert [p.index for p in paragraphs(text)] == [0, 1, 2]


def test_quote_continued_over_paragraphs():
    text = ("“We will rebuild every school and every clinic.\n\n"
            "“And we will do it before the winter,” the mayor said.")
    spans = find_quotes(text)
    assert quoted(text) == ["We will rebuild every school and every clinic.",
                            "And we will do it before the winter,"]
    assert [s.paragraph for s in spans] == [0, 1]
    assert spans[0].group == spans[1].group
    assert spans[0].continues and not spans[0].closed


def test_quote_continued_over_three_paragraphs():
    text = ("The minister said: \"The first step is a ceasefire.\n"
            "\"The second is the return of prisoners.\n"
            "\"The third is a conference on reconstruction.\"\n"
            "\"That is a separate matter,\" she added later.")
    spans = find_quotes(text)
    assert quoted(text) == ["The first step is a ceasefire.", "The second is the return of prisoners.",
                            "The third is a conference on reconstruction.", "That is a separate matter,"]
    assert [s.paragraph for s in spans] == [0, 1, 2, 3]
    assert spans[0].group == spans[1].group == spans[2].group
    assert spans[3].group != spans[2].group


def test_next_paragraph_not_opening_with_a_mark_ends_the_group():
    text = ("“We will rebuild every school.\n"
            "The mayor spoke after touring the damage. “It will take years,” she said.")
    spans = find_quotes(text)
    assert quoted(text) == ["We will rebuild every school.", "It will take years,"]
    assert spans[0].group != spans[1].group
    assert not spans[0].continues


def test_a_new_transcript_label_ends_the_continued_quote():
    text = "“PENCE: Well, look, we have been clear.\n“HARRIS: Mr Vice President, I'm speaking.”"
    spans = find_quotes(text)
    assert [text[s.start:s.end] for s in spans] == ["PENCE: Well, look, we have been clear.",
                                                     "HARRIS: Mr Vice President, I'm speaking."]
    assert not spans[0].continues
    assert groups(text) == [0, 1]


def test_interrupted_quote_shares_a_group():
    text = "“We are ready,” he said, “to act.”"
    spans = find_quotes(text)
    assert quoted(text) == ["We are ready,", "to act."]
    assert spans[0].group == spans[1].group


def test_interrupted_quote_with_straight_marks():
    text = '"The talks," the envoy said on Monday, "were constructive but difficult."'
    spans = find_quotes(text)
    assert quoted(text) == ["The talks,", "were constructive but difficult."]
    assert spans[0].group == spans[1].group


def test_quotes_separated_by_a_full_stop_are_separate_groups():
    text = "“We are ready,” he said. “We will act.”"
    assert quoted(text) == ["We are ready,", "We will act."]
    assert len(set(groups(text))) == 2


def test_groups_number_quotations_in_order():
    text = ("“First,” she said, “we vote.”\n"
            "“Then we talk.”\n"
            "Her rival said it was “premature”.")
    assert groups(text) == [0, 0, 1, 2]


def test_paragraph_indices_of_quotes():
    text = "The storm hit overnight.\n\n“We lost everything,” a farmer said.\n\nRepairs begin on Monday."
    assert [s.paragraph for s in find_quotes(text)] == [1]


# --- unbalanced and hostile input ---------------------------------------------------------------------

def test_empty_text():
    assert find_quotes("") == []
    assert paragraphs("") == []


def test_text_without_quotes():
    assert quoted("The central bank held rates at 4.25 percent on Thursday.") == []


def test_unclosed_quote_at_the_end_runs_to_the_end_of_the_paragraph():
    text = "He said “we are ready to act, whatever it costs.\nThe vote is on Friday."
    spans = find_quotes(text)
    assert quoted(text) == ["we are ready to act, whatever it costs."]
    assert not spans[0].closed


def test_unclosed_quote_at_the_start_of_the_text():
    text = "“We will win this election, the candidate told supporters in Ohio on Saturday."
    assert quoted(text) == ["We will win this election, the candidate told supporters in Ohio on Saturday."]


def test_unclosed_quote_followed_by_a_new_quote_of_the_same_style():
    text = 'He said "we are ready. Later he added: "We will act tomorrow."'
    assert quoted(text)[-1] == "We will act tomorrow."


def test_stray_closing_mark_is_ignored():
    text = "“We are ready,” he said. ” The vote is on Friday."
    assert quoted(text) == ["We are ready,"]


def test_lone_mark_gives_nothing():
    assert quoted("“") == []
    assert quoted('"') == []
    assert quoted("''") == []


def test_empty_quote_is_not_reported():
    assert quoted("The label read “ ” and nothing else.") == []


@pytest.mark.parametrize("text", [
    '"' * 10_000,
    "“" * 10_000,
    "”" * 10_000,
    "'" * 10_000,
    "«" * 10_000,
    "“”" * 5_000,
    '"a' * 5_000,
    "“" + "word " * 20_000,
    "'" * 5_000 + " said " + "'" * 5_000,
    ('"' + "\n") * 5_000,
], ids=["straight", "curly-open", "curly-close", "apostrophes", "guillemets", "curly-pairs", "straight-words",
        "unclosed-long", "apostrophes-around", "a-mark-a-line"])
def test_hostile_runs_of_marks_return_quickly(text):
    started = time.perf_counter()
    quoted(text)
    assert time.perf_counter() - started < 1.0


# --- scare quotes are still found here (typing them is the engine's job) --------------------------------

def test_scare_quotes_and_terms_are_found():
    text = "Leaders of the so-called \"coalition of the willing\" met in Paris to discuss the ‘backstop’."
    assert quoted(text) == ["coalition of the willing", "backstop"]
    assert len(set(groups(text))) == 2


def test_markup_attributes_are_not_quotes():
    text = '<tweet author="Jane Doe">We are ready.</tweet> “It is done,” she wrote.'
    assert quoted(text) == ["It is done,"]
