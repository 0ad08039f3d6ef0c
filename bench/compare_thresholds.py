"""How the thresholds of ``service.engine.compare`` were chosen: ``python -m bench.compare_thresholds``.

Negatives are pairs of gold quotes from different articles (the seeds and, when ``../shared/eval-data``
is there, polnear-dev) that are neither the same words nor one inside the other: different statements,
save the odd one two outlets both quoted, which the listing of the most similar pairs shows. Positives
are the two real rewordings between seeds 001 and 000 and synthetic rewordings of every gold quote of
eight words or more (every fourth, third or second word replaced, dropped or given a word before it), and synthetic
reported speech (pronouns and tenses shifted, as a writer paraphrasing does). For each candidate
threshold it prints the share of positives kept and the number of negatives let in; for fragments, how
many different statements contain another article's quote of n words.
"""
from __future__ import annotations

import json
import random
import re
from itertools import product

from rapidfuzz.distance import Indel

from service.engine.compare import REWORDED_MIN_WORDS, Words, _is_fragment

from .speed import EVAL_DATA, ROOT

THRESHOLDS = (0.4, 0.45, 0.5, 0.55, 0.6, 0.65)
MIN_WORDS = (1, 2, 3, 4, 5, 6)
SEED_REWORDINGS = [  # seeds 001 and 000: the same statements, reworded inside the quotation marks
    ("agreed to continue cooperation in diplomatic efforts to bring the Russia-Ukraine war to an end through a "
     "negotiated settlement with measures in place to secure a lasting peace.",
     "agreed to continue diplomatic efforts to bring an end to the Russia-Ukraine war through negotiations "
     "that include measures ensuring a lasting peace."),
    ("We now have enough contributions to be able to say to the Americans that we are ready to take our "
     "responsibilities as long as they take on theirs — meaning giving European partners a ‘backstop’.",
     "We now have sufficient contributions to show the Americans that we are prepared to fulfill our "
     "responsibilities, provided they do the same—specifically by giving European partners a ‘backstop’."),
]
REPORTED = {"i": "he", "we": "they", "me": "him", "us": "them", "my": "his", "our": "their", "am": "was",
            "is": "was", "are": "were", "will": "would", "can": "could", "have": "had", "has": "had",
            "do": "did", "don't": "didn't", "won't": "wouldn't", "this": "that", "here": "there",
            "now": "then", "today": "that day"}


def gold_quotes() -> list[tuple[str, str, str]]:
    """(article, kind, text) of every gold quote of the seeds and polnear-dev."""
    files = sorted((ROOT / "seeds" / "gold").glob("*.json")) + sorted((EVAL_DATA / "polnear-dev").glob("*.json"))
    quotes = []
    for path in files:
        gold = json.loads(path.read_text(encoding="utf-8"))
        quotes += [(gold["id"], quote.get("kind", "direct"), quote["text"]) for quote in gold["quotes"]]
    return quotes


def similarity(ours: Words, theirs: Words) -> float:
    return Indel.normalized_similarity(ours.keys, theirs.keys)


def reworded(text: str, every: int, rng: random.Random, vocabulary: list[str]) -> str:
    """Every ``every``-th word replaced by a word of another quote, dropped, or given a word before it,
    in turn."""
    words = text.split()
    out = []
    for n, word in enumerate(words):
        if n % every != every - 1:
            out.append(word)
            continue
        change = n // every % 3
        if change == 0:
            out.append(rng.choice(vocabulary))
        elif change == 2:
            out += [rng.choice(vocabulary), word]
    return " ".join(out)


def reported(text: str) -> str:
    return re.sub(r"[\w']+", lambda m: REPORTED.get(m.group().lower(), m.group()), text)


def different_statements(quotes, words, kinds=("direct", "direct")) -> tuple[list[tuple[float, int, int, int]], dict]:
    """(similarity, words of the shorter, i, j) of pairs of different statements from different articles,
    most similar first; and how many pairs are a fragment, by the fragment's length in words."""
    known = {frozenset(pair) for pair in SEED_REWORDINGS}
    firsts = [k for k, quote in enumerate(quotes) if quote[1] == kinds[0]]
    seconds = [k for k, quote in enumerate(quotes) if quote[1] == kinds[1]]
    pairs, fragments = [], {}
    for i, j in product(firsts, seconds):
        if i >= j and kinds[0] == kinds[1] or quotes[i][0] == quotes[j][0] or words[i].keys == words[j].keys \
                or not words[i].keys or not words[j].keys or frozenset((quotes[i][2], quotes[j][2])) in known:
            continue
        shorter = min(words[i].word_count, words[j].word_count)
        if kinds[0] == kinds[1] and _is_fragment(words[i], words[j]):
            fragments[shorter] = fragments.get(shorter, 0) + 1
            continue
        pairs.append((similarity(words[i], words[j]), shorter, i, j))
    return sorted(pairs, reverse=True), fragments


def let_in(pairs, threshold: float, min_words: int) -> int:
    return sum(score >= threshold and shorter >= min_words for score, shorter, _, _ in pairs)


def main() -> None:
    quotes = gold_quotes()
    words = [Words.of(text) for _, _, text in quotes]
    negatives, fragments = different_statements(quotes, words)
    print(f"{len(quotes)} gold quotes (direct and reported speech), {len(negatives):,} pairs of different "
          "direct quotes from different articles")
    print(f"the most similar of {REWORDED_MIN_WORDS} words or more (some are one statement two outlets quoted):")
    for score, _, i, j in [pair for pair in negatives if pair[1] >= REWORDED_MIN_WORDS][:6]:
        print(f"  {score:.3f}  {quotes[i][2][:80]!r}\n         {quotes[j][2][:80]!r}")

    rng = random.Random(14)
    direct = [k for k, quote in enumerate(quotes) if quote[1] == "direct"]
    vocabulary = [key for k in direct for key in words[k].keys if key.isalpha()]
    long_quotes = [quotes[k][2] for k in direct if words[k].word_count >= 8]
    positives = {"seeds 001/000": [similarity(Words.of(a), Words.of(b)) for a, b in SEED_REWORDINGS]}
    for every in (4, 3, 2):
        positives[f"1 in {every} changed"] = [
            similarity(Words.of(text), Words.of(reworded(text, every, rng, vocabulary))) for text in long_quotes]
    print("\nrewordings kept, and different statements let in when the shorter quote has at least n words")
    print("threshold  " + "".join(f"{name:>15}" for name in positives) + "".join(f"{f'n={n}':>8}" for n in MIN_WORDS))
    for threshold in THRESHOLDS:
        kept = "".join(f"{sum(s >= threshold for s in scores) / len(scores):>15.1%}" for scores in positives.values())
        print(f"{threshold:>9}  {kept}" + "".join(f"{let_in(negatives, threshold, n):>8,}" for n in MIN_WORDS))

    paraphrases = [similarity(Words.of(text), Words.of(reported(text))) for text in long_quotes]
    unrelated, _ = different_statements(quotes, words, ("direct", "indirect"))
    print(f"\nreported speech: synthetic paraphrases kept, and {len(unrelated):,} pairs of a direct quote and "
          "reported speech of another article let in (n as above)")
    for threshold in THRESHOLDS:
        print(f"{threshold:>9}  {sum(s >= threshold for s in paraphrases) / len(paraphrases):>6.1%}"
              + "".join(f"{let_in(unrelated, threshold, n):>8,}" for n in MIN_WORDS))

    print("\nfragments: a quote of n words inside a different statement of another article")
    for n in sorted(fragments):
        print(f"  {n:>2} words: {fragments[n]:>5,}")


if __name__ == "__main__":
    main()
