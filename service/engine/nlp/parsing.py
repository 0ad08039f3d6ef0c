"""Parse an article in bounded pieces, so the cost stays linear in its length.

The parser and the entity recogniser slow down more than linearly on very long stretches without
a sentence end (a wire dump with no line breaks, hostile input). The text is cut into pieces of
at most ``PIECE_CHARS`` characters, at a line break when there is one, else at a space; the
pieces are parsed with ``nlp.pipe`` and joined back into one ``Doc`` whose text is the article's,
so every character offset stays exact. Articles shorter than a piece are parsed whole.

The tokenizer's prefix and suffix rules are quadratic in the length of a word: 4,000 dashes or
opening parentheses in a row take it two seconds. A stretch without whitespace longer than
``LONG_WORD`` characters is therefore never given to it; it becomes tokens of ``LONG_WORD``
characters, and the rest of the piece is tokenized as usual.

Pieces go to the pipeline in batches of at most ``BATCH_CHARS`` characters: many short articles
share a batch (fewer, larger matrix products), while the memory a batch needs stays bounded
however long the articles are.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager as ContextManager
from contextlib import nullcontext
from typing import TypeVar

from spacy.language import Language
from spacy.tokens import Doc

from ..deadline import Deadline, check

PIECE_CHARS = 20_000
BATCH_CHARS = 30_000
LONG_WORD = 100

_LONG_WORD = re.compile(r"\S{%d,}" % (LONG_WORD + 1))

T = TypeVar("T")


def pieces(text: str, size: int = PIECE_CHARS) -> list[str]:
    """``text`` cut into consecutive pieces of at most ``size`` characters that join back into it."""
    out, start = [], 0
    while len(text) - start > size:
        end = start + size
        cut = text.rfind("\n", start + size // 2, end)
        if cut == -1:
            cut = text.rfind(" ", start + size // 2, end)
        end = cut + 1 if cut != -1 else end
        out.append(text[start:end])
        start = end
    out.append(text[start:])
    return out


def make_doc(nlp: Language, text: str) -> Doc:
    """``nlp.make_doc(text)``, except that a stretch without whitespace longer than ``LONG_WORD`` is
    cut into tokens of ``LONG_WORD`` characters instead of going through the tokenizer."""
    if _LONG_WORD.search(text) is None:
        return nlp.make_doc(text)
    docs, at = [], 0
    for long_word in _LONG_WORD.finditer(text):
        if long_word.start() > at:
            docs.append(nlp.make_doc(text[at:long_word.start()]))
        word = long_word.group()
        words = [word[i:i + LONG_WORD] for i in range(0, len(word), LONG_WORD)]
        spaces = [False] * len(words)
        at = long_word.end()
        if text.startswith(" ", at):  # the space after it, as the tokenizer would have kept it
            spaces[-1] = True
            at += 1
        docs.append(Doc(nlp.vocab, words=words, spaces=spaces))
    if at < len(text):
        docs.append(nlp.make_doc(text[at:]))
    return _join(docs)


def _join(docs: list[Doc]) -> Doc:
    return docs[0] if len(docs) == 1 else Doc.from_docs(docs, ensure_whitespace=False)


def batches(items: Iterable[tuple[str, T]], max_chars: int) -> Iterator[list[tuple[str, T]]]:
    """Consecutive ``(text, context)`` items in lists of at most ``max_chars`` characters of text (an
    item longer than that alone in its list), read lazily."""
    batch: list[tuple[str, T]] = []
    size = 0
    for item in items:
        if batch and size + len(item[0]) > max_chars:
            yield batch
            batch, size = [], 0
        batch.append(item)
        size += len(item[0])
    if batch:
        yield batch


def parse_many(nlp: Language, texts: Iterable[str], batch_chars: int = BATCH_CHARS,
               zone: Callable[[], ContextManager] = nullcontext,
               deadline: Deadline | None = None) -> Iterator[Doc]:
    """One ``Doc`` per text, in order, the pieces of all texts parsed in batches of ``batch_chars``.

    Texts are taken in groups of about ``batch_chars`` characters, each group inside one ``zone()``
    (spaCy's ``memory_zone``: what the group added to the vocabulary is freed once its documents
    have been used, i.e. when the next group starts); a ``Doc`` is valid only until then. The
    ``deadline`` is checked before each batch goes to the pipeline."""
    for group in batches(((text, None) for text in texts), batch_chars):
        with zone():
            yield from _parse_group(nlp, [text for text, _ in group], batch_chars, deadline)


def _parse_group(nlp: Language, texts: list[str], batch_chars: int, deadline: Deadline | None) -> Iterator[Doc]:
    def numbered() -> Iterator[tuple[str, int]]:
        for text in texts:
            parts = pieces(text)
            for index, part in enumerate(parts):
                yield part, len(parts) - 1 - index

    parts: list[Doc] = []
    for batch in batches(numbered(), batch_chars):
        check(deadline, "while parsing")
        docs = ((make_doc(nlp, part), remaining) for part, remaining in batch)
        for doc, remaining in nlp.pipe(docs, batch_size=len(batch), as_tuples=True):
            parts.append(doc)
            if remaining == 0:
                yield _join(parts)
                parts = []


def parse(nlp: Language, text: str, deadline: Deadline | None = None) -> Doc:
    """The ``Doc`` of one text, valid inside the caller's memory zone (if any)."""
    return next(parse_many(nlp, [text], deadline=deadline))
