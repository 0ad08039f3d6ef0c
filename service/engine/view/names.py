"""How speakers are named: canonical names, first names, gender words and kinds, from the article's own text.

"Mr Macron", "Macron" and "President Emmanuel Macron" all name "Emmanuel Macron" (the longest form);
"an Elysee official" is named "Elysee official". Names are cut from the article's own text (the parser
saw quoted sentences replaced by stand-ins), so "Jean-Noel Barrot" and "Anne O'Rourke-Benoit" keep
their hyphens and apostrophes. Which mentions are one speaker is the entity view's business
(``grouping.py``); this module only reads names.
"""
from __future__ import annotations

from collections.abc import Callable

from spacy.tokens import Span, Token

from .lexicon import (
    ANONYMOUS_HEADS,
    FEMALE_NAMES,
    FEMALE_WORDS,
    MALE_NAMES,
    MALE_WORDS,
    ORGANIZATION_HEADS,
    TITLES,
    VOX_POP,
)
from .mentions import is_body_of_named, is_document, spoken_head
from .tags import SUBJECT_DEPS

_DETERMINERS = {"a", "an", "the", "its", "this", "that", "these", "those", "another", "one"}
# Titles that only people bear ("General" and "Chief" also open names of companies).
_PERSONAL_TITLES = MALE_WORDS | FEMALE_WORDS | {
    "dr", "dr.", "prof", "prof.", "president", "senator", "sen", "sen.", "rep", "rep.", "gov", "gov.",
    "governor", "mayor", "chancellor", "minister", "secretary", "judge", "pope", "spokesman", "spokeswoman"}
_HYPHENS = {"-", "‐", "‑"}


def strip_possessive(word: str) -> str:
    for suffix in ("'s", "’s"):
        if word.lower().endswith(suffix):
            return word[: -len(suffix)]
    return word.rstrip("'’")


def is_word(token: Token) -> bool:
    return any(c.isalnum() for c in token.text)


def name_tokens(span: Span) -> list[Token]:
    """The tokens of a name without titles, determiners and a possessive: "President Emmanuel Macron's"
    -> Emmanuel Macron."""
    tokens = [t for t in span if t.tag_ != "POS"]
    while tokens and (tokens[0].lower_ in TITLES or tokens[0].lower_ in _DETERMINERS or not is_word(tokens[0])):
        tokens.pop(0)
    while tokens and not is_word(tokens[-1]):
        tokens.pop()
    return tokens


def name_text(text: str, span: Span) -> str:
    """The name as the article writes it (hyphens, accents and all), on one line."""
    tokens = name_tokens(span)
    if not tokens:
        return ""
    last = tokens[-1]
    return " ".join(strip_possessive(text[tokens[0].idx:last.idx + len(last.text)]).split())


def description(text: str, span: Span) -> str:
    """The mention's own words without a leading determiner or a trailing possessive: "an Elysee
    official" -> Elysee official, "the network's" -> network; "one of the leaked emails" stays whole."""
    start, end = span.start, span.end
    while start < end - 1 and span.doc[start].lower_ in _DETERMINERS and span.doc[start + 1].lower_ != "of":
        start += 1
    while end - 1 > start and span.doc[end - 1].tag_ == "POS":
        end -= 1
    words = " ".join(text[span.doc[start].idx:span.doc[end - 1].idx + len(span.doc[end - 1])].split())
    return strip_possessive(words) or span.text


def first_name(text: str, span: Span) -> str:
    """The first of a name's words before its surname, lower-cased: "Mr Donald Trump" -> donald;
    none in "O'Rourke-Benoit"."""
    tokens = name_tokens(span)
    start = _surname_start(tokens)
    if start == 0:
        return ""
    words = text[tokens[0].idx:tokens[start].idx].split()
    return words[0].lower() if words else ""


def gender_of(text: str, span: Span) -> str | None:
    """From a title or word next to the name (Mr, Queen, his wife), else from a common first name."""
    for token in span.doc[max(0, span.start - 1): span.end]:
        if token.lower_ in MALE_WORDS:
            return "male"
        if token.lower_ in FEMALE_WORDS:
            return "female"
    first = first_name(text, span)
    if first in FEMALE_NAMES:
        return "female"
    if first in MALE_NAMES:
        return "male"
    return None


def _surname_start(tokens: list[Token]) -> int:
    """Where the surname begins among a name's tokens: its last word with the hyphenated parts before it."""
    first = len(tokens) - 1
    while first >= 2 and tokens[first - 1].text in _HYPHENS and not tokens[first - 1].whitespace_ \
            and not tokens[first - 2].whitespace_:
        first -= 2
    return max(first, 0)


def surname(text: str, span: Span) -> str:
    """The surname a name's short forms share, lower-cased, with the hyphenated parts that belong to it:
    "Anne O'Rourke-Benoit" -> o'rourke-benoit (not "benoit", which may be somebody else's)."""
    tokens = name_tokens(span)
    if not tokens:
        return ""
    last = tokens[-1]
    return strip_possessive(text[tokens[_surname_start(tokens)].idx:last.idx + len(last.text)]).lower()


def surname_parts(key: str) -> list[str]:
    """The halves of a hyphenated surname, each a short form the article may use alone."""
    parts = [part for part in key.replace("‐", "-").replace("‑", "-").split("-") if part]
    return parts if len(parts) > 1 else []


def description_kind(mention: Span) -> str:
    """What an unnamed mention is: a document ("the report"), anonymous ("an official", "one voter"),
    an organisation ("the ministry", "the city of Toronto"), or unknown."""
    head = mention.root
    lemma = head.lemma_.lower()
    text = spoken_head(mention)
    if text is not None and is_document(text):
        return "document"
    if lemma in ANONYMOUS_HEADS or mention[0].lower_ in VOX_POP:
        return "anonymous"
    if head.ent_type_ in ("ORG", "GPE", "NORP") or lemma in ORGANIZATION_HEADS or is_body_of_named(head):
        return "organization"
    return "unknown"


def is_person_name(text: str, span: Span, known_person: Callable[[str], bool]) -> bool:
    """Is a name the recogniser took for an organisation a person's? It is when a title or a
    common first name goes with it, when the article names a person so elsewhere (``known_person``
    of its surname), or when the speaker goes on as "he" or "she" (Trump said he was …)."""
    previous = span.doc[span.start - 1] if span.start > 0 else None
    if any(t.lower_ in _PERSONAL_TITLES for t in span) or (previous is not None and previous.lower_ in
                                                             _PERSONAL_TITLES):
        return True
    if gender_of(text, span) is not None or known_person(surname(text, span)):
        return True
    root = span.root
    if root.dep_ in SUBJECT_DEPS:
        verb = root.head
        for token in span.doc[verb.i + 1:verb.i + 4]:
            if token.lower_ in ("he", "she") and token.dep_ in SUBJECT_DEPS and token.head.dep_ == "ccomp" \
                    and token.head.head.i == verb.i:
                return True
    return False
