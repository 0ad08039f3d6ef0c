"""Comparing versions of a story (``service.engine.compare``): on the seeds 001 (an AFP report) and 000
(a rewrite of it), and on small versions made for one status or one finding each."""
from __future__ import annotations

from pathlib import Path

import pytest

from service.engine.compare import Comparison, Counterpart, SpeakerName, Words, compare, judge, speakers_agree
from service.engine.result import Quote, Result, Span, Speaker, SpeakerRef

SEEDS = Path(__file__).resolve().parent.parent / "seeds" / "articles"
AFP, REWRITE = "001_81a850ca81dad687", "000_efcebe05e6753dc0"


def seed(name: str) -> str:
    return (SEEDS / f"{name}.txt").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def seed_results(engine) -> dict[str, Result]:
    return {name: engine.extract(seed(name)) for name in (AFP, REWRITE)}


def text_of(results: dict[str, Result], article: str, quote_id: str) -> str:
    return next(quote.text for quote in results[article].quotes if quote.id == quote_id)


def counterpart_of(comparison: Comparison, results: dict[str, Result], words: str) -> Counterpart:
    """The single counterpart of the reference quote that starts with ``words``."""
    found = [alignment for alignment in comparison.alignments
             if text_of(results, alignment.quote.article, alignment.quote.id).startswith(words)]
    assert len(found) == 1, f"{len(found)} reference quotes start with {words!r}"
    (counterpart,) = found[0].counterparts
    return counterpart


def changes(counterpart: Counterpart) -> set[tuple[str, str, str]]:
    return {(piece.op, piece.reference, piece.other) for piece in counterpart.diff if piece.op != "equal"}


def assert_complete(comparison: Comparison, results: dict[str, Result]) -> None:
    """Every reference quote once, one counterpart per other article; every other quote claimed once
    or unmatched."""
    reference = results[comparison.reference]
    assert [a.quote.id for a in comparison.alignments] == [quote.id for quote in reference.quotes]
    others = [name for name in results if name != comparison.reference]
    for alignment in comparison.alignments:
        assert [c.article for c in alignment.counterparts] == others
    for other in others:
        claimed = [c.id for a in comparison.alignments for c in a.counterparts if c.article == other and c.id]
        unmatched = [ref.id for ref in comparison.unmatched if ref.article == other]
        assert sorted(claimed + unmatched) == sorted(quote.id for quote in results[other].quotes)


# --- the seeds ---------------------------------------------------------------------------------

def test_rewrite_against_the_afp_report(seed_results):
    comparison = compare(list(seed_results.items()))
    assert comparison.reference == AFP
    assert_complete(comparison, seed_results)

    ready = counterpart_of(comparison, seed_results, "We are ready")
    assert (ready.status, ready.similarity, ready.speakers_agree, changes(ready)) == ("verbatim", 1.0, True, set())
    assert text_of(seed_results, REWRITE, ready.id) == "We are ready,"

    agreed = counterpart_of(comparison, seed_results, "agreed to continue cooperation in diplomatic efforts to")
    assert agreed.status == "reworded" and agreed.speakers_agree is True
    assert text_of(seed_results, REWRITE, agreed.id).startswith("agreed to continue diplomatic efforts")
    assert {("delete", "cooperation in", ""), ("replace", "in place to secure", "ensuring")} <= changes(agreed)

    enough = counterpart_of(comparison, seed_results, "We now have")
    assert enough.status == "reworded" and enough.speakers_agree is True
    assert {("replace", "enough", "sufficient"), ("replace", "be able to say to", "show"),
            ("replace", "ready", "prepared")} <= changes(enough)
    assert 0.55 <= min(agreed.similarity, enough.similarity) < 1

    dropped = {"agreed to continue cooperation in diplomatic efforts",  # the headline
               "the support of the Americans to guarantee Ukraine’s security.",
               "stressed the good existing cooperation in the Coalition of the Willing", "very disappointed"}
    missing = {text_of(seed_results, AFP, alignment.quote.id) for alignment in comparison.alignments
               if alignment.counterparts == [Counterpart(REWRITE, None, "missing", 0.0, None)]}
    assert missing == dropped
    assert comparison.unmatched == []


def test_afp_report_against_the_rewrite_is_the_mirror(seed_results):
    forward = compare(list(seed_results.items()))
    backward = compare(list(seed_results.items()), reference=REWRITE)
    assert_complete(backward, seed_results)
    mirror = {"delete": "insert", "insert": "delete", "replace": "replace", "equal": "equal"}
    pairs = {}
    for alignment in forward.alignments:
        (counterpart,) = alignment.counterparts
        if counterpart.id is not None:
            pairs[counterpart.id] = (alignment.quote.id, counterpart)
    assert len(pairs) == 3
    for alignment in backward.alignments:
        (counterpart,) = alignment.counterparts
        ours, theirs = pairs[alignment.quote.id]
        assert counterpart.id == ours
        assert (counterpart.status, counterpart.similarity, counterpart.speakers_agree) == \
            (theirs.status, theirs.similarity, theirs.speakers_agree)
        assert [(p.op, p.reference, p.other) for p in counterpart.diff] == \
            [(mirror[p.op], p.other, p.reference) for p in theirs.diff]
    dropped = {a.quote.id for a in forward.alignments if a.counterparts[0].status == "missing"}
    assert {ref.id for ref in backward.unmatched} == dropped
    assert {ref.article for ref in backward.unmatched} == {AFP}


# --- small versions: one status or finding each ---------------------------------------------------

def result_of(*quotes: tuple) -> Result:
    """A result holding ``(text, speaker name, speaker kind[, type[, paragraph]])`` quotes, laid out one
    paragraph each unless told."""
    records, speakers, at = [], {}, 0
    for k, (text, name, kind, *rest) in enumerate(quotes):
        quote_type = rest[0] if rest else "direct"
        paragraph = rest[1] if len(rest) > 1 else k
        quote = Quote(f"q{k}", text, at, at + len(text), quote_type, paragraph, k, 0.9)
        if name is not None:
            speaker = speakers.setdefault(name, Speaker(f"s{len(speakers)}", name, kind))
            speaker.quote_ids.append(quote.id)
            quote.speaker = SpeakerRef(speaker.id, name, Span(name, 0, len(name)))
        records.append(quote)
        at += len(text) + 2
    return Result(records, list(speakers.values()), "test", at, 0.0)


def only_counterpart(ours: Result, theirs: Result) -> Counterpart:
    (alignment,) = compare([("ours", ours), ("theirs", theirs)]).alignments
    (counterpart,) = alignment.counterparts
    return counterpart


MACRON = ("Emmanuel Macron", "person")
STATEMENT = "We now have enough contributions to be able to say to the Americans that we are ready"


@pytest.mark.parametrize("theirs", ["we now have enough contributions to be able to say to the Americans "
                                    "that we are ready.",
                                    "‘We now have enough contributions to be able to say to the Americans that "
                                    "we are ready …",
                                    "We now  have enough contributions\nto be able to say to the Americans that "
                                    "we are ready"])
def test_verbatim_ignores_case_marks_whitespace_and_end_punctuation(theirs):
    counterpart = only_counterpart(result_of((STATEMENT + ",", *MACRON)), result_of((theirs, *MACRON)))
    assert (counterpart.status, counterpart.similarity, counterpart.speakers_agree) == ("verbatim", 1.0, True)
    assert [piece.op for piece in counterpart.diff] == ["equal"]


def test_reworded_with_the_changed_words_as_written():
    theirs = "We now have sufficient contributions to show the Americans that we’re ready"
    counterpart = only_counterpart(result_of((STATEMENT, *MACRON)), result_of((theirs, *MACRON)))
    assert counterpart.status == "reworded" and 0.55 <= counterpart.similarity < 1
    assert changes(counterpart) == {("replace", "enough", "sufficient"), ("replace", "be able to say to", "show"),
                                    ("replace", "we are", "we’re")}
    assert "".join(piece.other + " " for piece in counterpart.diff if piece.other).split() == theirs.split()


def test_fragment_of_a_longer_quote_either_way():
    headline = "enough contributions to be able"
    counterpart = only_counterpart(result_of((STATEMENT, *MACRON)), result_of((headline, *MACRON, "partial")))
    assert counterpart.status == "fragment"
    assert [piece.op for piece in counterpart.diff] == ["delete", "equal", "delete"]
    assert only_counterpart(result_of((headline, *MACRON)), result_of((STATEMENT, *MACRON))).status == "fragment"


def test_two_words_are_too_few_to_call_a_fragment():
    counterpart = only_counterpart(result_of(("are ready", *MACRON)), result_of((STATEMENT, *MACRON)))
    assert counterpart.status == "missing"


def test_paraphrased_by_reported_speech():
    reported = "they now had enough contributions to be able to say to the Americans that they were ready"
    counterpart = only_counterpart(result_of((STATEMENT, *MACRON)), result_of((reported, "Macron", "person",
                                                                                "indirect")))
    assert (counterpart.status, counterpart.speakers_agree) == ("paraphrased", True)
    assert ("replace", "had", "have") not in changes(counterpart)
    assert ("replace", "have", "had") in changes(counterpart)


def test_reported_speech_of_another_statement_is_no_paraphrase():
    other = "the talks on a ceasefire in Ukraine would go on in Paris next week"
    counterpart = only_counterpart(result_of((STATEMENT, *MACRON)), result_of((other, *MACRON, "indirect")))
    assert counterpart.status == "missing"


def test_missing_when_the_other_version_quotes_something_else():
    ours = result_of((STATEMENT, *MACRON))
    theirs = result_of(("Russia must stop the killing immediately", "Antonio Costa", "person"))
    comparison = compare([("ours", ours), ("theirs", theirs)])
    assert comparison.alignments[0].counterparts == [Counterpart("theirs", None, "missing", 0.0, None, [])]
    assert [(ref.article, ref.id) for ref in comparison.unmatched] == [("theirs", "q0")]


def test_same_words_under_another_speaker_is_a_misattribution():
    ours = result_of((STATEMENT, "Elysee official", "anonymous"))
    theirs = result_of((STATEMENT, "French diplomatic source", "anonymous"))
    counterpart = only_counterpart(ours, theirs)
    assert (counterpart.status, counterpart.speakers_agree) == ("verbatim", False)
    assert only_counterpart(ours, result_of((STATEMENT, None, None))).speakers_agree is None


def test_a_misattributed_quote_is_still_paired_when_the_right_one_is_elsewhere():
    ours = result_of(("Yes, we will do it.", *MACRON), ("Yes, we will do it.", "Keir Starmer", "person"))
    theirs = result_of(("Yes, we will do it.", "Keir Starmer", "person"), ("Yes, we will do it.", *MACRON))
    comparison = compare([("ours", ours), ("theirs", theirs)])
    assert [(a.counterparts[0].id, a.counterparts[0].speakers_agree) for a in comparison.alignments] == \
        [("q1", True), ("q0", True)]


@pytest.mark.parametrize("ours, theirs, agree", [
    (("Emmanuel Macron", "person"), ("Macron", "person"), True),
    (("Macron", "person"), ("Emmanuel Macron", "person"), True),
    (("Volodymyr Zelensky", "person"), ("Volodymyr Zelenskiy", "person"), True),
    (("Jean-Noel Barrot", "person"), ("Jean-Noël Barrot", "person"), True),
    (("Jean-Noel Barrot", "person"), ("Jean-Yves Le Drian", "person"), False),
    (("Brigitte Macron", "person"), ("Emmanuel Macron", "person"), False),
    (("Elysee official", "anonymous"), ("Elysee Palace official", "anonymous"), True),
    (("US State Department spokesman", "anonymous"), ("State Department spokesperson", "anonymous"), True),
    (("Elysee official", "anonymous"), ("French diplomatic source", "anonymous"), False),
    (("Elysee official", "anonymous"), ("Emmanuel Macron", "person"), False),
    (("Kremlin", "organization"), ("Kremlin", "organization"), True),
    (("Trump", "organization"), ("Trump", "person"), True),
    (("Trump Organization", "organization"), ("Donald Trump", "person"), False),
])
def test_speakers_agree_by_canonical_name(ours, theirs, agree):
    assert speakers_agree(SpeakerName(*ours), SpeakerName(*theirs)) is agree
    assert speakers_agree(SpeakerName(*theirs), SpeakerName(*ours)) is agree


def test_quotes_moved_to_other_paragraphs_in_another_order(engine):
    ours = engine.extract("“We are ready,” an Elysee official said.\n\n"
                          "Macron told reporters: “France will not wait for anyone.”\n\n"
                          "“The talks will go on until there is a deal,” Starmer said.")
    theirs = engine.extract("Keir Starmer said: “The talks will go on until there is a deal.”\n\n"
                            "The meeting ends on Friday. “France will not wait for anyone,” "
                            "President Emmanuel Macron said.\n\n“We are ready,” an Elysee official said.")
    comparison = compare([("ours", ours), ("theirs", theirs)])
    found = {alignment.quote.id: (c.id, c.status, c.speakers_agree)
             for alignment in comparison.alignments for c in alignment.counterparts}
    assert found == {"q0": ("q2", "verbatim", True), "q1": ("q1", "verbatim", True), "q2": ("q0", "verbatim", True)}
    assert comparison.unmatched == []


def test_an_article_without_quotes(engine):
    quoted = engine.extract("“We are ready,” an Elysee official said.")
    plain = engine.extract("The meeting ends on Friday.")
    comparison = compare([("plain", plain), ("quoted", quoted)])
    assert comparison.alignments == []
    assert [(ref.article, ref.id) for ref in comparison.unmatched] == [("quoted", "q0")]
    comparison = compare([("quoted", quoted), ("plain", plain)])
    assert comparison.alignments[0].counterparts == [Counterpart("plain", None, "missing", 0.0, None, [])]
    assert comparison.unmatched == []


def test_one_counterpart_per_other_article_and_one_to_one():
    ours = result_of((STATEMENT, *MACRON))
    twice = result_of((STATEMENT, *MACRON), (STATEMENT + " again", *MACRON))
    reworded = result_of(("We now have sufficient contributions to be able to say to the Americans that we are "
                          "prepared", *MACRON))
    results = {"ours": ours, "twice": twice, "reworded": reworded}
    comparison = compare(list(results.items()), reference="ours")
    assert_complete(comparison, results)
    assert [(c.article, c.id, c.status) for c in comparison.alignments[0].counterparts] == \
        [("twice", "q0", "verbatim"), ("reworded", "q0", "reworded")]
    assert [(ref.article, ref.id) for ref in comparison.unmatched] == [("twice", "q1")]


def test_reference_must_be_one_of_the_articles_and_ids_unique():
    ours = result_of((STATEMENT, *MACRON))
    with pytest.raises(ValueError, match="reference"):
        compare([("a", ours), ("b", ours)], reference="c")
    with pytest.raises(ValueError, match="unique"):
        compare([("a", ours), ("a", ours)])


def test_words_leave_out_quotation_marks_and_end_punctuation():
    words = Words.of("‘Europe’s partners — a “backstop”,’")
    assert words.keys == ["europe's", "partners", "—", "a", "backstop"]
    assert words.written(0, len(words.keys)) == "Europe’s partners — a “backstop"


def test_judge_is_none_for_different_statements():
    ours = Quote("q0", STATEMENT, 0, len(STATEMENT), "direct", 0, 0, 0.9)
    other = "The results of this call are simple: we will finalize US support"
    theirs = Quote("q0", other, 0, len(other), "direct", 0, 0, 0.9)
    assert judge(ours, theirs, Words.of(STATEMENT), Words.of(other)) is None


def test_the_whole_statement_reworded_wins_over_a_headline_fragment_of_it():
    headline = "enough contributions to be able"
    ours = result_of((headline, *MACRON, "partial"), (STATEMENT, *MACRON))
    theirs = result_of(("We now have enough contributions to be able to tell the Americans that we are prepared",
                        *MACRON))
    comparison = compare([("ours", ours), ("theirs", theirs)])
    assert [(a.counterparts[0].id, a.counterparts[0].status) for a in comparison.alignments] == \
        [(None, "missing"), ("q0", "reworded")]


def test_the_pairs_weighed_are_every_pair_that_may_be_one_statement():
    """Only pairs found similar or nested at once (in C) are judged; none that judging every pair
    would accept is left out, and their similarities are the same."""
    import random

    from rapidfuzz.distance import Indel

    from service.engine.compare import Article, _candidates

    rng = random.Random(14)
    vocabulary = "we are ready to act now , the talks will go on until there is a deal".split()

    def quotes(count: int) -> Result:
        return result_of(*[(" ".join(rng.choice(vocabulary) for _ in range(rng.randint(1, 12))), *MACRON,
                            rng.choice(["direct", "partial", "indirect"])) for _ in range(count)])

    ours, theirs = Article("ours", quotes(60)), Article("theirs", quotes(60))
    candidates = {(i, j): similarity for i, j, similarity in _candidates(ours, theirs)}
    accepted = 0
    for i, quote in enumerate(ours.result.quotes):
        for j, other in enumerate(theirs.result.quotes):
            if judge(quote, other, ours.words[i], theirs.words[j]) is not None:
                accepted += 1
                assert (i, j) in candidates
            if (i, j) in candidates:
                assert candidates[i, j] == pytest.approx(Indel.normalized_similarity(ours.words[i].keys,
                                                                                     theirs.words[j].keys))
    assert 5 < accepted <= len(candidates) < 60 * 60
