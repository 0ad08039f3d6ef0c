"""Fixtures: the real spaCy model loaded once per session, and apps whose clients check the contract."""
from __future__ import annotations

import functools

import pytest

from helpers import ContractClient, load_openapi
from service import create_app
from service.engine import Engine
from service.settings import Settings


@pytest.fixture(scope="session")
def engine() -> Engine:
    """The engine over the real model, built once for the whole session."""
    return Engine.from_settings(Settings())


@pytest.fixture(scope="session")
def nlp(engine):
    """The session engine's spaCy pipeline, for engines over other sieves."""
    return engine.nlp


@pytest.fixture(scope="session")
def openapi():
    return load_openapi()


@pytest.fixture
def app(engine, openapi):
    """The app over the session's engine. pytest-flask's ``client`` validates every response."""
    app = create_app({"TESTING": True, "ENGINE": engine})
    app.test_client_class = functools.partial(ContractClient, openapi=openapi)
    return app
