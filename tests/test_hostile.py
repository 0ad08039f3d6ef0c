"""The engine on hostile text: huge runs of marks, no spaces, control characters, other scripts, astral
characters, thousands of quotes. Crash and blow-up tests, not benchmarks.

Each case must raise nothing, give records whose offsets point at their own text (``check`` in
test_engine.py: every quote, mention, cue and speaker mention), and finish within a bound measured in
the same run: twenty times what the engine takes on ordinary news copy of the same length, and at
least ten seconds. A cost that grows faster than the text (a scan of the paragraph for every quote,
a recursion over a long quotation) blows through that bound long before the largest cases end.
"""
from __future__ import annotations

import time

import pytest

from helpers import check

ORDINARY = ("Prime Minister Keir Starmer met European leaders in Paris on Thursday. "
            "“We are ready to send troops to Ukraine,” he told reporters after the meeting. "
            "An Elysee official said the talks had been “constructive”.\n")


@pytest.fixture(scope="module")
def seconds_per_char(engine) -> float:
    """What the engine takes per character of ordinary copy (about 30,000 characters of it)."""
    engine.extract(ORDINARY)
    text = ORDINARY * 150
    started = time.perf_counter()
    engine.extract(text)
    return (time.perf_counter() - started) / len(text)


@pytest.fixture
def run(engine, seconds_per_char):
    def extract(text: str):
        bound = max(10.0, 20 * seconds_per_char * len(text))
        started = time.perf_counter()
        result = engine.extract(text)
        spent = time.perf_counter() - started
        check(text, result)
        assert spent < bound, f"{spent:.1f}s for {len(text):,} characters; the bound is {bound:.1f}s"
        return result
    return extract


# --- runs of quotation marks ---------------------------------------------------------------------------

@pytest.mark.parametrize("mark", ['"', "“", "'"], ids=["straight", "curly", "apostrophes"])
def test_two_hundred_thousand_marks_in_a_row(run, mark):
    assert run(mark * 200_000).quotes == []


def test_twenty_thousand_single_opening_marks(run):
    assert run(" ‘x" * 20_000).quotes == []
    assert run("‘" * 20_000).quotes == []


def test_one_unclosed_quote_at_the_start_of_half_a_megabyte(run):
    text = "“" + ("The vote is on Friday, officials said in Paris. " * 10_500)[:500_000]
    (quote,) = run(text).quotes
    assert quote.start == 1
    assert quote.text.startswith("The vote is on Friday,")


# --- no spaces, one word, control characters ------------------------------------------------------------

def test_no_spaces_at_all(run):
    text = ("Thevoteisonfriday,officialssaid.“Weareready,”hesaid." * 6_000)[:300_000]
    assert " " not in text
    run(text)


def test_a_single_word_of_a_megabyte(run):
    assert run("a" * 1_000_000).quotes == []


@pytest.mark.parametrize("word", ["—", "(", "“", "—”", "'s"], ids=["dashes", "parentheses", "opening-marks",
                                                              "dash-and-mark", "possessives"])
def test_a_long_word_of_punctuation(run, word):
    # The tokenizer splits such a word one affix at a time, in time quadratic in its length.
    text = "“" + word * (300_000 // len(word)) + "” he said. “We are ready,” she said."
    assert run(text).quotes[-1].text == "We are ready,"
    run(("Officials said " + word * 150 + " ") * 2_000)


def test_nul_and_other_control_characters(run):
    text = "“We are\x00 ready,” he\x01 said.\x07\x1b[0m\x0b\x0c Officials\x7f said \x85 it\u2028was done. " * 300
    result = run(text)
    assert sum(q.text.startswith("We are") for q in result.quotes) == 300


# --- line endings ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("newline", ["\r\n", "\r"], ids=["crlf", "cr"])
def test_windows_and_old_mac_line_endings(run, newline):
    lines = [f"“We are ready to act on day {n},” the minister said." for n in range(300)]
    text = newline.join(lines) + newline
    result = run(text)
    assert [q.text for q in result.quotes] == [f"We are ready to act on day {n}," for n in range(300)]
    assert [q.paragraph for q in result.quotes] == list(range(300))
    assert all(q.speaker is not None and q.speaker.mention.text == "the minister" for q in result.quotes)


# --- other scripts and astral characters ------------------------------------------------------------------

def test_right_to_left_scripts_and_combining_characters(run):
    text = ("“نحن مستعدون,” قال المسؤول. “אנחנו מוכנים,” אמר השר.\n"
            "“Ze\u0301lensky\u0301 is re\u0300ady to talk,” Mr Zelensky\u0308 said.\n") * 300
    result = run(text)
    assert len(result.quotes) == 900


def test_emoji_and_other_astral_characters(run):
    text = "“We are ready 🇺🇦🚀,” Mr Macron said 😀. 𝒜𝓃𝒹 “𝓉𝒽𝑒𝓃 𝓈𝑜𝓂𝑒 𝓂𝑜𝓇𝑒,” she added 👍🏽.\n" * 300
    result = run(text)
    assert len(result.quotes) == 600
    first = result.quotes[0]
    assert text[first.start:first.end] == "We are ready 🇺🇦🚀,"  # offsets count code points, as Python does


# --- many quotes ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("separator", [" ", "\n"], ids=["one-paragraph", "a-paragraph-each"])
def test_five_thousand_attributed_quotes(run, separator):
    text = separator.join(f'"We are ready {n}," he said.' for n in range(5_000))
    result = run(text)
    assert len(result.quotes) == 5_000
    assert all(q.speaker is not None for q in result.quotes)


def test_three_thousand_paragraphs_continuing_one_quote(run):
    text = "\n\n".join(f"“We are ready {n} to act" for n in range(3_000))
    result = run(text)
    assert len(result.quotes) == 3_000
    assert len({q.group for q in result.quotes}) == 1
    assert len({q.type for q in result.quotes}) == 1
