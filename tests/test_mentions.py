"""What can be a speaker's mention, texts that speak for whoever issued them, and quoted terms that are
nobody's words: short sentences of the shapes news copy uses."""
from __future__ import annotations

import pytest

from helpers import only, quote_of, speaker_of

# --- the mention filter ----------------------------------------------------------------------------

@pytest.mark.parametrize("text, mention, name", [
    ("PHILADELPHIA, July 25 (UPI) — The Democratic National Committee released a statement on Monday, "
     "offering “a deep and sincere apology” to Sen. Bernie Sanders.", "The Democratic National Committee",
     "Democratic National Committee"),
    ("WASHINGTON -- President Obama, opening the museum on Saturday, said it would tell a story of "
     "“suffering and delight, of fear and of hope.”", "President Obama", "Obama"),
    ("Tuesday at Baldwin Wallace University in Berea, OH, after winning Ohio in the primary, Gov. John "
     "Kasich (R-OH), said, “I’m getting ready to rent a covered wagon for the trip.”", "Gov. John Kasich",
     "John Kasich"),
], ids=["dateline-then-subject", "dateline-then-name", "state-code"])
def test_a_dateline_or_a_place_named_in_passing_is_never_the_speaker(extract, text, mention, name):
    quote = only(extract(text))
    assert (quote.speaker.mention.text, quote.speaker.name) == (mention, name)


@pytest.mark.parametrize("country", ["Israel", "the UK"])
def test_a_country_as_the_subject_of_a_verb_of_saying_still_speaks(extract, country):
    text = f"“We will not accept any deal that leaves the border open,” {country} said on Monday."
    assert only(extract(text)).speaker.mention.text == country


def test_a_source_the_model_takes_for_a_place_still_speaks_after_according_to(extract):
    text = "“The rink will stay open all winter long,” the mayor said, according to the Las Vegas Sun."
    assert only(extract(text)).speaker.mention.text == "the Las Vegas Sun"


@pytest.mark.parametrize("text", [
    "“We are not going anywhere this winter,” Monday said.",
    "“We are not going anywhere this winter,” 75 percent said.",
    "Blasted: “We are not going anywhere this winter.”",
], ids=["date", "percent", "capitalised-verb"])
def test_a_date_a_number_or_a_verb_is_never_a_speaker(extract, text):
    assert only(extract(text)).speaker is None


def test_a_capitalised_verb_gives_way_to_a_speaker(extract):
    text = ("Thanked for his service, the mayor was blunt. “We are not going anywhere this winter,” "
            "Thanked said.")
    assert only(extract(text)).speaker.mention.text == "the mayor"


@pytest.mark.parametrize("text, mention", [
    ("The network's response: “Nobody will lose a job over this.”", "The network's"),
    ("The union's reply was short: “Nobody will lose a job over this.”", "The union's reply"),
], ids=["owner-of-a-noun-cue", "owner-of-a-lead-in"])
def test_a_possessive_is_never_left_in_the_name(extract, text, mention):
    result = extract(text)
    quote = only(result)
    assert quote.speaker.mention.text == mention
    assert quote.speaker.name in ("network", "union")
    assert speaker_of(result, quote).kind == "organization"


# --- texts that speak ------------------------------------------------------------------------------

@pytest.mark.parametrize("text, mention, name, kind", [
    ("“We will review every case before the end of the year,” a statement e-mailed by the Ontario "
     "Ministry of Health said.", "a statement", "Ontario Ministry", "organization"),
    ("“We are reviewing the decision and will comment later,” said a statement from the company.",
     "a statement", "company", "organization"),
    ("“We are reviewing the decision and will comment later,” read a statement from the White House.",
     "a statement", "White House", "organization"),
    ("“We are reviewing the decision and will comment later,” a CNN statement said.", "a CNN statement",
     "CNN", "organization"),
    ("Dana Price's statement said the city would “review every case before the end of the year.”",
     "Dana Price's statement", "Dana Price", "person"),
    ("“The bridge is unsafe for heavy vehicles and should close,” the report by the Federal Reserve "
     "Bank of Boston said.", "the report", "Federal Reserve Bank", "organization"),
], ids=["e-mailed-by", "statement-from", "read-a-statement-from", "compound-issuer", "possessive",
        "report-by"])
def test_a_text_rests_on_its_words_and_speaks_for_its_issuer(extract, text, mention, name, kind):
    result = extract(text)
    quote = only(result)
    assert (quote.speaker.mention.text, quote.speaker.name) == (mention, name)
    assert speaker_of(result, quote).kind == kind


@pytest.mark.parametrize("text, mention, name", [
    ("“We need to get this done before the vote in Ottawa,” a recording obtained by the Toronto Star "
     "said.", "a recording", "recording"),
    ("“We need to get this done before the vote in Ottawa,” one of the leaked emails said.",
     "one of the leaked emails", "one of the leaked emails"),
    ("“This city deserves better than another four years of this,” the editorial said.", "the editorial",
     "editorial"),
    ("“This city deserves better than another four years of this,” the post read.", "post", "post"),
    ("“This city deserves better than another four years of this,” the caption read.", "caption", "caption"),
], ids=["obtained-by-is-not-issued-by", "leaked-emails", "editorial", "the-post-read", "the-caption-read"])
def test_a_text_with_no_issuer_named_is_a_document(extract, text, mention, name):
    result = extract(text)
    quote = only(result)
    assert (quote.speaker.mention.text, quote.speaker.name) == (mention, name)
    assert speaker_of(result, quote).kind == "document"


@pytest.mark.parametrize("text, name", [
    ("“We will review every case before the end of the year,” a statement from the city of Toronto said.",
     "city of Toronto"),
    ("“We will review every case before the end of the year,” said a statement from the province of "
     "Ontario.", "province of Ontario"),
], ids=["city-of", "province-of"])
def test_a_body_of_a_named_place_issues_a_text(extract, text, name):
    result = extract(text)
    quote = only(result)
    assert (quote.speaker.mention.text, quote.speaker.name) == ("a statement", name)
    assert speaker_of(result, quote).kind == "organization"


@pytest.mark.parametrize("text, mention, name", [
    ("The company did not respond to requests for comment. “We are proud of our safety record,” its "
     "website said.", "its website", "company"),
    ("Acme Corp. laid off 200 workers in March. “We are proud of our safety record,” its statement said.",
     "its statement", "Acme Corp."),
    ("The union met with the province on Monday. “We will strike if we must,” their statement said.",
     "their statement", "union"),
], ids=["its-website", "its-statement-named", "their-statement"])
def test_a_text_an_organisation_owns_by_a_pronoun_speaks_for_it(extract, text, mention, name):
    result = extract(text)
    quote = only(result)
    assert (quote.speaker.mention.text, quote.speaker.name) == (mention, name)
    assert speaker_of(result, quote).kind == "organization"


def test_their_statement_speaks_for_people_spoken_of_as_a_group(extract):
    text = ("The protesters marched to city hall on Monday. “We will be back every week until the council "
            "listens,” their statement said.")
    quote = only(extract(text))
    assert (quote.speaker.mention.text, quote.speaker.name) == ("their statement", "protesters")


def test_a_peoples_adjective_is_not_the_organisation_its_stands_for(extract):
    text = ("Six American soldiers died in the attack on Monday. “We honour every one of them,” its website "
            "said.")
    result = extract(text)
    assert speaker_of(result, only(result)).kind == "document"


def test_a_text_owned_by_no_organisation_named_before_is_a_document(extract):
    result = extract("Its statement read: “We will never forget the victims of this attack.”")
    quote = only(result)
    assert (quote.speaker.mention.text, quote.speaker.name) == ("Its statement", "statement")
    assert speaker_of(result, quote).kind == "document"


@pytest.mark.parametrize("text, mention, name", [
    ("The post read: “We will never forget the victims of this attack.”", "post", "post"),
    ("The email said: “We will never forget the victims of this attack.”", "The email", "email"),
    ("The email, sent to staff on Friday, said: “We will never forget the victims.”", "The email", "email"),
    ("The sign read: “No trucks on this bridge after dark.”", "The sign", "sign"),
], ids=["post-read-colon", "email-said-colon", "email-aside-colon", "sign-read-colon"])
def test_a_text_and_its_cue_before_a_colon_speak_the_quote_after_it(extract, text, mention, name):
    result = extract(text)
    quote = only(result)
    assert (quote.speaker.mention.text, quote.speaker.name) == (mention, name)
    assert speaker_of(result, quote).kind == "document"


def test_the_same_issuer_through_its_statement_is_one_speaker(extract):
    text = ("“We will not close the line,” the Toronto Transit Commission said on Monday.\n\n"
            "“The decision is final,” a statement from the Toronto Transit Commission said later.")
    result = extract(text)
    first = quote_of(result, "We will not close the line,")
    second = quote_of(result, "The decision is final,")
    assert second.speaker.mention.text == "a statement"
    assert first.speaker.id == second.speaker.id


# --- quoted terms ------------------------------------------------------------------------------------

@pytest.mark.parametrize("text, term", [
    ("Speaking after a meeting of the so-called “coalition of the willing” in Paris, Mr Macron said the "
     "countries had committed to deploying troops.", "coalition of the willing"),
    ("Prime Minister Keir Starmer and Mr Macron, who lead the “coalition of the willing”, previously "
     "insisted that any force needed the backing of the United States.", "coalition of the willing"),
    ("Mr Macron said the leaders of the so-called “European Political Community of Democratic Nations” "
     "would meet again.", "European Political Community of Democratic Nations"),
], ids=["so-called", "in-the-subject-of-the-verb", "so-called-long"])
def test_a_quoted_term_no_verb_of_saying_governs_has_no_speaker(extract, text, term):
    quote = quote_of(extract(text), term)
    assert quote.type == "partial"
    assert quote.speaker is None
    assert quote.confidence < 0.5


def test_a_longer_term_that_only_qualifies_a_noun_keeps_its_speaker_at_low_confidence(extract):
    text = ("Speaking after a meeting of the “coalition of the willing” in Paris, Mr Macron said the countries "
            "had committed to deploying troops.")
    quote = quote_of(extract(text), "coalition of the willing")
    assert quote.speaker.name == "Macron"
    assert quote.confidence < 0.5


@pytest.mark.parametrize("text, term, name", [
    ("Government spokesman Stefan Kornelius said that Chancellor Friedrich Merz had laid out three "
     "“areas of action” for the talks.", "areas of action", "Stefan Kornelius"),
    ("Mr Putin said on Wednesday that talks were possible, adding that Mr Trump has “a sincere desire” "
     "to reach a settlement.", "a sincere desire", "Putin"),
    ("Roffman, who estimates that his legal costs were “in the seven figures,” described the impact as "
     "devastating.", "in the seven figures,", "Roffman"),
], ids=["object-of-a-reported-clause", "after-adding", "reported-by-the-subject"])
def test_a_short_fragment_the_verb_of_saying_governs_keeps_its_speaker(extract, text, term, name):
    quote = quote_of(extract(text), term)
    assert quote.speaker is not None and quote.speaker.name == name
