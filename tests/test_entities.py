"""The article's entity view: who could speak, in order, and who the narration was last about."""
from __future__ import annotations

import pytest

from helpers import check, only, quote_of, speaker_of
from service.engine.nlp.parsing import parse
from service.engine.text.marks import find_quotes, paragraphs
from service.engine.text.masking import mask_quotes
from service.engine.view.context import Context
from service.engine.view.entities import entity_view


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


def test_the_last_person_named_before_a_position_within_a_floor(engine):
    text = "Joe Biden visited the plant. Workers met Kamala Harris there.\n\n“This is a great day.”"
    _, view = view_of(engine, text)
    assert view.last_person(text.index("“This")).text == "Kamala Harris"
    assert view.last_person(text.index("Workers")).text == "Joe Biden"
    assert view.last_person(text.index("“This"), floor=text.index("“This")) is None


def test_speech_verbs_outside_quotes_between_two_offsets(engine):
    text = "Barrot told reporters the talks went well. “We said nothing,” he added.\n\nThe talks ended."
    ctx, view = view_of(engine, text)
    verbs = [ctx.doc[i].text for i in view.speech_verbs_between(0, len(text))]
    assert verbs == ["told", "added"]  # "said" is inside the quote
    assert view.speech_verbs_between(text.index("The talks ended"), len(text)) == []


def _resolved(view, ctx, words: str, occurrence: int = 0) -> str:
    """The entity the view gives to a mention, as its canonical name."""
    start = -1
    for _ in range(occurrence + 1):
        start = ctx.text.index(words, start + 1)
    span = ctx.doc.char_span(start, start + len(words))
    return view.entity(view.speaker_of(span)).name


# (article, mentions resolved first as quotes' speakers, the mention, the entity it stands for)
RESOLVES = [
    # a pronoun: the nearest entity of its gender
    ("Mayor Olivia Chow spoke to the council. Mr. Lee, a councillor, told reporters the budget was late. "
     "“We will fix the roads,” she said.", [], "she", "Olivia Chow"),
    # a person introduced by narration, not the last quote's speaker
    ("“The rink will stay open,” Mayor Olivia Chow said.\n\nCouncillor Dana Price told reporters the "
     "bylaw was outdated.\n\n“It was written for a small town,” she said.", ["Mayor Olivia Chow"], "she",
     "Dana Price"),
    # a definite description: the last source described so
    ("An Elysee official said the talks would go on. Mr. Macron met the press. “We are ready,” the official "
     "said.", [], "the official", "Elysee official"),
]


@pytest.mark.parametrize("text, spoken, words, name", RESOLVES, ids=["gender", "narration", "description"])
def test_a_pronoun_or_description_stands_for_an_entity_named_before(engine, text, spoken, words, name):
    ctx, view = view_of(engine, text)
    for earlier in spoken:
        _resolved(view, ctx, earlier)
    assert _resolved(view, ctx, words) == name


def test_short_forms_of_a_name_are_one_entity(engine):
    text = ("President Emmanuel Macron spoke in Paris. Mr Macron said the talks went well. "
            "Macron left on Monday.")
    ctx, view = view_of(engine, text)
    names = {_resolved(view, ctx, "President Emmanuel Macron"), _resolved(view, ctx, "Mr Macron"),
             _resolved(view, ctx, "Macron", occurrence=2)}
    assert names == {"Emmanuel Macron"}


HYPHENATED = ("“We will build it,” said Anne O'Rourke-Benoit, the mayor. Marc Benoit, a councillor, disagreed. "
              "“It costs too much,” Benoit said. “We can afford it,” O'Rourke-Benoit said.")


def test_a_half_of_a_hyphenated_surname_that_someone_else_bears_is_theirs(engine):
    result = check(HYPHENATED, engine.extract(HYPHENATED))
    first, second, third = (speaker_of(result, quote_of(result, words)) for words in
                            ("We will build it,", "It costs too much,", "We can afford it,"))
    assert first.name == "Anne O'Rourke-Benoit"  # apostrophe and hyphen kept
    assert second.name == "Marc Benoit"
    assert third is first and second is not first


def test_a_half_of_a_hyphenated_surname_alone_is_the_whole_name_s(engine):
    text = "“We will build it,” said Anne O'Rourke-Benoit, the mayor. “It is paid for,” Ms. O'Rourke added."
    result = check(text, engine.extract(text))
    first, second = (speaker_of(result, quote_of(result, words)) for words in
                     ("We will build it,", "It is paid for,"))
    assert first is second and first.name == "Anne O'Rourke-Benoit"


def test_people_who_share_a_surname_are_told_apart_by_first_name_and_title(engine):
    text = ("“We will win,” said Donald Trump. His daughter Ivanka Trump spoke next. “My father is ready,” "
            "Ivanka Trump said. “She is right,” Trump said. Hillary Clinton and Bill Clinton arrived. "
            "“It is time,” Mrs. Clinton said. “Yes,” Mr. Clinton said.")
    result = check(text, engine.extract(text))
    names = [speaker_of(result, quote_of(result, words)).name for words in
             ("We will win,", "My father is ready,", "She is right,", "It is time,", "Yes,")]
    # a bare surname is the first person the article named so; a title picks the one of that gender
    assert names == ["Donald Trump", "Ivanka Trump", "Donald Trump", "Hillary Clinton", "Bill Clinton"]


def test_a_first_name_alone_is_the_person_the_article_paired_it_with(engine):
    text = "Anne O'Rourke-Benoit, the mayor, spoke to donors on Monday. “We are proud of the campaign,” Anne said."
    result = check(text, engine.extract(text))
    assert speaker_of(result, only(result)).name == "Anne O'Rourke-Benoit"


def test_a_surname_the_recogniser_missed_as_a_subject_is_the_next_pronoun_s_antecedent(engine):
    text = ("Kelli Ward wants the Senate to impeach Loretta Lynch. “I will stop them at the door,” said Ward.\n\n"
            "Lynch announced on Monday a lawsuit against the state. “We are seeking a court order,” she said.")
    result = check(text, engine.extract(text))
    assert speaker_of(result, quote_of(result, "We are seeking a court order,")).name == "Loretta Lynch"


def test_a_person_the_article_calls_he_is_no_antecedent_for_she(engine):
    text = ("Robin Park, the treasurer, met the mayor on Monday. “We will fix the roads,” said Jordan Lee. "
            "“It is late,” he added. “We have the money,” she said.")
    result = check(text, engine.extract(text))
    names = [speaker_of(result, quote_of(result, words)).name for words in ("It is late,", "We have the money,")]
    assert names == ["Jordan Lee", "Robin Park"]


# (sentence, the verb, the mention the view gives for whoever it says spoke; None: nobody who can)
SPEAKERS_OF_VERBS = [
    ("“We are ready,” an Elysee official said on Monday.", "said", "an Elysee official"),
    ("“We will go,” said one voter.", "said", "one voter"),
    ("Rubio was asked by Mr Baker whether the plan would work.", "asked", "Mr Baker"),
    ("Thanked by the crowd, Price left the stage.", "Thanked", "Price"),
    ("On Monday said “we are ready” in capitals.", "said", None),
]


@pytest.mark.parametrize("text, verb, mention", SPEAKERS_OF_VERBS, ids=["after", "vox-pop", "agent", "participle",
                                                                        "no-subject"])
def test_the_view_gives_the_mention_a_verb_says_spoke(engine, text, verb, mention):
    ctx, view = view_of(engine, text)
    token = next(t for t in ctx.doc if t.text == verb)
    found = view.speaker_of_verb(token)
    assert (found.text if found is not None else None) == mention


def test_a_subject_that_cannot_be_a_speaker_s_mention_is_none(engine):
    text = "Thanked said the plan would work."
    ctx, view = view_of(engine, text)
    said = next(t for t in ctx.doc if t.text == "said")
    assert view.speaker_of_verb(said) is None  # a verb of saying taken for a name is no speaker


def _pronoun_resolved(view, ctx, words: str) -> str:
    """The entity the view gives to the pronoun opening ``words`` ("she added")."""
    start = ctx.text.index(words)
    pronoun = words.split()[0]
    return view.entity(view.speaker_of(ctx.doc.char_span(start, start + len(pronoun)))).name

# (article, the description resolved first as a quote's speaker, the pronoun, the entity it stands for)
GENDERED_DESCRIPTIONS = [
    ("Mayor Olivia Chow spoke to the council on Monday. “We will fix the roads,” a spokesman for the ministry "
     "said. “The money is there,” he added.", "a spokesman for the ministry", "he", "spokesman for the ministry"),
    ("Mr. Lee met the press on Monday. “I loved the script,” an actress in the film said. “It was brave,” she "
     "added.", "an actress in the film", "she", "actress in the film"),
    # the word gives no antecedent for a pronoun of the other gender
    ("Councillor Dana Price left the meeting early. “We will fix the roads,” a spokesman said. “It is late,” "
     "she added.", "a spokesman", "she", "Dana Price"),
]


@pytest.mark.parametrize("text, described, pronoun, name", GENDERED_DESCRIPTIONS, ids=["male", "female", "other"])
def test_a_description_whose_word_gives_a_gender_is_the_antecedent_of_that_pronoun(engine, text, described,
                                                                                    pronoun, name):
    ctx, view = view_of(engine, text)
    _resolved(view, ctx, described)
    assert _pronoun_resolved(view, ctx, f"{pronoun} added") == name


# (article, mentions resolved first as quotes' speakers, the entity "they" stands for)
THEY = [
    ("The protesters marched to city hall on Monday. “We will not leave,” they said.", [], "protesters"),
    ("Officials at the ministry met the union on Monday. “We made an offer,” they said.", [],
     "Officials at the ministry"),
    ("The Teamsters called a strike on Monday. The report of the board came out later. “We will not go back,” "
     "they said.", ["The report"], "Teamsters"),  # a text is no antecedent for "they"
]


@pytest.mark.parametrize("text, spoken, name", THEY, ids=["group", "officials", "not-a-text"])
def test_they_stands_for_a_group_or_an_organisation(engine, text, spoken, name):
    ctx, view = view_of(engine, text)
    for earlier in spoken:
        _resolved(view, ctx, earlier)
    assert _pronoun_resolved(view, ctx, "they said") == name
