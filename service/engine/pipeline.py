"""Temporary: replaced by the real pipeline."""
from __future__ import annotations

import time
from typing import Iterable, Iterator

from .. import nlp as nlp_loader
from .model import Result


class Engine:
    def __init__(self, nlp=None):
        self.nlp = nlp if nlp is not None else nlp_loader.load()
        self.model = nlp_loader.describe(self.nlp)

    def extract(self, text: str) -> Result:
        t0 = time.perf_counter()
        self.nlp(text)
        return Result([], [], self.model, len(text), round((time.perf_counter() - t0) * 1000, 3))

    def extract_many(self, texts: Iterable[str]) -> Iterator[Result]:
        for text in texts:
            yield self.extract(text)


_default: Engine | None = None


def default_engine() -> Engine:
    global _default
    if _default is None:
        _default = Engine()
    return _default


def extract(text: str) -> Result:
    return default_engine().extract(text)


def extract_many(texts: Iterable[str]) -> Iterator[Result]:
    return default_engine().extract_many(texts)
