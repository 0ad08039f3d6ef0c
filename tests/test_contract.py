"""openapi.yaml: generated from the marshmallow schemas, valid, served, and in step with the app."""
from __future__ import annotations

import copy
import json
import subprocess
import sys

import pytest
import yaml
from openapi_core.contrib.werkzeug import WerkzeugOpenAPIRequest, WerkzeugOpenAPIResponse
from openapi_core.exceptions import OpenAPIError
from openapi_spec_validator import validate as validate_spec
from werkzeug.test import EnvironBuilder
from werkzeug.wrappers import Request, Response

from helpers import OPENAPI_PATH, ROOT
from service import create_app
from service.contract import openapi as contract
from service.settings import Settings

IGNORED_METHODS = {"HEAD", "OPTIONS"}


@pytest.fixture(scope="module")
def committed() -> str:
    return OPENAPI_PATH.read_text(encoding="utf-8")


def test_committed_file_is_what_the_schemas_generate(committed):
    assert contract.spec_yaml() == committed, (
        "openapi.yaml is out of date: regenerate it with `python -m service.contract.openapi > openapi.yaml`")


def test_module_prints_the_contract(committed):
    printed = subprocess.run([sys.executable, "-m", "service.contract.openapi"], cwd=ROOT, check=True,
                             capture_output=True, text=True, encoding="utf-8").stdout
    assert printed == committed


def test_committed_file_is_a_valid_openapi_document(committed):
    document = yaml.safe_load(committed)
    validate_spec(document)
    assert document["openapi"].startswith("3.1")


def test_app_routes_and_contract_paths_agree(app, committed):
    documented = {(path, method.upper())
                  for path, operations in yaml.safe_load(committed)["paths"].items()
                  for method in operations}
    routed = {(rule.rule, method)
              for rule in app.url_map.iter_rules()
              for method in rule.methods - IGNORED_METHODS
              if not rule.endpoint.startswith("web.")}  # the HTML page is not part of the API
    assert routed == documented


def test_openapi_route_serves_the_committed_file(client, committed):
    response = client.get("/openapi.yaml")
    assert response.status_code == 200
    assert response.mimetype == "application/yaml"
    assert response.get_data(as_text=True) == committed


def test_each_operation_asks_for_a_key_as_its_security_says(engine, committed):
    """With keys configured, an operation with security requirements answers 401 without a key and
    one with ``security: []`` answers all the same."""
    keyed = create_app({"TESTING": True, "ENGINE": engine, "SETTINGS": Settings(api_keys=("contract-key-1234",))})
    client = keyed.test_client()
    for path, operations in yaml.safe_load(committed)["paths"].items():
        for method, operation in operations.items():
            status = client.open(path, method=method.upper()).status_code
            if operation["security"]:
                assert status == 401, f"{method.upper()} {path} answered {status} without a key"
            else:
                assert status != 401, f"{method.upper()} {path} asked for a key"


@pytest.mark.parametrize("media_type", ["application/json", "text/plain"])
def test_request_examples_in_the_contract_are_answered(client, committed, media_type):
    operation = yaml.safe_load(committed)["paths"]["/v1/quotes"]["post"]
    example = operation["requestBody"]["content"][media_type]["example"]
    if media_type == "application/json":
        response = client.post("/v1/quotes", json=example)
    else:
        response = client.post("/v1/quotes", data=example.encode("utf-8"),
                               content_type="text/plain; charset=utf-8")
    assert response.status_code == 200


def _validate(openapi, body: dict, status: int = 200, content_type: str = "application/json") -> None:
    request = Request(EnvironBuilder(path="/v1/quotes", method="POST", json={"text": "x"}).get_environ())
    response = Response(json.dumps(body), status=status, content_type=content_type)
    openapi.validate_response(WerkzeugOpenAPIRequest(request), WerkzeugOpenAPIResponse(response))


def test_the_validator_rejects_responses_that_break_the_contract(client, openapi):
    """The contract client is only as good as its validator: show that it catches drift."""
    good = client.post("/v1/quotes", json={"text": "“We are ready,” an Elysee official said."}).get_json()
    _validate(openapi, good)

    missing_meta = copy.deepcopy(good)
    del missing_meta["meta"]
    extra_member = dict(good, debug=True)
    bad_offset = copy.deepcopy(good)
    bad_offset["meta"]["characters"] = -1
    for broken in (missing_meta, extra_member, bad_offset):
        with pytest.raises(OpenAPIError):
            _validate(openapi, broken)
    with pytest.raises(OpenAPIError):  # a status the contract does not list
        _validate(openapi, good, status=201)
    with pytest.raises(OpenAPIError):  # errors must be problem+json
        _validate(openapi, {"type": "about:blank", "title": "Bad Request", "status": 400, "detail": "x"},
                  status=400)


def test_an_article_is_a_named_object_sent_as_text_or_as_html():
    """Generated clients get a model for each way of sending an article, not an untyped body."""
    from service.contract.openapi import build_spec

    schemas = build_spec()["components"]["schemas"]
    for request, text, html in (("QuoteRequest", "TextArticle", "HtmlArticle"),
                                ("CompareArticle", "TextCompareArticle", "HtmlCompareArticle")):
        assert schemas[request]["oneOf"] == [{"$ref": f"#/components/schemas/{text}"},
                                             {"$ref": f"#/components/schemas/{html}"}]
        assert "text" in schemas[text]["required"] and "html" not in schemas[text]["properties"]
        assert "html" in schemas[html]["required"] and "text" not in schemas[html]["properties"]
        assert schemas[text]["additionalProperties"] is False
    articles = schemas["BatchRequest"]["properties"]["articles"]["items"]
    assert articles == {"$ref": "#/components/schemas/QuoteRequest"}
