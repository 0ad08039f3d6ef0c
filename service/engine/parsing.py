"""Parse an article in bounded pieces, so the cost stays linear in its length.

The parser and the entity recogniser slow down more than linearly on very long stretches without
a sentence end (a wire dump with no line breaks, hostile input). The text is cut into pieces of
at most ``PIECE_CHARS`` characters, at a line break when there is one, else at a space; the
pieces are parsed with ``nlp.pipe`` and joined back into one ``Doc`` whose text is the article's,
so every character offset stays exact. Articles shorter than a piece are parsed whole.
"""
from __future__ import annotations

from typing import Iterable, Iterator

from spacy.language import Language
from spacy.tokens import Doc

PIECE_CHARS = 20_000


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


def _join(docs: list[Doc]) -> Doc:
    return docs[0] if len(docs) == 1 else Doc.from_docs(docs, ensure_whitespace=False)


def parse_many(nlp: Language, texts: Iterable[str], batch_size: int = 16) -> Iterator[Doc]:
    """One ``Doc`` per text, in order, the pieces of all texts parsed in batches."""
    def numbered() -> Iterator[tuple[str, tuple[int, int]]]:
        for number, text in enumerate(texts):
            parts = pieces(text)
            for index, part in enumerate(parts):
                yield part, (number, len(parts) - 1 - index)

    parts: list[Doc] = []
    for doc, (_number, remaining) in nlp.pipe(numbered(), batch_size=batch_size, as_tuples=True):
        parts.append(doc)
        if remaining == 0:
            yield _join(parts)
            parts = []


def parse(nlp: Language, text: str) -> Doc:
    return next(parse_many(nlp, [text]))
