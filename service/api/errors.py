"""Every error as RFC 9457 problem details (``application/problem+json``).

Client mistakes arrive here as werkzeug ``HTTPException``s (raised by routing, by
the body size limit or by the views), as marshmallow ``ValidationError``s, or as
articles the intake refused (``Refused``, which carries its problem).
Anything else is a fault of the service: the client gets a generic 500 and the
log gets the exception's type and where it was raised, never its message, which
may quote the article.
"""
from __future__ import annotations

import logging
from http import HTTPStatus
from typing import Any

from flask import Flask, Response, current_app, request
from marshmallow import ValidationError
from werkzeug.exceptions import (
    HTTPException,
    MethodNotAllowed,
    NotFound,
    RequestEntityTooLarge,
)

from ..contract.problems import PROBLEM_MEDIA_TYPE, problem_body, validation_problem
from ..engine.cost import OverLimits
from ..engine.deadline import DeadlinePassed
from ..failures import failure_site
from ..intake import Refused
from . import service_state

log = logging.getLogger(__name__)


def problem(status: int, detail: str, *, headers: dict[str, str] | None = None,
            **members: Any) -> Response:
    """A problem+json response. ``members`` are extension members such as ``errors``."""
    return problem_response(problem_body(status, detail, **members), headers)


def problem_response(body: dict, headers: dict[str, str] | None = None) -> Response:
    response = current_app.json.response(body)
    response.status_code = body["status"]
    response.content_type = PROBLEM_MEDIA_TYPE
    if headers:
        response.headers.update(headers)
    return response


def _detail(error: HTTPException) -> str:
    if "description" in vars(error):  # raised with a description of its own
        return error.description
    if isinstance(error, NotFound):
        return f"There is no resource at {request.path}; GET /openapi.yaml lists the routes."
    if isinstance(error, MethodNotAllowed):
        allowed = ", ".join(error.valid_methods or ())
        return f"{request.method} is not allowed on {request.path}; allowed: {allowed}."
    if isinstance(error, RequestEntityTooLarge):
        return body_too_large()
    return error.description or HTTPStatus(error.code).phrase


def body_limit() -> int:
    """The largest body this request may carry: ``max_body_bytes``, or more where a view raised it
    (the batch route). ``request.max_content_length`` holds it plus the byte of slack of create_app."""
    allowed = request.max_content_length
    return allowed - 1 if allowed is not None else service_state().settings.max_body_bytes


def body_too_large() -> str:
    return f"The request body is larger than the limit of {body_limit()} bytes."


def handle_http_exception(error: HTTPException) -> Response:
    headers = {name: value for name, value in error.get_headers() if name.lower() != "content-type"}
    return problem(error.code or 500, _detail(error), headers=headers)


def handle_validation_error(error: ValidationError) -> Response:
    return problem_response(validation_problem(error, getattr(error, "what", "The request body")))


def handle_deadline_passed(error: DeadlinePassed) -> Response:
    from .budget import RETRY_AFTER_SECONDS, deadline_detail

    log.warning("%s %s: %s", request.method, request.path, error)
    return problem(503, deadline_detail(service_state().settings),
                   headers={"Retry-After": str(RETRY_AFTER_SECONDS)})


def handle_over_limits(error: OverLimits) -> Response:
    return problem(413, str(error))


def handle_refused(error: Refused) -> Response:
    return problem_response(error.problem)


def handle_unexpected_error(error: Exception) -> Response:
    log.error("unhandled %s on %s %s (at %s)", type(error).__name__, request.method, request.path,
              failure_site(error))
    return problem(500, "The service failed while handling this request. The failure is logged; "
                        "retrying may help.")


def register_error_handlers(app: Flask) -> None:
    app.register_error_handler(HTTPException, handle_http_exception)
    app.register_error_handler(ValidationError, handle_validation_error)
    app.register_error_handler(DeadlinePassed, handle_deadline_passed)
    app.register_error_handler(OverLimits, handle_over_limits)
    app.register_error_handler(Refused, handle_refused)
    app.register_error_handler(Exception, handle_unexpected_error)
