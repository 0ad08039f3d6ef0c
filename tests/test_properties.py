"""Properties of the engine on any text, checked with generated input (hypothesis).

The generated texts mix quotation marks of every kind, apostrophes, line breaks, words, names,
speech verbs, control characters, emoji and right-to-left script, plus arbitrary characters. Whatever
the text: no exception escapes, every quote, mention and cue points at its own text, quotes and
speakers refer to each other, and extracting twice gives the same result.
"""
from __future__ import annotations

import dataclasses

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from helpers import check
from service.engine.text.marks import find_quotes, paragraphs

MARKS = ['"', "“", "”", "„", "«", "»", "‘", "’", "'", "‚", "‹", "›", "`", "''", "``", "‘‘", "’’"]
WORDS = ["we", "are", "ready", "to", "act", "the", "vote", "is", "on", "Friday", "We", "It", "was", "a",
         "deal", "coalition", "of", "willing", "Europe", "must", "wake", "up", "not", "there", "yet"]
NAMES = ["Emmanuel Macron", "Mr Macron", "Macron", "Angela Merkel", "Jean-Noel Barrot", "Keir Starmer",
         "Trump", "Ms Kallas", "PENCE:", "HARRIS:", "An Elysee official", "the official", "the ministry",
         "a senior diplomat", "the French leader", "he", "she", "they", "it"]
SPEECH = ["said", "told reporters", "added", "according to", "wrote", "warned that", "said:", "continued:",
          "― Jane Doe", "— John Smith"]
APOSTROPHES = ["Macron's", "Ukraine’s", "don't", "'90s", "’90s", "states'", "rock 'n' roll", "'Tis", "o'clock"]
BREAKS = ["\n", "\n\n", "\r\n", "\r", "\u2028", "\x85"]
PUNCTUATION = [",", ".", ":", ";", "?", "!", "—", "–", "-", "…", "(", ")", "<b>", '<tweet author="x">']
ODD = ["\x00", "\x01", "\x07", "\x1b", "\x0b", "\x0c", "\x7f", "\u200b", "\ufeff", "e\u0301", "😀", "🇺🇦",
       "👍🏽", "𝒜𝓃𝒹", "قال المسؤول", "אמר השר", "中文", " " * 5, "\t"]

pieces = st.one_of(
    st.sampled_from(MARKS), st.sampled_from(WORDS), st.sampled_from(NAMES), st.sampled_from(SPEECH),
    st.sampled_from(APOSTROPHES), st.sampled_from(BREAKS), st.sampled_from(PUNCTUATION), st.sampled_from(ODD),
    st.text(max_size=6),
)
# “We are ready to act,” Mr Macron said. — a quote with its attribution, marks of any kind
attributed = st.builds(
    lambda open_, words, end, close, name, verb, stop: f"{open_}{' '.join(words)}{end}{close} {name} {verb}{stop}",
    st.sampled_from(MARKS), st.lists(st.sampled_from(WORDS + APOSTROPHES), min_size=1, max_size=8),
    st.sampled_from(["", ",", ".", "?"]), st.sampled_from(MARKS), st.sampled_from(NAMES), st.sampled_from(SPEECH),
    st.sampled_from([".", "", "\n", " "]))
# Mr Macron said: “We are ready — the attribution first, the quote perhaps left open
leading = st.builds(
    lambda name, verb, open_, words, close: f"{name} {verb} {open_}{' '.join(words)}{close}",
    st.sampled_from(NAMES), st.sampled_from(SPEECH), st.sampled_from(MARKS),
    st.lists(st.sampled_from(WORDS), min_size=1, max_size=8), st.sampled_from(MARKS + ["", "\n"]))

texts = st.one_of(
    st.lists(st.tuples(st.one_of(pieces, attributed, leading), st.sampled_from(["", " ", " ", " "])),
             max_size=40).map(lambda parts: "".join(piece + sep for piece, sep in parts)),
    st.text(max_size=200),
)

BOUNDED = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _comparable(result) -> dict:
    fields = dataclasses.asdict(result)
    fields.pop("elapsed_ms")
    return fields


@BOUNDED
@given(text=texts)
def test_any_text_gives_records_that_point_at_their_own_text(engine, text):
    check(text, engine.extract(text))


# The official said that the vote is on Friday, he added. — reported speech, with or without a "that"
reported = st.builds(
    lambda name, verb, that, words, stop: f"{name} {verb} {that}{' '.join(words)}{stop}",
    st.sampled_from(NAMES), st.sampled_from(SPEECH), st.sampled_from(["", "that ", ": ", ", "]),
    st.lists(st.sampled_from(WORDS + NAMES + MARKS), min_size=1, max_size=10), st.sampled_from([".", ",", "", "\n"]))
texts_with_reports = st.lists(st.tuples(st.one_of(pieces, attributed, reported), st.sampled_from(["", " ", " "])),
                              max_size=30).map(lambda parts: "".join(piece + sep for piece, sep in parts))


@BOUNDED
@given(text=st.one_of(texts, texts_with_reports))
def test_reported_speech_records_point_at_their_own_text(engine, text):
    result = check(text, engine.extract(text, include=("indirect",)))
    plain = engine.extract(text)
    assert [(q.start, q.end, q.type) for q in result.quotes if q.type != "indirect"] == \
        [(q.start, q.end, q.type) for q in plain.quotes]


@BOUNDED
@given(text=texts)
def test_extraction_is_deterministic(engine, text):
    assert _comparable(engine.extract(text)) == _comparable(engine.extract(text))


@settings(max_examples=400, deadline=None)
@given(text=texts)
def test_quoted_stretches_are_ordered_trimmed_and_inside_one_paragraph(text):
    paras = paragraphs(text)
    previous_end = 0
    for span in find_quotes(text):
        assert previous_end <= span.open_mark.pos < span.open_mark.end <= span.start < span.end
        assert text[span.start:span.end] == text[span.start:span.end].strip()
        para = paras[span.paragraph]
        assert para.start <= span.open_mark.pos and span.outer_end <= para.end
        previous_end = span.outer_end
