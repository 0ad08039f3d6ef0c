"""Compare versions of a story: which quotes were kept, changed, dropped or given to someone else.

Each quote of the reference article is paired with at most one quote of every other article, one to
one, the most similar pairs first, whatever the order of the quotes in the texts. A pair is judged
on word tokens: quotation-mark style, case, whitespace and punctuation at the ends do not count.

The thresholds were chosen by measurement (``python -m bench.compare_thresholds``; docs/compare.md,
"How the thresholds were chosen"): no two different statements of the seed and polnear-dev articles are as similar as
``REWORDED_MIN``, while the real rewordings of the seeds and synthetic ones are.
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from difflib import SequenceMatcher
from functools import cached_property
from typing import Literal

import numpy
from rapidfuzz.distance import Indel
from rapidfuzz.fuzz import ratio
from rapidfuzz.process import cdist

from .result import Quote, Result, Speaker

Status = Literal["verbatim", "reworded", "fragment", "paraphrased", "missing"]
DiffOp = Literal["equal", "delete", "insert", "replace"]

# Word-token similarity (2 * common tokens / all tokens) at and above which two quotes are the same
# statement reworded, or, when one side is reported speech, the same statement paraphrased.
REWORDED_MIN = 0.55
PARAPHRASED_MIN = 0.5
# ... provided the shorter quote has this many words: below it, chance similarities abound.
REWORDED_MIN_WORDS = 4
# The shorter quote of a fragment pair has at least this many words: a lone word is no evidence.
FRAGMENT_MIN_WORDS = 3
# Preference for pairs whose speakers agree over pairs of the same words whose speakers do not.
SPEAKER_BONUS = 0.01
# Surnames spelt this alike are one name transliterated two ways (Zelensky, Zelenskiy).
SURNAME_MIN_RATIO = 88

# A word (with inner apostrophes and hyphens: Ukraine's, Russia-Ukraine) or one punctuation mark;
# quotation marks are no tokens at all, so their style and presence never count.
_TOKEN = re.compile(r"\w+(?:['’\-‐]\w+)*|[^\w\s\"“”„‟«»‹›‘’‚‛'`]")
_APOSTROPHES = str.maketrans({"’": "'", "‐": "-"})
_NAME_WORD = re.compile(r"[^\W\d_]+(?:[-'][^\W\d_]+)*")
# Words that vary between versions of one anonymous source: "a US State Department spokesman" is
# "a State Department spokesperson".
_SOURCE_HEADS = {"spokesman": "spokesperson", "spokeswoman": "spokesperson", "spox": "spokesperson",
                 "officials": "official", "sources": "source"}
_SOURCE_NOISE = {"a", "an", "the", "us", "u.s", "u.s.", "senior", "top", "of", "in"}


@dataclass(frozen=True)
class QuoteRef:
    """One quote of one article: the article's id and the quote's id in that article's result."""

    article: str
    id: str


@dataclass(frozen=True)
class DiffPiece:
    """One step of a word-level diff: the reference's words and the other version's, as written."""

    op: DiffOp
    reference: str
    other: str


@dataclass(frozen=True)
class Counterpart:
    """What became of a reference quote in another article."""

    article: str
    id: str | None
    status: Status
    similarity: float
    speakers_agree: bool | None
    diff: list[DiffPiece] = field(default_factory=list)


@dataclass(frozen=True)
class Alignment:
    quote: QuoteRef
    counterparts: list[Counterpart]


@dataclass(frozen=True)
class Comparison:
    reference: str
    alignments: list[Alignment]
    unmatched: list[QuoteRef]  # quotes of the other articles no reference quote claimed


@dataclass(frozen=True)
class Words:
    """A quote's tokens as written (with their offsets in the quote) and as compared."""

    text: str
    spans: list[tuple[int, int]]
    keys: list[str]

    @classmethod
    def of(cls, text: str) -> Words:
        spans = [match.span() for match in _TOKEN.finditer(text)]
        keys = [_fold(text[start:end]) for start, end in spans]
        first = next((i for i, key in enumerate(keys) if _is_word(key)), len(keys))
        last = next((i for i in range(len(keys) - 1, -1, -1) if _is_word(keys[i])), first - 1) + 1
        return cls(text, spans[first:last], keys[first:last])

    @cached_property
    def joined(self) -> str:
        return f" {' '.join(self.keys)} "

    @cached_property
    def word_count(self) -> int:
        return sum(map(_is_word, self.keys))

    def written(self, start: int, end: int) -> str:
        """Tokens ``start:end`` as the article writes them, spaces and all."""
        if start >= end:
            return ""
        return self.text[self.spans[start][0]:self.spans[end - 1][1]]


def _fold(token: str) -> str:
    return token.lower().translate(_APOSTROPHES)


def _is_word(key: str) -> bool:
    return key[:1].isalnum() or key[:1] == "_"


@dataclass(frozen=True)
class Judgement:
    status: Status
    similarity: float


def judge(reference: Quote, other: Quote, ours: Words, theirs: Words,
          similarity: float | None = None) -> Judgement | None:
    """How ``other`` renders ``reference``, or None when it is not the same statement; ``similarity``
    is their token similarity when it is known already."""
    if similarity is None:
        similarity = Indel.normalized_similarity(ours.keys, theirs.keys)
    similarity = round(similarity, 4)
    long_enough = min(ours.word_count, theirs.word_count) >= REWORDED_MIN_WORDS
    if (reference.type == "indirect") != (other.type == "indirect"):
        return Judgement("paraphrased", similarity) if long_enough and similarity >= PARAPHRASED_MIN else None
    if ours.keys == theirs.keys and ours.keys:
        return Judgement("verbatim", 1.0)
    if _is_fragment(ours, theirs):
        return Judgement("fragment", similarity)
    if long_enough and similarity >= REWORDED_MIN:
        return Judgement("reworded", similarity)
    return None


def _is_fragment(ours: Words, theirs: Words) -> bool:
    shorter, longer = sorted((ours, theirs), key=lambda words: len(words.keys))
    return shorter.word_count >= FRAGMENT_MIN_WORDS and shorter.joined in longer.joined


def diff(ours: Words, theirs: Words) -> list[DiffPiece]:
    """Word-level differences, each piece with the words as each version writes them."""
    matcher = SequenceMatcher(None, ours.keys, theirs.keys, autojunk=False)
    return [DiffPiece(op, ours.written(i1, i2), theirs.written(j1, j2))
            for op, i1, i2, j1, j2 in matcher.get_opcodes()]


# --- speakers ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class SpeakerName:
    name: str
    kind: str

    @cached_property
    def words(self) -> list[str]:
        plain = unicodedata.normalize("NFKD", self.name).encode("ascii", "ignore").decode().lower()
        return _NAME_WORD.findall(plain.replace("’", "'"))


def speakers_agree(ours: SpeakerName | None, theirs: SpeakerName | None) -> bool | None:
    """Whether two articles give a quote to the same speaker, by canonical name; None when either
    quote has no speaker."""
    if ours is None or theirs is None:
        return None
    if ours.words and ours.words == theirs.words:
        return True  # the same name, whatever kind the entity recogniser guessed for each mention
    if ours.kind == "person" and theirs.kind == "person":
        return _same_person(ours.words, theirs.words)
    if (ours.kind == "person") != (theirs.kind == "person"):
        return False
    return _same_source(ours.words, theirs.words)


def _same_person(ours: list[str], theirs: list[str]) -> bool:
    """Macron, Mr Macron and Emmanuel Macron are one person; Jean-Noel Barrot and Jean-Yves Le Drian
    are not. Surnames must match (allowing another transliteration), first names when both give one."""
    if not ours or not theirs:
        return False
    if ratio(ours[-1], theirs[-1]) < SURNAME_MIN_RATIO:
        return False
    if len(ours) > 1 and len(theirs) > 1:
        return ours[0] == theirs[0] or ours[0][:1] == theirs[0][:1] and min(len(ours[0]), len(theirs[0])) <= 2
    return True


def _same_source(ours: list[str], theirs: list[str]) -> bool:
    """An Elysee official is an Elysee Palace official but not a French diplomatic source: the head
    nouns agree and the words of one description are all in the other."""
    ours_words = {_SOURCE_HEADS.get(word, word) for word in ours} - _SOURCE_NOISE
    theirs_words = {_SOURCE_HEADS.get(word, word) for word in theirs} - _SOURCE_NOISE
    if not ours or not theirs or _SOURCE_HEADS.get(ours[-1], ours[-1]) != _SOURCE_HEADS.get(theirs[-1], theirs[-1]):
        return False
    return ours_words <= theirs_words or theirs_words <= ours_words


# --- alignment -----------------------------------------------------------------------------------

@dataclass
class Article:
    """One version of the story: its id, its result and what comparing needs of each quote."""

    id: str
    result: Result

    @cached_property
    def words(self) -> list[Words]:
        return [Words.of(quote.text) for quote in self.result.quotes]

    @cached_property
    def speakers(self) -> list[SpeakerName | None]:
        kinds = {speaker.id: speaker for speaker in self.result.speakers}
        return [_speaker_name(quote, kinds) for quote in self.result.quotes]


def _speaker_name(quote: Quote, speakers: dict[str, Speaker]) -> SpeakerName | None:
    if quote.speaker is None:
        return None
    speaker = speakers.get(quote.speaker.id)
    return SpeakerName(quote.speaker.name, speaker.kind if speaker is not None else "unknown")


def compare(articles: Sequence[tuple[str, Result]], reference: str | None = None,
            max_quotes: int | None = None) -> Comparison:
    """Align every quote of the reference article (by default the first) with its counterpart in each
    other article. Article ids must be unique. With ``max_quotes``, only the first ``max_quotes`` quotes
    of each article take part (those an answer trimmed to that many shows).

    Reported speech (records of ``type == "indirect"``) is evidence, not a subject: the reference's own
    reported speech is not aligned, while that of the other articles may be the ``paraphrased``
    counterpart of a reference quote and is never listed as unmatched."""
    versions = [Article(article_id, replace(result, quotes=result.quotes[:max_quotes]))
                for article_id, result in articles]
    ids = [version.id for version in versions]
    if len(set(ids)) != len(ids):
        raise ValueError("article ids must be unique")
    reference = ids[0] if reference is None else reference
    if reference not in ids:
        raise ValueError(f"no article has the reference id {reference!r}")
    ours = _quotations(versions[ids.index(reference)])
    counterparts: list[list[Counterpart]] = [[] for _ in ours.result.quotes]
    unmatched: list[QuoteRef] = []
    for theirs in versions:
        if theirs.id == ours.id:
            continue
        pairs = align(ours, theirs)
        for k, _quote in enumerate(ours.result.quotes):
            counterparts[k].append(pairs.get(k) or Counterpart(theirs.id, None, "missing", 0.0, None))
        claimed = {counterpart.id for counterpart in pairs.values()}
        unmatched += [QuoteRef(theirs.id, quote.id) for quote in theirs.result.quotes
                      if quote.id not in claimed and quote.type != "indirect"]
    alignments = [Alignment(QuoteRef(ours.id, quote.id), counterparts[k])
                  for k, quote in enumerate(ours.result.quotes)]
    return Comparison(reference, alignments, unmatched)


def _quotations(article: Article) -> Article:
    """The article with its quotations only, reported speech left out."""
    quotes = [quote for quote in article.result.quotes if quote.type != "indirect"]
    return Article(article.id, replace(article.result, quotes=quotes))


def _candidates(ours: Article, theirs: Article) -> list[tuple[int, int, float]]:
    """(i, j, similarity) of the pairs of quotes that may be the same statement: similar enough, or one
    holding every token of the other in order (a fragment, perhaps). The similarities of all pairs are
    computed at once in C, so that articles with hundreds of quotes are compared in moments."""
    if not ours.words or not theirs.words:
        return []
    distance = cdist([words.keys for words in ours.words], [words.keys for words in theirs.words],
                     scorer=Indel.distance, dtype=numpy.int32, workers=1)
    ours_lengths = numpy.array([len(words.keys) for words in ours.words])[:, None]
    theirs_lengths = numpy.array([len(words.keys) for words in theirs.words])[None, :]
    similarity = 1 - distance / numpy.maximum(ours_lengths + theirs_lengths, 1)
    within = distance == numpy.abs(ours_lengths - theirs_lengths)
    possible = (similarity >= min(REWORDED_MIN, PARAPHRASED_MIN)) | within
    return [(int(i), int(j), float(similarity[i, j])) for i, j in numpy.argwhere(possible)]


def align(ours: Article, theirs: Article) -> dict[int, Counterpart]:
    """One-to-one pairs between the quotes of two articles, keyed by the reference quote's index.

    Every acceptable pair is weighed, and pairs are taken best first, each quote at most once. The
    weight depends only on the two quotes, so the pairs do not depend on the order of the quotes."""
    candidates = []
    for i, j, similarity in _candidates(ours, theirs):
        judgement = judge(ours.result.quotes[i], theirs.result.quotes[j], ours.words[i], theirs.words[j],
                          similarity)
        if judgement is None:
            continue
        agree = speakers_agree(ours.speakers[i], theirs.speakers[j])
        weight = judgement.similarity + (SPEAKER_BONUS if agree else 0.0)
        candidates.append((-weight, i, j, judgement, agree))
    candidates.sort(key=lambda candidate: candidate[:3])
    pairs: dict[int, Counterpart] = {}
    taken: set[int] = set()
    for _weight, i, j, judgement, agree in candidates:
        if i in pairs or j in taken:
            continue
        taken.add(j)
        pairs[i] = Counterpart(theirs.id, theirs.result.quotes[j].id, judgement.status, judgement.similarity,
                               agree, diff(ours.words[i], theirs.words[j]))
    return pairs
