"""Fuzzing the HTTP API from its OpenAPI contract with schemathesis, through the Flask app (WSGI).

Every operation gets requests built from the contract (positive) and requests that break it
(negative: wrong types, unknown members, wrong media types and methods). The service must
never answer 5xx, and every answer must match the contract's schema for its status. The
contract is the one the app serves, which tests/test_contract.py keeps equal to openapi.yaml.

The number of examples is bounded and generation derandomized, so a run is quick and the same
on every machine; raise FUZZ_EXAMPLES locally to search harder.
"""
from __future__ import annotations

import os

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error, response_schema_conformance
from schemathesis.generation import GenerationMode

from service import create_app
from service.settings import Settings

MAX_EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "30"))
CHECKS = [not_a_server_error, response_schema_conformance]
KEY = "fuzz-key-0123456789"

fuzz_settings = settings(max_examples=MAX_EXAMPLES, derandomize=True, database=None, deadline=None,
                         suppress_health_check=list(HealthCheck))


def contract_of(app) -> schemathesis.schemas.BaseSchema:
    schema = schemathesis.openapi.from_wsgi("/openapi.yaml", app)
    schema.config.generation.update(max_examples=MAX_EXAMPLES, deterministic=True)
    return schema


@pytest.fixture(scope="module")
def open_contract(engine):
    """The contract of an app without API keys, calls going to that app."""
    return contract_of(create_app({"TESTING": True, "ENGINE": engine}))


@pytest.fixture(scope="module")
def keyed_contract(engine):
    """The contract of an app that needs an API key on /v1, calls going to that app."""
    return contract_of(create_app({"TESTING": True, "ENGINE": engine, "SETTINGS": Settings(api_keys=(KEY,))}))


open_api = schemathesis.pytest.from_fixture("open_contract")
keyed_api = schemathesis.pytest.from_fixture("keyed_contract")


def is_positive(case) -> bool:
    return case.meta is None or case.meta.generation.mode == GenerationMode.POSITIVE


@open_api.parametrize()
@fuzz_settings
def test_open_api_never_fails_and_keeps_its_contract(case):
    case.call_and_validate(checks=CHECKS)


@keyed_api.parametrize()
@fuzz_settings
def test_keyed_api_never_fails_keeps_its_contract_and_its_door(case):
    # As generated: any key schemathesis makes up is refused on /v1, with a 401 the contract describes.
    response = case.call_and_validate(checks=CHECKS)
    if case.path.startswith("/v1/") and is_positive(case):
        assert response.status_code == 401, response.text
    # The same request with a valid key in place of the made-up ones is let in.
    headers = {name: value for name, value in (case.headers or {}).items()
               if name.lower() not in ("authorization", "x-api-key")}
    case.headers = {**headers, "X-API-Key": KEY}
    response = case.call_and_validate(checks=CHECKS)
    assert response.status_code != 401, response.text
