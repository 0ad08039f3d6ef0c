"""The engine end to end on short wire-style sentences: one test (or a few) per phenomenon it must handle.

Every result is checked record by record: each quote, speaker mention, cue and speaker mention list
points at its own text in the article, quotes and speakers refer to each other, and every attributed
quote says which rule attributed it.
"""
from __future__ import annotations

import time
from itertools import pairwise

import pytest

from helpers import check, only, quote_of, speaker_of


def mention_texts(speaker) -> list[str]:
    return [m.text for m in speaker.mentions]


# --- detection: the marks ------------------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    '"We will not back down," the defence minister said on Tuesday.',
    "“We will not back down,” the defence minister said on Tuesday.",
    "''We will not back down,'' the defence minister said on Tuesday.",
    "‘We will not back down,’ the defence minister said on Tuesday.",
], ids=["straight", "curly", "two-apostrophes", "single-curly"])
def test_each_style_of_mark_gives_one_attributed_direct_quote(extract, text):
    result = extract(text)
    quote = only(result)
    assert quote.text == "We will not back down,"
    assert quote.type == "direct"
    assert quote.speaker.mention.text == "the defence minister"
    assert quote.cue.text == "said"


def test_single_curly_primary_quote_with_apostrophes_inside(extract):
    text = "‘We’re not going anywhere,’ Boris Johnson told reporters in Downing Street."
    quote = only(extract(text))
    assert quote.text == "We’re not going anywhere,"
    assert quote.speaker.name == "Boris Johnson"


def test_guillemets(extract):
    text = "The minister told reporters in Brussels: « We are ready to talk to everyone. »"
    quote = only(extract(text))
    assert quote.text == "We are ready to talk to everyone."
    assert quote.type == "direct"
    assert quote.speaker.mention.text == "The minister"


def test_outer_quote_holding_an_inner_one_is_one_record(extract):
    text = "“He looked at me and said ‘we are done here’ before he walked out,” the witness told the court."
    result = extract(text)
    quote = only(result)
    assert quote.text == "He looked at me and said ‘we are done here’ before he walked out,"
    assert quote.speaker.mention.text == "the witness"


def test_apostrophes_are_not_quotation_marks(extract):
    text = ("Macron's office said Ukraine’s allies would meet in London, in talks that recalled the '90s "
            "and the states' rights debates. “We are not there yet,” an aide said.")
    result = extract(text)
    quote = only(result)
    assert quote.text == "We are not there yet,"
    assert quote.speaker.mention.text == "an aide"


def test_single_quote_holding_a_double_quoted_one(extract):
    text = "‘The sign on the door said “closed” all week,’ a shopper told the paper."
    quote = only(extract(text))
    assert quote.text == "The sign on the door said “closed” all week,"
    assert quote.speaker.mention.text == "a shopper"
    assert quote.cue.text == "told"


def test_rock_n_roll_is_not_attributed_speech(extract):
    text = "The museum opens a rock 'n' roll exhibition on Friday, the director said."
    assert extract(text).quotes == []


def test_apostrophes_inside_a_quote(extract):
    text = "“Ukraine's army is not the '90s army,” said General Valery Zaluzhny."
    quote = only(extract(text))
    assert quote.text == "Ukraine's army is not the '90s army,"
    assert quote.speaker.name == "Valery Zaluzhny"


# --- detection: groups ---------------------------------------------------------------------------------

def test_quote_continued_over_paragraphs(extract):
    text = ("“We will rebuild every school and every clinic.\n\n"
            "“And we will do it before the winter,” Mayor Vitali Klitschko said.")
    result = extract(text)
    first, second = result.quotes
    assert first.text == "We will rebuild every school and every clinic."
    assert second.text == "And we will do it before the winter,"
    assert (first.paragraph, second.paragraph) == (0, 1)
    assert first.group == second.group
    assert first.speaker.id == second.speaker.id
    assert first.speaker.name == "Vitali Klitschko"
    assert len(result.speakers) == 1


def test_interrupted_quote(extract):
    text = "Defence Secretary John Healey spoke after the vote. “We are ready,” he said, “to act.”"
    result = extract(text)
    first, second = result.quotes
    assert (first.text, second.text) == ("We are ready,", "to act.")
    assert first.group == second.group
    assert first.speaker.id == second.speaker.id
    assert first.speaker.name == second.speaker.name == "John Healey"
    assert first.speaker.mention.text == "he"
    assert first.type == second.type == "direct"


def test_interrupted_quote_with_the_speaker_unknown(extract):
    text = "“We are ready,” he said, “to act.”"
    result = extract(text)
    first, second = result.quotes
    assert first.group == second.group
    assert first.speaker.id == second.speaker.id
    assert len(result.speakers) == 1


def test_separate_sentences_are_separate_groups(extract):
    text = "“We are ready,” the general said. “The order has been given.”"
    result = extract(text)
    first, second = result.quotes
    assert first.group != second.group


# --- detection: unbalanced marks and scare quotes -----------------------------------------------------

def test_stray_closing_mark(extract):
    text = "“We are ready,” the general said. ” The order has been given."
    quote = only(extract(text))
    assert quote.text == "We are ready,"
    assert quote.speaker.mention.text == "the general"


def test_unclosed_quote_at_the_end_of_a_paragraph(extract):
    text = "The general said: “We are ready to act, whatever it costs.\nThe vote is on Friday."
    result = extract(text)
    quote = only(result)
    assert quote.text == "We are ready to act, whatever it costs."
    assert quote.paragraph == 0
    assert quote.speaker.mention.text == "The general"


UNCLOSED_AT_THE_START = "“We will win this election, the candidate told supporters in Ohio on Saturday."


def test_unclosed_quote_at_the_start_of_the_text_is_found_once(extract):
    quote = only(extract(UNCLOSED_AT_THE_START))
    assert quote.start == 1
    assert quote.text.startswith("We will win this election,")


@pytest.mark.xfail(strict=True, reason=(
    "an opening mark that is never closed runs to the end of its paragraph (service/engine/text/marks.py), "
    "so the engine quotes the attribution 'the candidate told supporters in Ohio on Saturday.' as the "
    "candidate's words and, with no words left outside the quote, gives it no speaker (confidence 0.2); "
    "a reader closes the quote after 'election,' where the attribution begins"))
def test_unclosed_quote_at_the_start_of_the_text(extract):
    quote = only(extract(UNCLOSED_AT_THE_START))
    assert (quote.text, quote.type) == ("We will win this election,", "direct")
    assert quote.speaker is not None and quote.speaker.mention.text == "the candidate"
    assert quote.cue.text == "told"


@pytest.mark.parametrize("text, term", [
    ("Leaders of the so-called \"coalition of the willing\" met in Paris on Thursday.", "coalition of the willing"),
    ("The deal would remove the Irish ‘backstop’ from the withdrawal agreement.", "backstop"),
    ("Critics of the “Department of Government Efficiency” marched in Washington.",
     "Department of Government Efficiency"),
], ids=["coalition", "backstop", "name"])
def test_scare_quotes_and_quoted_terms_are_not_speech(extract, text, term):
    quote = only(extract(text))
    assert (quote.text, quote.type) == (term, "partial")
    assert quote.confidence < 0.5
    assert (quote.speaker, quote.method, quote.cue) == (None, None, None)


@pytest.mark.parametrize("text", [
    "Leaders of the “coalition of the willing” met in Paris on Thursday.\n"
    "“We are ready to send troops,” Prime Minister Keir Starmer said after the meeting.",
    "Leaders of the \"coalition of the willing\" met in Paris. "
    "\"We are ready to send troops,\" Prime Minister Keir Starmer said.",
], ids=["next-paragraph", "same-paragraph"])
def test_scare_quote_beside_a_quoted_speaker(extract, text):
    result = extract(text)
    real = quote_of(result, "We are ready to send troops,")
    assert real.type == "direct"
    assert real.speaker.name == "Keir Starmer"
    assert real.confidence >= 0.5
    term, _ = result.quotes
    assert (term.text, term.type, term.speaker) == ("coalition of the willing", "partial", None)
    assert term.confidence < 0.5


# --- attribution ---------------------------------------------------------------------------------------

def test_speaker_after_the_quote(extract):
    text = "“We are not going to give up on Ukraine,” an Elysee official said on Tuesday."
    result = extract(text)
    quote = only(result)
    assert quote.speaker.mention.text == "an Elysee official"
    assert quote.cue.text == "said"
    assert quote.type == "direct"
    assert speaker_of(result, quote).kind == "anonymous"


def test_inverted_speaker(extract):
    text = "“Europe must be able to defend itself,” said Mr Macron."
    result = extract(text)
    quote = only(result)
    assert quote.speaker.mention.text == "Mr Macron"
    assert quote.speaker.name == "Macron"
    assert quote.cue.text == "said"
    assert speaker_of(result, quote).kind == "person"


def test_speaker_before_with_a_colon(extract):
    text = "Macron said: “Europe must be able to defend itself.”"
    quote = only(extract(text))
    assert quote.text == "Europe must be able to defend itself."
    assert quote.type == "direct"
    assert quote.speaker.mention.text == "Macron"
    assert quote.cue.text == "said"


def test_partial_quote_after_said(extract):
    text = "Trump said he was “very disappointed” in Putin after Monday's call."
    quote = only(extract(text))
    assert quote.text == "very disappointed"
    assert quote.type == "partial"
    assert quote.speaker.mention.text == "Trump"
    assert quote.speaker.name == "Trump"
    assert quote.cue.text == "said"


def test_a_named_person_the_recogniser_takes_for_an_organisation_is_a_person(extract):
    text = "Trump said he was “very disappointed” in Putin after Monday's call."
    result = extract(text)
    assert speaker_of(result, only(result)).kind == "person"


def test_longer_partial_quote_keeps_its_confidence(extract):
    text = ("The minister, speaking to the BBC on Sunday, said Britain was “ready to put boots on the ground” "
            "if a deal was reached.")
    quote = only(extract(text))
    assert quote.type == "partial"
    assert quote.speaker.mention.text == "The minister"
    assert quote.confidence >= 0.5


def test_according_to(extract):
    text = "The talks were “constructive but difficult”, according to a senior EU diplomat."
    result = extract(text)
    quote = only(result)
    assert quote.type == "partial"
    assert quote.speaker.mention.text == "a senior EU diplomat"
    assert quote.cue.text == "according to"
    assert speaker_of(result, quote).kind == "anonymous"


@pytest.mark.parametrize("text, mention, cue", [
    ("Foreign Minister Jean-Noel Barrot told reporters in Paris on Monday that the talks, which ran for five "
     "hours and ended without a joint statement, had “stressed the good existing cooperation” between the "
     "two countries.", "Foreign Minister Jean-Noel Barrot", "told"),
    ("The envoy, who had flown in from Cairo overnight and met both delegations before dawn, later told the "
     "agency that the ceasefire was “holding, but only just”.", "The envoy", "told"),
    ("The central bank's chief economist, Huw Pill, said inflation was proving “stickier than expected”.",
     "Huw Pill", "said"),
], ids=["told-that", "subject-far-away", "appositive"])
def test_speech_verb_elsewhere_in_the_sentence(extract, text, mention, cue):
    quote = only(extract(text))
    assert quote.type == "partial"
    assert quote.speaker.mention.text == mention
    assert quote.cue.text == cue


@pytest.mark.parametrize("text, mention, cue", [
    ("The city council issued a statement calling the test “a reckless stunt that endangers lives.”",
     "The city council", "calling"),
    ("The ministry released a letter saying “we will not negotiate under threat.”", "The ministry", "saying"),
], ids=["issued-a-statement", "released-a-letter"])
def test_a_statement_speaks_for_whoever_issued_it(extract, text, mention, cue):
    quote = only(extract(text))
    assert quote.speaker.mention.text == mention
    assert quote.cue.text == cue


def test_pronoun_resolved_to_the_earlier_person(extract):
    text = "President Emmanuel Macron arrived in Kyiv on Friday. “We will stand by you,” he said."
    result = extract(text)
    quote = only(result)
    assert quote.speaker.mention.text == "he"
    assert quote.speaker.name == "Emmanuel Macron"
    speaker = speaker_of(result, quote)
    assert speaker.kind == "person"
    assert "he" in mention_texts(speaker)
    assert any(m.text.endswith("Emmanuel Macron") for m in speaker.mentions)


def test_she_resolved_to_the_earlier_person(extract):
    text = "Angela Merkel spoke first at the summit. “We have done this before,” she said."
    quote = only(extract(text))
    assert quote.speaker.mention.text == "she"
    assert quote.speaker.name == "Angela Merkel"


@pytest.mark.parametrize("text, name", [
    ("Emmanuel Macron and Angela Merkel met on Monday. “We have done this before,” she said.", "Angela Merkel"),
    ("Angela Merkel and Emmanuel Macron met on Monday. “We have done this before,” he said.", "Emmanuel Macron"),
], ids=["she", "he"])
def test_pronoun_agrees_in_gender_with_its_antecedent_by_first_name(extract, text, name):
    quote = only(extract(text))
    assert quote.speaker.mention.text in ("he", "she")
    assert quote.speaker.name == name


@pytest.mark.parametrize("text", [
    "President Emmanuel Macron arrived in Kyiv on Friday. “Europe must wake up,” the French leader said.",
    "President Emmanuel Macron met Chancellor Olaf Scholz in Berlin. "
    "“Europe must wake up,” the French leader said.",
], ids=["alone", "beside-another-leader"])
def test_description_resolved_to_the_earlier_person(extract, text):
    result = extract(text)
    quote = only(result)
    assert quote.speaker.mention.text == "the French leader"
    assert quote.speaker.name == "Emmanuel Macron"
    speaker = speaker_of(result, quote)
    assert speaker.kind == "person"
    assert "the French leader" in mention_texts(speaker)


def test_description_resolved_to_the_earlier_anonymous_speaker(extract):
    text = ("“We are not going to give up on Ukraine,” an Elysee official said on Tuesday. "
            "“Nothing has been decided yet,” the official added.")
    result = extract(text)
    first, second = result.quotes
    assert first.speaker.mention.text == "an Elysee official"
    assert second.speaker.mention.text == "the official"
    assert second.cue.text == "added"
    assert first.speaker.id == second.speaker.id
    assert len(result.speakers) == 1
    speaker = result.speakers[0]
    assert speaker.kind == "anonymous"
    assert mention_texts(speaker) == ["an Elysee official", "the official"]
    assert speaker.quote_ids == [first.id, second.id]


def test_description_resolved_to_an_earlier_mention_outside_quotes(extract):
    text = ("An Elysee official said on Tuesday that Paris would host the talks. "
            "“Nothing has been decided yet,” the official added.")
    result = extract(text)
    quote = only(result)
    assert quote.speaker.mention.text == "the official"
    speaker = speaker_of(result, quote)
    assert speaker.name == "Elysee official"
    assert speaker.kind == "anonymous"
    assert mention_texts(speaker) == ["An Elysee official", "the official"]


@pytest.mark.parametrize("text", [
    "“We have to be patient,” Ms Kallas said.\n“The Russians are not serious about peace.”",
    "Ms Kallas said: “We have to be patient.”\n\n“The Russians are not serious about peace.”",
    "“We have to be patient,” Ms Kallas said.\nHer spokesman declined to comment further.\n"
    "“The Russians are not serious about peace.”",
], ids=["after", "colon", "paragraph-between"])
def test_quote_alone_in_a_paragraph_continues_the_conversation(extract, text):
    result = extract(text)
    first, second = result.quotes
    assert second.text == "The Russians are not serious about peace."
    assert second.paragraph > first.paragraph
    assert second.speaker is not None
    assert second.speaker.id == first.speaker.id
    assert second.speaker.mention.text == "Ms Kallas"
    assert second.method


def test_transcript_labels(extract):
    text = ("The exchange went as follows.\n"
            "“PENCE: Well, look, the president has been very clear about this.\n"
            "“HARRIS: Mr Vice President, I'm speaking.”")
    result = extract(text)
    first, second = result.quotes
    assert first.text == "PENCE: Well, look, the president has been very clear about this."
    assert (first.speaker.mention.text, second.speaker.mention.text) == ("PENCE", "HARRIS")
    assert (first.speaker.name, second.speaker.name) == ("PENCE", "HARRIS")
    assert first.speaker.id != second.speaker.id
    assert first.group != second.group
    assert first.method == second.method == "transcript_label"
    assert speaker_of(result, first).kind == speaker_of(result, second).kind == "person"


def test_single_transcript_label(extract):
    text = "“PENCE: Well, look, the president has been very clear about this.”"
    result = extract(text)
    quote = only(result)
    assert quote.speaker.mention.text == "PENCE"
    assert quote.speaker.name == "PENCE"
    assert [s.name for s in result.speakers] == ["PENCE"]


@pytest.mark.parametrize("text, credit", [
    ("“Europe has woken up.” ― Jane Doe", "Jane Doe"),
    ("“Europe has woken up.” — Jane Doe", "Jane Doe"),
    ("\"Europe has woken up.\" -- Jane Doe", "Jane Doe"),
], ids=["horizontal-bar", "em-dash", "double-hyphen"])
def test_dash_credit(extract, text, credit):
    quote = only(extract(text))
    assert quote.text == "Europe has woken up."
    assert quote.speaker.mention.text == credit
    assert quote.speaker.name == credit


def test_dash_credits_on_consecutive_paragraphs(extract):
    text = "“Europe has woken up.” ― Jane Doe\n“We will not wait for Washington.” ― John Smith"
    result = extract(text)
    first, second = result.quotes
    assert first.speaker.name == "Jane Doe"
    assert second.speaker.name == "John Smith"
    assert len(result.speakers) == 2


@pytest.mark.parametrize("text, mention, cue", [
    ("“We will not be intimidated,” the mayor insisted.", "the mayor", "insisted"),
    ("“This is a dangerous moment for the region,” the UN chief warned.", "the UN chief", "warned"),
    ("“Great meeting with the Prime Minister today!” Trump tweeted.", "Trump", "tweeted"),
    ("“The sanctions are working,” Zelensky wrote on X.", "Zelensky", "wrote"),
    ("“We expect a decision this week,” Ms Rayner told reporters.", "Ms Rayner", "told"),
    ("“We will not be lectured by anyone,” the ambassador replied.", "the ambassador", "replied"),
    ("“The numbers do not add up,” the senator argued.", "the senator", "argued"),
    ("“This is only the beginning,” she vowed.", "she", "vowed"),
], ids=["insisted", "warned", "tweeted", "wrote-on-x", "told-reporters", "replied", "argued", "vowed"])
def test_other_verbs_of_saying_and_writing(extract, text, mention, cue):
    quote = only(extract(text))
    assert quote.speaker.mention.text == mention
    assert quote.cue.text == cue
    assert quote.method


@pytest.mark.parametrize("text, mention, cue, words", [
    ("Prime Minister Keir Starmer called it “a historic day for Britain”.", "Prime Minister Keir Starmer",
     "called", "a historic day for Britain"),
    ("Ms Rayner told reporters: “We expect a decision this week.”", "Ms Rayner", "told",
     "We expect a decision this week."),
    ("In a post on X, the White House wrote: “The president will not back down.”", "the White House", "wrote",
     "The president will not back down."),
    ("Sen. Lindsey Graham warned that Russia would face “crippling sanctions” if it refused.",
     "Sen. Lindsey Graham", "warned", "crippling sanctions"),
], ids=["called-it", "told-reporters-colon", "wrote-colon", "warned-that"])
def test_other_verbs_with_the_speaker_before_the_quote(extract, text, mention, cue, words):
    quote = only(extract(text))
    assert quote.text == words
    assert quote.speaker.mention.text == mention
    assert quote.cue.text == cue


@pytest.mark.parametrize("text, mention, name", [
    ("When Clinton noted that Trump has sometimes not paid any income tax ― as was true for the few years his "
     "returns were made public ― Trump boasted, “That makes me smart.” Trump was defensive.", "Trump", "Trump"),
    ("WASHINGTON -- President Obama, opening the new museum on Saturday, said it would tell a story of "
     "“pain and joy, of fear, but also of hope.”", "President Obama", "Obama"),
], ids=["dash-taken-for-a-noun", "dateline"])
def test_the_speaker_is_neither_a_dash_nor_a_dateline(extract, text, mention, name):
    quote = only(extract(text))
    assert quote.speaker.mention.text == mention
    assert quote.speaker.name == name


def test_names_are_unified_across_the_article(extract):
    text = ("President Emmanuel Macron arrived in Kyiv on Friday.\n"
            "“We will stand by Ukraine,” Mr Macron said.\n"
            "“Europe is united,” Macron added.")
    result = extract(text)
    first, second = result.quotes
    assert len(result.speakers) == 1
    speaker = result.speakers[0]
    assert speaker.name == "Emmanuel Macron"
    assert speaker.kind == "person"
    assert first.speaker.name == second.speaker.name == "Emmanuel Macron"
    assert (first.speaker.mention.text, second.speaker.mention.text) == ("Mr Macron", "Macron")
    mentions = mention_texts(speaker)
    assert any(m.endswith("Emmanuel Macron") for m in mentions)
    assert "Mr Macron" in mentions and "Macron" in mentions
    assert speaker.quote_ids == [first.id, second.id]
    assert [m.start for m in speaker.mentions] == sorted(m.start for m in speaker.mentions)
    # "Macron" inside "Mr Macron" is not a mention of its own
    assert mentions in (["President Emmanuel Macron", "Mr Macron", "Macron"],
                        ["Emmanuel Macron", "Mr Macron", "Macron"])
    assert all(a.end <= b.start for a, b in pairwise(speaker.mentions))


def test_names_are_cut_from_the_article(extract):
    text = ("Foreign Minister Jean-Noel Barrot told reporters on Monday that the talks had "
            "“stressed the good existing cooperation” between the two countries.")
    result = extract(text)
    quote = only(result)
    assert quote.speaker.name == "Jean-Noel Barrot"
    assert speaker_of(result, quote).name == "Jean-Noel Barrot"


def test_two_speakers_stay_apart(extract):
    text = ("“We will stand by Ukraine,” President Emmanuel Macron said.\n"
            "“Germany will pay its share,” Chancellor Friedrich Merz said.\n"
            "“Europe is united,” Macron added.")
    result = extract(text)
    names = [q.speaker.name for q in result.quotes]
    assert names == ["Emmanuel Macron", "Friedrich Merz", "Emmanuel Macron"]
    assert len(result.speakers) == 2


@pytest.mark.parametrize("text, mention", [
    ("“The door remains open,” a senior diplomat said on condition of anonymity.", "a senior diplomat"),
    ("“We are ready,” said a government source.", "a government source"),
    ("The deal is “dead in the water,” a senior White House official told CNN.",
     "a senior White House official"),
], ids=["diplomat", "source", "official"])
def test_anonymous_sources(extract, text, mention):
    result = extract(text)
    quote = only(result)
    assert quote.speaker.mention.text == mention
    assert speaker_of(result, quote).kind == "anonymous"


def test_organisation_as_speaker(extract):
    text = "“The door remains open,” the foreign ministry said in a statement."
    result = extract(text)
    quote = only(result)
    assert quote.speaker.mention.text == "the foreign ministry"
    assert speaker_of(result, quote).kind == "organization"


def test_direct_and_partial_in_one_article(extract):
    text = ("Chancellor Friedrich Merz said the plan was “a good start”.\n"
            "“We now need to move quickly and decisively,” he told reporters in Berlin.")
    result = extract(text)
    partial, direct = result.quotes
    assert partial.type == "partial"
    assert direct.type == "direct"
    assert partial.speaker.name == direct.speaker.name == "Friedrich Merz"
    assert direct.speaker.mention.text == "he"


def test_every_attributed_quote_names_its_rule(extract):
    text = ("President Emmanuel Macron arrived in Kyiv on Friday.\n"
            "“We will stand by you,” he said, “for as long as it takes.”\n"
            "“There is no alternative.”\n"
            "The talks were “constructive”, according to an Elysee official.\n"
            "“Europe has woken up.” ― Jane Doe")
    result = extract(text)
    assert len(result.quotes) == 5
    attributed = [q for q in result.quotes if q.speaker is not None]
    assert len(attributed) >= 4
    assert all(q.method for q in attributed)


# --- empty, plain and hostile input -------------------------------------------------------------------

@pytest.mark.parametrize("text", ["", " ", "\n\n", "The central bank held rates at 4.25 percent on Thursday."],
                         ids=["empty", "space", "newlines", "no-quotes"])
def test_text_without_quotes(extract, text):
    result = extract(text)
    assert result.quotes == []
    assert result.speakers == []


@pytest.mark.parametrize("text", [
    "“" + "The vote is on Friday, officials said. " * 250,
    "“We will win, the candidate said. " * 250,
    '"We are ready," he said. ' * 400,
    '"' * 1_000,
    "“" * 1_000,
    "'" * 1_000,
], ids=["unclosed-at-start", "unclosed-every-sentence", "many-quotes", "straight-marks", "curly-marks",
        "apostrophes"])
def test_hostile_input_returns_quickly(extract, text):
    started = time.perf_counter()
    extract(text)
    assert time.perf_counter() - started < 10.0


@pytest.mark.parametrize("mark", ['"', "“", "'"], ids=["straight", "curly", "apostrophe"])
def test_ten_thousand_marks_take_no_longer_than_ordinary_text(engine, mark):
    ordinary = "The vote is on Friday, officials said. " * 256
    hostile = mark * 10_000
    engine.extract("Warm up.")
    started = time.perf_counter()
    check(ordinary, engine.extract(ordinary))
    baseline = time.perf_counter() - started
    started = time.perf_counter()
    result = check(hostile, engine.extract(hostile))
    spent = time.perf_counter() - started
    assert result.quotes == []
    assert spent < 3 * baseline + 1.0, f"{spent:.1f}s for 10,000 marks against {baseline:.1f}s for ordinary text"
