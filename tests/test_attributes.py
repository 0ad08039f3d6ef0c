"""The cached attributes give the same annotations as the attribute ruler and lemmatizer they replace."""
from __future__ import annotations

from pathlib import Path

import pytest
import spacy

from service.engine.nlp import attributes
from service.settings import DEFAULT_MODEL

SEEDS = Path(__file__).resolve().parent.parent / "seeds" / "articles"

# Patterns of several tokens ("there is", "let's", "gonna", "ain't", "y'all"), pronouns whose
# morphology depends on their dependency label, whitespace tokens, an empty line.
EDGE_CASES = ("There is a problem. Y'all ain't gonna believe it, let's go. I said it and he got ta go.  \n\n"
              "  It was\tthere. C'm on.  Do it! They did it, and there were \"many\" of them. Let's.\n"
              "Gonna")


def _annotations(doc) -> list[tuple]:
    return [(t.text, t.tag_, t.dep_, t.head.i, t.pos_, t.morph.key, str(t.morph), t.lemma_) for t in doc]


@pytest.fixture(scope="module")
def pipelines():
    stock = spacy.load(DEFAULT_MODEL, exclude=["ner"])
    cached = spacy.load(DEFAULT_MODEL, exclude=["ner"])
    assert attributes.install(cached)
    assert attributes.NAME in cached.pipe_names
    assert "attribute_ruler" not in cached.pipe_names and "lemmatizer" not in cached.pipe_names
    return stock, cached


def test_same_annotations_as_the_stock_components(pipelines):
    stock, cached = pipelines
    texts = [path.read_text(encoding="utf-8") for path in sorted(SEEDS.glob("*.txt"))] + [EDGE_CASES, ""]
    # Twice: once filling the tables, once answering from them.
    for _round in range(2):
        for expected, got in zip(stock.pipe(texts), cached.pipe(texts), strict=True):
            assert _annotations(got) == _annotations(expected)


def test_same_annotations_after_the_tables_are_emptied(pipelines):
    stock, cached = pipelines
    cached.get_pipe(attributes.NAME).clear()
    assert _annotations(cached(EDGE_CASES)) == _annotations(stock(EDGE_CASES))


def test_a_pattern_it_cannot_reproduce_leaves_the_pipeline_alone():
    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("attribute_ruler")
    ruler.add([[{"LOWER": "a"}, {"IS_ALPHA": True, "OP": "+"}]], {"LEMMA": "x"})
    nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    assert not attributes.install(nlp)
    assert nlp.pipe_names == ["attribute_ruler", "lemmatizer"]
