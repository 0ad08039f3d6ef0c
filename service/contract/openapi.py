"""The OpenAPI contract, built from the marshmallow schemas.

``make openapi`` (``python -m service.contract.openapi > openapi.yaml``) regenerates the
committed file; a test fails when the two differ, and ``make test`` lints it. The routes are
listed here rather than read from the Flask app so that building the contract needs no model;
another test checks that the app's routes and these paths agree. What every operation states
alike (its tag, its security, the server's own refusals) is added to each by
``_complete_operations``, so a new route gets it too.
"""
from __future__ import annotations

import copy
import functools
import sys

import marshmallow
import yaml
from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin, OpenAPIConverter
from apispec.ext.marshmallow.common import resolve_schema_instance

from ..version import __version__
from .problems import PROBLEM_MEDIA_TYPE
from .schemas import (
    INCLUDABLE,
    INCLUDE_DESCRIPTION,
    NOT_ONLY_WHITESPACE,
    ArticleErrorSchema,
    BatchRequestSchema,
    BatchResponseSchema,
    CompareArticleSchema,
    CompareRequestSchema,
    CompareResponseSchema,
    HealthSchema,
    InfoSchema,
    ProblemSchema,
    QuoteRequestSchema,
    QuoteResponseSchema,
    ReadySchema,
)

OPENAPI_VERSION = "3.1.0"
JSON_MEDIA_TYPE = "application/json"
YAML_MEDIA_TYPE = "application/yaml"

EXAMPLE_ARTICLE = "“We are ready,” an Elysee official said."
EXAMPLE_HTML = '<p class="story-body">&ldquo;We are <em>ready</em>,&rdquo; an Elysee official said.</p>'

DESCRIPTION = """\
Reads an English news article, finds every direct quote and says who said it.

Offsets (`start`, `end`) count Unicode code points of the article as received, end
exclusive, so `article[start:end] == text` for every quote, mention and cue. An article
may also be sent as HTML (`text/html`, or `html` instead of `text`): the response then
carries the `text` read from it, which `start` and `end` index, and every quote, mention
and cue also carries `html_start` and `html_end`, its place in the HTML as sent.
Every error is an RFC 9457 problem details object (`application/problem+json`).

When the operator configures API keys, every `/v1` route needs one, sent as
`Authorization: Bearer <key>` or as `X-API-Key: <key>`; without keys configured the
service is open. `/health`, `/ready` and this contract never need a key.
`GET /v1/info` tells whether keys are required (`auth.required`).

Every response carries an `X-Request-ID` header: the client's own, when it sent a plain
token of at most 128 characters, or one the service made. Quote it when reporting a problem.
"""

# Reusable error responses: (component name, status, when it happens).
ERROR_RESPONSES = [
    ("BadRequest", 400, "The body is not valid JSON or not valid UTF-8."),
    ("Unauthorized", 401, "API keys are configured and the request carries no valid one. "
                          "The `WWW-Authenticate` header names the Bearer scheme."),
    ("PayloadTooLarge", 413, "The body is larger than `limits.max_body_bytes` "
                             "(`limits.max_batch_body_bytes` for a batch or a comparison), the text is longer "
                             "than `limits.max_chars` characters, a batch holds more than `limits.max_batch` "
                             "articles or a comparison more than `limits.max_compare`, or the request holds "
                             "more than `limits.max_tokens` tokens or `limits.max_quote_marks` quotation "
                             "marks (see `GET /v1/info`)."),
    ("UnsupportedMediaType", 415,
     "The Content-Type is missing or is none of `application/json`, `text/plain` and `text/html` "
     "(only `application/json` for a batch), or names a charset other than UTF-8."),
    ("UnprocessableContent", 422,
     "The body is well-formed but invalid: `text` (or `html`) missing, not a string, empty or only "
     "whitespace, both `text` and `html`, or an unknown member; for a batch, `articles` missing, not "
     "a list or empty; for a comparison, fewer than two articles, an article without an `id`, ids "
     "repeated or a `reference` no article has. `errors` holds the messages per member."),
    ("InternalError", 500, "The service failed; the detail says no more than that."),
    ("NotReady", 503, "The language model is not loaded, the service is shutting down, or the request "
                      "did not finish within `limits.deadline_seconds` (then `Retry-After` says when "
                      "to try again)."),
]


# Every operation is tagged by what it is for: an operation that takes articles extracts quotes.
EXTRACTION_TAG = "extraction"
SERVICE_TAG = "service"
TAGS = [
    {"name": EXTRACTION_TAG, "description": "Quotes and speakers of articles."},
    {"name": SERVICE_TAG, "description": "Whether the service is up and ready, what it runs, and this contract."},
]

# Relative: the contract describes the server that serves it, wherever it is deployed.
SERVERS = [{"url": "/", "description": "the server this document was fetched from"}]

# What gunicorn answers itself, before the app: the same on every route, and not problem+json.
REJECTED = ("Rejected", "The request is not valid HTTP, or its request line or header fields are over the "
                        "server's size limits: the server refuses it before the service reads it (400, or "
                        "431 for header fields), with a short HTML page. The service's own answers to "
                        "client mistakes are the 4xx listed with their codes.")

# The routes API keys guard, when keys are configured (service/api/security.py); the others are open.
KEYED_PREFIX = "/v1/"

# Either scheme carries the same key.
SECURITY_SCHEMES = {
    "bearerKey": {"type": "http", "scheme": "bearer",
                  "description": "an API key as a bearer token: `Authorization: Bearer <key>`"},
    "apiKeyHeader": {"type": "apiKey", "in": "header", "name": "X-API-Key",
                     "description": "an API key in its own header"},
}
API_SECURITY = [{name: []} for name in SECURITY_SCHEMES]

REQUEST_ID = {"description": "the request's id: the client's own when it sent a plain one, "
                             "else one made by the service",
              "schema": {"type": "string", "minLength": 1, "maxLength": 128}}
REQUEST_ID_HEADER = {"X-Request-ID": {"$ref": "#/components/headers/RequestId"}}


def _problem_response(description: str) -> dict:
    return {"description": description, "headers": REQUEST_ID_HEADER,
            "content": {PROBLEM_MEDIA_TYPE: {"schema": "Problem"}}}


def _json_response(description: str, schema: str) -> dict:
    return {"description": description, "headers": REQUEST_ID_HEADER,
            "content": {JSON_MEDIA_TYPE: {"schema": schema}}}


class _Converter(OpenAPIConverter):
    """apispec states whether a schema takes members it does not list (``additionalProperties``)
    only when its ``Meta`` has no description; state it for every schema."""

    def schema2jsonschema(self, schema):
        jsonschema = super().schema2jsonschema(schema)
        unknown = resolve_schema_instance(schema).unknown
        if unknown != marshmallow.EXCLUDE:
            jsonschema.setdefault("additionalProperties", unknown == marshmallow.INCLUDE)
        return jsonschema


class _MarshmallowPlugin(MarshmallowPlugin):
    Converter = _Converter


def _complete_operations(paths: dict) -> None:
    """What every operation states the same way: its tag, who may call it (no key outside
    ``KEYED_PREFIX``), and the server's own refusals of a malformed request."""
    for path, operations in paths.items():
        for method, operation in operations.items():
            security = copy.deepcopy(API_SECURITY) if path.startswith(KEYED_PREFIX) else []
            operations[method] = {"tags": [EXTRACTION_TAG if "requestBody" in operation else SERVICE_TAG],
                                  "security": security, **operation}
            operation["responses"].setdefault("4XX", {"$ref": f"#/components/responses/{REJECTED[0]}"})


INCLUDE_PARAMETER = {
    "name": "include", "in": "query", "required": False, "style": "form", "explode": True,
    "description": INCLUDE_DESCRIPTION + "; for any content type, repeated or comma-separated, added to an "
                   "`include` given in the body",
    "schema": {"type": "array", "items": {"type": "string", "enum": list(INCLUDABLE)}},
}


def _plain_references(node):
    """A field the schemas mark as one component (``allOf`` of a single ``$ref``, marshmallow's way of
    naming a component for a field it loads itself) as the plain reference."""
    if isinstance(node, dict):
        if list(node) == ["allOf"] and len(node["allOf"]) == 1:
            return _plain_references(node["allOf"][0])
        return {key: _plain_references(value) for key, value in node.items()}
    if isinstance(node, list):
        return [_plain_references(value) for value in node]
    return node


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def build_spec() -> dict:
    """The OpenAPI document as a dict."""
    spec = APISpec(
        title="quotes",
        version=__version__,
        openapi_version=OPENAPI_VERSION,
        plugins=[_MarshmallowPlugin()],
        info={"description": DESCRIPTION, "license": {"name": "MIT", "identifier": "MIT"}},
        servers=SERVERS,
        tags=TAGS,
    )
    # An article is sent as text or as HTML: two named objects, so that generated clients get a model
    # for each (the schemas load both through one class, for one set of messages).
    for name, schema, description in [
        ("TextArticle", QuoteRequestSchema, "An article as plain text."),
        ("HtmlArticle", QuoteRequestSchema, "An article as HTML."),
        ("TextCompareArticle", CompareArticleSchema, "A version of the story as plain text."),
        ("HtmlCompareArticle", CompareArticleSchema, "A version of the story as HTML."),
    ]:
        sent_as, other = ("html", "text") if name.startswith("Html") else ("text", "html")
        spec.components.schema(name, {"description": description}, schema=schema(exclude=(other,)))
        component = spec.components.schemas[name]
        component["required"] = sorted({sent_as, *component.get("required", [])})
    spec.components.schema("QuoteRequest", {"oneOf": [_ref("TextArticle"), _ref("HtmlArticle")],
                                            "description": "One article: as `text`, or as `html`."})
    spec.components.schema("CompareArticle", {"oneOf": [_ref("TextCompareArticle"), _ref("HtmlCompareArticle")],
                                              "description": "A version of the story: as `text`, or as `html`."})
    for name, schema in [
        ("QuoteResponse", QuoteResponseSchema),
        ("Health", HealthSchema),
        ("Ready", ReadySchema),
        ("Info", InfoSchema),
        ("Problem", ProblemSchema),
        ("BatchRequest", BatchRequestSchema),
        ("BatchResponse", BatchResponseSchema),
        ("ArticleError", ArticleErrorSchema),
        ("CompareRequest", CompareRequestSchema),
        ("CompareResponse", CompareResponseSchema),
    ]:
        spec.components.schema(name, schema=schema)
    for name, _status, description in ERROR_RESPONSES:
        spec.components.response(name, _problem_response(description))
    spec.components.response(REJECTED[0], {"description": REJECTED[1], "content": {
        "text/html": {"schema": {"type": "string"}}}})
    spec.components.header("RequestId", REQUEST_ID)
    for name, scheme in SECURITY_SCHEMES.items():
        spec.components.security_scheme(name, scheme)

    spec.path("/v1/quotes", operations={"post": {
        "operationId": "extractQuotes",
        "summary": "Find the quotes in one article and their speakers",
        "description": "The article as JSON (`text`, and an `id` that is echoed back) or as the text "
                       "itself (`text/plain`). Each quote comes with its offsets, its type, its speaker "
                       "(or null), its cue, its paragraph and group, a confidence and the rule that "
                       "attributed it (`method`); each speaker with its canonical name, its kind and "
                       "every mention. At most `limits.max_quotes` quotes are returned; "
                       "`meta.quotes_omitted` counts the rest.",
        "security": API_SECURITY,
        "parameters": [INCLUDE_PARAMETER],
        "requestBody": {
            "required": True,
            "content": {
                JSON_MEDIA_TYPE: {
                    "schema": "QuoteRequest",
                    "example": {"text": EXAMPLE_ARTICLE, "id": "article-1"},
                },
                "text/plain": {
                    "schema": {"type": "string", "minLength": 1, "pattern": NOT_ONLY_WHITESPACE,
                               "description": "the article itself, UTF-8; at least one character "
                                              "that is not whitespace"},
                    "example": EXAMPLE_ARTICLE,
                },
                "text/html": {
                    "schema": {"type": "string", "minLength": 1, "pattern": NOT_ONLY_WHITESPACE,
                               "description": "the article as HTML, UTF-8, as `html` in JSON"},
                    "example": EXAMPLE_HTML,
                },
            },
        },
        "responses": {
            "200": _json_response("The quotes and speakers found (possibly none).", "QuoteResponse"),
            **{str(status): name for name, status, _description in ERROR_RESPONSES},
        },
    }})
    spec.path("/v1/quotes/batch", operations={"post": {
        "operationId": "extractQuotesBatch",
        "summary": "Find the quotes of many articles in one request",
        "description": "Up to `limits.max_batch` articles, parsed together (faster than one request "
                       "each). The answer holds one entry per article, in the order sent: what "
                       "`POST /v1/quotes` would answer for it, or, for an article that is not valid "
                       "(`422`), too long (`413`) or that the service failed on (`500`), an error in "
                       "its place; the other articles are answered all the same.",
        "security": API_SECURITY,
        "parameters": [INCLUDE_PARAMETER],
        "requestBody": {
            "required": True,
            "content": {JSON_MEDIA_TYPE: {
                "schema": "BatchRequest",
                "example": {"articles": [{"id": "article-1", "text": EXAMPLE_ARTICLE},
                                         {"id": "article-2", "text": "No quotes here."}]},
            }},
        },
        "responses": {
            "200": _json_response("One entry per article, in the order sent.", "BatchResponse"),
            **{str(status): name for name, status, _description in ERROR_RESPONSES},
        },
    }})
    spec.path("/v1/compare", operations={"post": {
        "operationId": "compareVersions",
        "summary": "Compare versions of a story: which quotes were changed, dropped or given to someone else",
        "description": "Up to `limits.max_compare` articles. Every quote of the reference (by default the "
                       "first article) is paired with at most one quote of each other article, one to one "
                       "and whatever the order of the quotes, and judged: kept verbatim, reworded, cut to a "
                       "fragment, paraphrased as reported speech (with `include=indirect`), or missing; with "
                       "whether both versions give it to the same speaker and a word-level diff. Quotes of "
                       "the other articles that no reference quote claimed are listed in `unmatched`. "
                       "With `indirect`, only the reference's quotations are aligned, not its reported "
                       "speech, and the other versions' reported speech is a `paraphrased` counterpart or "
                       "nothing, never `unmatched`.",
        "security": API_SECURITY,
        "parameters": [INCLUDE_PARAMETER],
        "requestBody": {
            "required": True,
            "content": {JSON_MEDIA_TYPE: {
                "schema": "CompareRequest",
                "example": {"articles": [
                    {"id": "wire", "text": "“We now have enough contributions,” an Elysee official said."},
                    {"id": "rewrite", "text": "“We now have sufficient contributions,” an Elysee official said."}],
                    "reference": "wire"},
            }},
        },
        "responses": {
            "200": _json_response("Each article's quotes, and every reference quote with its counterparts.",
                                  "CompareResponse"),
            **{str(status): name for name, status, _description in ERROR_RESPONSES},
        },
    }})
    spec.path("/health", operations={"get": {
        "operationId": "health",
        "summary": "Liveness: the process answers",
        "description": "200 as long as the process is up, without touching the language model: "
                       "for a liveness probe.",
        "responses": {"200": _json_response("Alive.", "Health"), "500": "InternalError"},
    }})
    spec.path("/ready", operations={"get": {
        "operationId": "ready",
        "summary": "Readiness: the language model is loaded",
        "description": "200 once the language model is loaded and quotes can be extracted; 503, naming "
                       "the model, when it could not be loaded: for a readiness probe or a load balancer.",
        "responses": {"200": _json_response("Ready to extract quotes.", "Ready"),
                      "500": "InternalError", "503": "NotReady"},
    }})
    spec.path("/v1/info", operations={"get": {
        "operationId": "info",
        "summary": "Service version, language model, limits and whether API keys are required",
        "description": "The service's version, the language model and whether it is loaded, the limits "
                       "in force (`limits`), and whether `/v1` routes need an API key (`auth.required`).",
        "security": API_SECURITY,
        "responses": {"200": _json_response("About this service.", "Info"), "401": "Unauthorized",
                      "500": "InternalError"},
    }})
    spec.path("/openapi.yaml", operations={"get": {
        "operationId": "openapi",
        "summary": "This contract",
        "description": "This OpenAPI document as YAML, generated from the schemas the service validates "
                       "and answers with.",
        "responses": {
            "200": {"description": "The OpenAPI document.", "headers": REQUEST_ID_HEADER,
                    "content": {YAML_MEDIA_TYPE: {"schema": {
                        "type": "object", "required": ["openapi", "info", "paths"],
                        "properties": {"openapi": {"type": "string", "pattern": r"^3\.1\."},
                                       "info": {"type": "object"}, "paths": {"type": "object"}},
                        "description": "an OpenAPI 3.1 document"}}}},
            "500": "InternalError",
        },
    }})
    document = _plain_references(spec.to_dict())
    _complete_operations(document["paths"])
    return {key: document[key] for key in ("openapi", "info", "servers", "tags", "paths", "components")}


class _Dumper(yaml.SafeDumper):
    """Multi-line strings as literal blocks, so descriptions read as written."""


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _represent_str)


@functools.cache
def spec_yaml() -> str:
    """The OpenAPI document as YAML, exactly as committed in openapi.yaml."""
    return yaml.dump(build_spec(), Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)


if __name__ == "__main__":
    sys.stdout.write(spec_yaml())
