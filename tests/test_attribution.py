"""Speakers a reader would name: one test (or a few) per cause of a wrong speaker, on short sentences
of the shapes news copy uses."""
from __future__ import annotations

import pytest

from helpers import only, quote_of, speaker_of


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


def test_the_one_who_asks_a_passive_question_is_the_agent(extract):
    text = ("Mayor Olivia Chow was asked by reporter Sam Reid whether the city would “pay for the repairs "
            "out of its own pocket this year.”")
    assert only(extract(text)).speaker.name == "Sam Reid"


def test_a_subject_that_cannot_speak_gives_way_to_one_that_can(extract):
    text = ("Price said the decision was made by the board and added, “Nobody asked the people who live "
            "here what they wanted.”")
    quote = only(extract(text))
    assert quote.speaker.mention.text == "Price"


@pytest.mark.parametrize("text, cue", [
    ("“We will win this and we will win it in the spring,” Councillor Dana Price fired back.", "fired"),
    ("“I have no idea where the money went last year,” the treasurer blurted out.", "blurted"),
    ("“The rink stays open all winter, whatever it costs,” Mayor Olivia Chow repeated.", "repeated"),
    ("Lee sniped that the plan was “a gift to developers who never pay their share.”", "sniped"),
], ids=["fired-back", "blurted-out", "repeated", "snipes"])
def test_verbs_of_saying_beyond_said(extract, text, cue):
    quote = only(extract(text))
    assert quote.method == "speech_verb"
    assert quote.cue.text == cue


def test_vox_pop_sources_are_each_their_own_speaker(extract):
    text = ("Residents lined up outside the arena on Tuesday.\n\n"
            "“I have waited three hours and I will wait three more,” said one voter.\n\n"
            "“Nobody here believes a word of it,” another added.")
    result = extract(text)
    first = quote_of(result, "I have waited three hours and I will wait three more,")
    second = quote_of(result, "Nobody here believes a word of it,")
    assert first.speaker.mention.text == "one voter"
    assert second.speaker.mention.text == "another"
    assert first.speaker.id != second.speaker.id
    assert speaker_of(result, second).kind == "anonymous"


def test_a_document_with_no_issuer_named_is_a_document_speaker(extract):
    text = "The report said the bridge was “unsafe for heavy vehicles and should close by the end of June.”"
    result = extract(text)
    quote = only(result)
    assert quote.speaker.mention.text == "The report"
    assert speaker_of(result, quote).kind == "document"


@pytest.mark.parametrize("text, mention", [
    ("Later that week, she revised her statement, explaining that the funds were “never meant for the "
     "campaign in the first place.”", "she"),
    ("Councillor Dana Price released a memo saying “the budget has a hole of at least forty million "
     "dollars.”", "Councillor Dana Price"),
], ids=["her-statement", "released-a-memo"])
def test_a_text_speaks_for_its_owner_or_issuer(extract, text, mention):
    assert only(extract(text)).speaker.mention.text == mention



@pytest.mark.parametrize("text, mention", [
    ("Chow: Council Will Fix Roads, ‘We Have The Money This Time’\n\nMayor Olivia Chow spoke on Monday.",
     "Chow"),
    ("Transit Union Chief On Fares: ‘Riders Cannot Pay Any More Than This’\n\nThe union met on Monday.",
     "Transit Union Chief"),
], ids=["name", "title-on-topic"])
def test_a_headline_that_opens_with_a_name_and_a_colon(extract, text, mention):
    quote = extract(text).quotes[0]
    assert quote.speaker.mention.text == mention
    assert quote.method == "headline_label"


def test_the_verb_the_quote_hangs_from_wins_over_a_nearer_one(extract):
    text = ("Mayor Olivia Chow told reporters that residents who complained were “wrong about the schedule "
            "and wrong about the cost.”")
    assert only(extract(text)).speaker.name == "Olivia Chow"


def test_someone_shown_or_heard_saying_is_the_speaker(extract):
    text = "The ad uses footage of Doug Ford asking, “Why aren’t we fifty points ahead, you might ask?”"
    assert only(extract(text)).speaker.name == "Doug Ford"


def test_a_one_word_headline_label(extract):
    text = "Sanders: Chow needs to ‘stop the personal attacks and talk about the budget’ this week."
    assert only(extract(text)).speaker.mention.text == "Sanders"


def test_a_quote_reported_according_to_an_outlet_is_on_the_outlet_s_word(extract):
    text = "“We will not close the rink this winter,” Chow said on Monday, according to the Toronto Star."
    quote = only(extract(text))
    assert quote.speaker.mention.text == "the Toronto Star"
    assert quote.method == "according_to"


def test_a_clause_of_time_is_not_what_the_verb_above_reports(extract):
    text = "Dana Price laughed as the mayor went on about “the best transit system this city has ever had.”"
    assert only(extract(text)).speaker.mention.text == "the mayor"


def test_a_role_description_names_the_person_given_that_role(extract):
    text = ("Mayor Olivia Chow opened the meeting on Monday. Councillor Dana Price spoke next.\n\n"
            "“We will finish the road by the end of June,” the mayor said.")
    quote = only(extract(text))
    assert quote.speaker.mention.text == "the mayor"
    assert quote.speaker.name == "Olivia Chow"


@pytest.mark.parametrize("between, name, method", [
    ("Councillor Dana Price told reporters the bylaw was outdated and the city should change it.\n\n",
     "Dana Price", "last_subject"),
    ("", "Olivia Chow", "conversation"),
], ids=["moved-on", "same-speaker"])
def test_a_quote_alone_in_its_paragraph(extract, between, name, method):
    text = ("“The rink will stay open,” Mayor Olivia Chow said on Monday.\n\n" + between
            + "“It was written for a town of ten thousand people.”")
    quote = quote_of(extract(text), "It was written for a town of ten thousand people.")
    assert quote.speaker.name == name
    assert quote.method == method


def test_a_country_speaks_through_its_verb_of_saying(extract):
    text = ("Russia insisted that Pyongyang “stop its dangerous escapades at once.” The agency said the "
            "tests had to stop.")
    assert only(extract(text)).speaker.mention.text == "Russia"


def test_a_quoted_nickname_is_part_of_the_name_not_a_quote(extract):
    text = ("“This is a big year for all of us in the ward!” Price's niece, Councillor Marcia “Cia” "
            "Lopez, shouted to the crowd.")
    result = extract(text)
    quote = quote_of(result, "This is a big year for all of us in the ward!")
    assert quote.method == "speech_verb"
    assert quote.cue.text == "shouted"
    assert quote_of(result, "Cia").speaker is None


def test_a_quoted_term_no_verb_of_saying_governs_is_not_the_speaker_s_words(extract):
    text = ("Mayor Olivia Chow has said that twelve cities have pledged to send crews as a “repair brigade” "
            "once the floods end.\nSpeaking after a meeting of the so-called “friends of the river” in Ottawa, "
            "Ms Chow said the cities had committed to sending crews.")
    result = extract(text)
    assert [quote.text for quote in result.quotes] == ["repair brigade", "friends of the river"]
    for term in result.quotes:
        assert (term.type, term.speaker, term.method, term.cue) == ("partial", None, None, None), term.text
        assert term.confidence < 0.5


def test_a_short_quote_a_verb_of_saying_governs_keeps_its_speaker(extract):
    text = "Mayor Olivia Chow said the delay was “deeply frustrating” for everyone."
    quote = only(extract(text))
    assert quote.speaker.name == "Olivia Chow"


@pytest.mark.parametrize("text, words, mention", [
    # a rubric over an unnamed expert's words: nobody in the text said them
    ("EXPERT VIEW: ‘Prices will keep rising through the winter and into the spring’",
     "Prices will keep rising through the winter and into the spring", None),
    ("Thanked for her work, “I only did what anyone in this town would have done,” she said.",
     "I only did what anyone in this town would have done,", "she"),
], ids=["heading", "verb"])
def test_a_heading_or_a_verb_is_never_a_speaker_mention(extract, text, words, mention):
    quote = only(extract(text))
    assert (quote.text, quote.type) == (words, "direct")
    assert (quote.speaker and quote.speaker.mention.text) == mention


def test_a_mention_does_not_end_in_a_dangling_preposition(extract):
    text = ("Critics of the “Department of Government Efficiency” marched in Ottawa and said they would "
            "“keep marching until the courts act.”")
    result = extract(text)
    assert quote_of(result, "keep marching until the courts act.").speaker.mention.text == "Critics"
    assert quote_of(result, "Department of Government Efficiency").confidence < 0.5


@pytest.mark.xfail(strict=True, reason=(
    "the name sits in the subject of 'marched', and 'said' is only coordinated with 'marched': "
    "quote_types._in_subject_of climbs from the name to the root 'marched' without meeting the cue "
    "'said', so the subject rule does not leave it unattributed, and speech_verb gives the four-word "
    "name to 'Critics' (confidence 0.48) as if it were their words"))
def test_a_quoted_name_in_the_subject_of_a_coordinated_verb_of_saying_is_nobody_s_words(extract):
    text = ("Critics of the “Department of Government Efficiency” marched in Ottawa and said they would "
            "“keep marching until the courts act.”")
    term = quote_of(extract(text), "Department of Government Efficiency")
    assert (term.type, term.speaker, term.method) == ("partial", None, None)


@pytest.mark.parametrize("text, mention", [
    ("The mayor was asked about the closures on Monday. Her response: “We will reopen every branch "
     "by the end of the year.”", "Her"),
    ("“Nobody will lose a job over this,” was the reply of the transit minister.", "the transit minister"),
], ids=["her-response", "reply-of"])
def test_a_noun_that_carries_someone_s_words(extract, text, mention):
    quote = extract(text).quotes[-1]
    assert quote.speaker.mention.text == mention
    assert quote.method == "noun_cue"
