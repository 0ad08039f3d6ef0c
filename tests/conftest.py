"""Fixtures: the real spaCy model loaded once per session, extraction with every record checked, and apps
whose clients check the contract."""
from __future__ import annotations

import functools

import pytest

from helpers import ContractClient, check, load_openapi
from service import create_app
from service.engine import Engine
from service.engine.result import Result
from service.settings import Settings


@pytest.fixture(scope="session")
def engine() -> Engine:
    """The engine over the real model, built once for the whole session."""
    return Engine.from_settings(Settings())


@pytest.fixture(scope="session")
def nlp(engine):
    """The session engine's spaCy pipeline, for engines over other sieves."""
    return engine.nlp


@pytest.fixture
def extract(engine):
    """Extract from a text with the session's engine, every record's offsets and references checked."""
    def run(text: str) -> Result:
        return check(text, engine.extract(text))
    return run


@pytest.fixture(scope="session")
def openapi():
    return load_openapi()


@pytest.fixture
def app(engine, openapi):
    """The app over the session's engine. pytest-flask's ``client`` validates every response."""
    app = create_app({"TESTING": True, "ENGINE": engine})
    app.test_client_class = functools.partial(ContractClient, openapi=openapi)
    return app
