"""Part of speech, morphology and lemmas as the attribute ruler and the lemmatizer set them, faster.

In ``en_core_web_sm`` the ``attribute_ruler`` (a Matcher of some 180 token patterns run over
every token) and the rule ``lemmatizer`` (which looks lemma candidates up in lists of 50,000
words) cost as much as the parser. Their output for a token depends on very little: the
ruler's single-token patterns read only the token's tag, dependency label, lower-case form
and whether it is whitespace, and a lemma depends only on the form, the part of speech and
the morphology. ``CachedAttributes`` keeps both answers in tables and writes them with one
array per document, falling back to the real components for what it has not seen yet and
for the few stretches where a pattern of several tokens matches ("there is", "let's",
"gonna"). The result is the same, attribute for attribute (``tests/test_attributes.py``).

``install(nlp)`` swaps the two components for this one when their patterns are of the kinds
understood here, and leaves the pipeline as it is otherwise.

The tables are keyed by string ids. Inside spaCy's ``memory_zone`` the strings of words seen for
the first time are transient: they are freed when the zone ends, and a lemma id kept past that
would name nothing. The entries learned inside a zone are therefore noted, and
``forget_transient(nlp)``, called once the zone has ended, drops those whose word or lemma was
freed: the tables keep only what the model's own vocabulary names, and stay bounded however many
new words go through. The lemmatizer's own cache is emptied at the same time.
"""
from __future__ import annotations

import re

import numpy
from spacy.attrs import DEP, LEMMA, MORPH, ORTH, POS, TAG
from spacy.language import Language
from spacy.matcher import Matcher
from spacy.strings import get_string_id
from spacy.tokens import Doc

RULER = "attribute_ruler"
LEMMATIZER = "lemmatizer"
NAME = "cached_attributes"

# What the ruler's patterns may read and write for the tables to stay exact.
_PATTERN_KEYS = {"TAG", "DEP", "LOWER", "IS_SPACE"}
_LOWER_PREDICATES = {"IN", "REGEX"}  # predicates that only ever accept listed or matching forms
_ATTRS_SET = {"TAG", "DEP", "POS", "MORPH", "LEMMA"}
_WRITTEN = [TAG, DEP, POS, MORPH, LEMMA]

# Entries kept before the tables are emptied, whatever the memory zones leave in them.
MAX_ENTRIES = 100_000


def supported(nlp: Language) -> bool:
    """Whether the pipeline's ruler and lemmatizer are of the kinds the tables reproduce exactly."""
    if RULER not in nlp.pipe_names or LEMMATIZER not in nlp.pipe_names:
        return False
    if nlp.pipe_names.index(RULER) + 1 != nlp.pipe_names.index(LEMMATIZER):
        return False
    for entry in nlp.get_pipe(RULER).patterns:
        if not set(entry["attrs"]) <= _ATTRS_SET:
            return False
        for pattern in entry["patterns"]:
            for spec in pattern:
                if not set(spec) <= _PATTERN_KEYS:
                    return False
                lower = spec.get("LOWER")
                if isinstance(lower, dict) and not set(lower) <= _LOWER_PREDICATES:
                    return False
            if len(pattern) > 1 and not any("LOWER" in spec for spec in pattern):
                return False
    return True


def speed_up_lemma_index(nlp: Language) -> None:
    """The rule lemmatizer tests ``form in index`` against lists; sets give the same answers at once."""
    if LEMMATIZER not in nlp.component_names:
        return
    lookups = getattr(nlp.get_pipe(LEMMATIZER), "lookups", None)
    if lookups is None or not lookups.has_table("lemma_index"):
        return
    table = lookups.get_table("lemma_index")
    for key in list(table.keys()):
        if isinstance(table[key], list):
            table[key] = frozenset(table[key])


def install(nlp: Language) -> bool:
    """Replace the ruler and the lemmatizer by ``cached_attributes`` when ``supported``; True if done."""
    speed_up_lemma_index(nlp)
    if NAME in nlp.pipe_names:
        return True
    if not supported(nlp):
        return False
    after = nlp.pipe_names[nlp.pipe_names.index(LEMMATIZER) - 1]
    nlp.disable_pipe(RULER)
    nlp.disable_pipe(LEMMATIZER)
    nlp.add_pipe(NAME, after=after)
    return True


@Language.factory(NAME)
def make_cached_attributes(nlp: Language, name: str) -> CachedAttributes:
    return CachedAttributes(nlp)


class CachedAttributes:
    """The attribute ruler followed by the lemmatizer, answered from tables (see the module)."""

    def __init__(self, nlp: Language, max_entries: int = MAX_ENTRIES):
        self.vocab = nlp.vocab
        self.ruler = nlp.get_pipe(RULER)
        self.lemmatizer = nlp.get_pipe(LEMMATIZER)
        self.max_entries = max_entries
        self._lowers: set[str] = set()
        self._regexes: list[re.Pattern] = []
        self._anchor_lowers: set[str] = set()
        self._anchor_regexes: list[re.Pattern] = []
        self._multi = Matcher(nlp.vocab)
        self._span = 1
        for number, entry in enumerate(self.ruler.patterns):
            for pattern in entry["patterns"]:
                several = len(pattern) > 1
                if several:
                    self._multi.add(str(number), [pattern])
                    self._span = max(self._span, len(pattern))
                for spec in pattern:
                    self._note_lower(spec.get("LOWER"), several)
        self._forms: dict[int, tuple[int, bool]] = {}  # orth -> (lower key, anchors a multi-token pattern)
        self._ruled: dict[tuple, tuple] = {}  # (tag, dep, lower key) -> (tag, dep, pos, morph, lemma)
        self._lemmas: dict[tuple[int, int, int], int] = {}  # (orth, pos, morph) -> lemma
        self._learned_in_zone: list[tuple[int, tuple[int, int, int] | None]] = []  # (orth, lemma key)

    def _note_lower(self, lower, several: bool) -> None:
        if lower is None:
            return
        forms = {lower} if isinstance(lower, str) else set(lower.get("IN", ()))
        regexes = [re.compile(lower["REGEX"])] if isinstance(lower, dict) and "REGEX" in lower else []
        self._lowers |= forms
        self._regexes += regexes
        if several:
            self._anchor_lowers |= forms
            self._anchor_regexes += regexes

    def _form(self, orth: int) -> tuple[int, bool]:
        """What the ruler can see of a word: its lower-case form when a pattern names it (else 0, or
        1 for whitespace), and whether it can take part in a pattern of several tokens."""
        text = self.vocab.strings[orth]
        lower = text.lower()
        if lower in self._lowers or any(regex.search(lower) for regex in self._regexes):
            key = get_string_id(lower)  # only compared, never looked up: no string is stored
        else:
            key = 1 if text.isspace() else 0
        anchor = lower in self._anchor_lowers or any(regex.search(lower) for regex in self._anchor_regexes)
        self._forms[orth] = form = (key, anchor)
        if self.vocab.in_memory_zone:
            self._learned_in_zone.append((orth, None))
        return form

    def __call__(self, doc: Doc) -> Doc:
        if len(self._forms) > self.max_entries or len(self._lemmas) > self.max_entries:
            self.clear()
        if not len(doc):
            return doc
        rows = doc.to_array([ORTH, TAG, DEP]).tolist()
        forms = self._forms
        keys, anchors = [], []
        for i, (orth, tag, dep) in enumerate(rows):
            form = forms.get(orth) or self._form(orth)
            keys.append((tag, dep, form[0]))
            if form[1]:
                anchors.append(i)
        missing = {key for key in keys if key not in self._ruled}
        if missing:
            self._learn(doc, keys, missing)
        ruled = [self._ruled[key] for key in keys]
        self._write(doc, rows, ruled)
        if anchors:
            self._several_tokens(doc, rows, anchors)
        return doc

    def _write(self, doc: Doc, rows: list[list[int]], ruled: list[tuple]) -> None:
        lemmas = self._lemmas
        keep_ruled = not self.lemmatizer.overwrite
        values, unknown = [], []
        for i, ((orth, _tag, _dep), (tag, dep, pos, morph, lemma)) in enumerate(zip(rows, ruled, strict=False)):
            if not (lemma and keep_ruled):
                lemma = lemmas.get((orth, pos, morph))
                if lemma is None:
                    unknown.append(i)
                    lemma = 0
            values.append((tag, dep, pos, morph, lemma))
        array = numpy.array(values, dtype="uint64")
        doc.from_array(_WRITTEN, array)
        if not unknown:
            return
        for i in unknown:
            token = doc[i]
            key = (rows[i][0], token.pos, array[i, 3].item())
            lemma = lemmas.get(key)
            if lemma is None:
                lemma = lemmas[key] = self.vocab.strings.add(self.lemmatizer.lemmatize(token)[0])
                if self.vocab.in_memory_zone:
                    self._learned_in_zone.append((key[0], key))
            token.lemma = lemma

    def _learn(self, doc: Doc, keys: list[tuple], missing: set[tuple]) -> None:
        """Run the real ruler on a document of one token for each unseen key."""
        first: dict[tuple, int] = {}
        for i, key in enumerate(keys):
            if key in missing and key not in first:
                first[key] = i
        sample = [doc[i] for i in first.values()]
        for key, token in zip(first, sample, strict=False):
            alone = Doc(self.vocab, words=[token.text], spaces=[False])
            alone.from_array([TAG, DEP], numpy.array([[token.tag, token.dep]], dtype="uint64"))
            ruled = self.ruler(alone)[0]
            self._ruled[key] = (ruled.tag, ruled.dep, ruled.pos, ruled.morph.key, ruled.lemma)

    def _several_tokens(self, doc: Doc, rows: list[list[int]], anchors: list[int]) -> None:
        """Redo, with the real components, the stretches where a pattern of several tokens matches."""
        reach = self._span - 1
        windows: list[list[int]] = []
        for i in anchors:
            start, end = max(0, i - reach), min(len(doc), i + reach + 1)
            if windows and start <= windows[-1][1]:
                windows[-1][1] = end
            else:
                windows.append([start, end])
        matched: list[list[int]] = []
        for start, end in windows:
            for first, last in sorted((first + start, last + start)
                                      for _id, first, last in self._multi(doc[start:end])):
                if matched and first < matched[-1][1]:
                    matched[-1][1] = max(matched[-1][1], last)
                else:
                    matched.append([first, last])
        for start, end in matched:
            part = doc[start:end].as_doc()
            before = numpy.zeros((end - start, 5), dtype="uint64")
            before[:, :2] = [row[1:] for row in rows[start:end]]
            part.from_array(_WRITTEN, before)
            self.lemmatizer(self.ruler(part))
            for token, redone in zip(doc[start:end], part, strict=False):
                token.tag = redone.tag
                token.dep = redone.dep
                token.pos = redone.pos
                token.set_morph(redone.morph.key)
                token.lemma = redone.lemma

    def clear(self) -> None:
        """Forget the tables (and the lemmatizer's own cache), which grow with the vocabulary."""
        self._forms.clear()
        self._ruled.clear()
        self._lemmas.clear()
        self._learned_in_zone.clear()
        self._clear_lemmatizer_cache()

    def _clear_lemmatizer_cache(self) -> None:
        cache = getattr(self.lemmatizer, "cache", None)
        if isinstance(cache, dict):
            cache.clear()

    def forget_transient(self) -> None:
        """Once a memory zone has ended: drop the entries learned inside it whose word or lemma it freed."""
        strings = self.vocab.strings
        for orth, lemma_key in self._learned_in_zone:
            if lemma_key is None:
                if orth not in strings:
                    self._forms.pop(orth, None)
            else:
                lemma = self._lemmas.get(lemma_key)
                if lemma is not None and (orth not in strings or lemma not in strings):
                    del self._lemmas[lemma_key]
        self._learned_in_zone.clear()
        self._clear_lemmatizer_cache()


def forget_transient(nlp: Language) -> None:
    """After a memory zone: let the tables of ``cached_attributes`` (if installed) forget what it freed."""
    if NAME in nlp.pipe_names:
        nlp.get_pipe(NAME).forget_transient()
