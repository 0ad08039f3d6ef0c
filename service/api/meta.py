"""Operational routes: liveness, readiness, service info and the OpenAPI contract."""
from __future__ import annotations

from flask import Blueprint, Response, jsonify, request
from werkzeug.exceptions import ServiceUnavailable

from .. import environ
from ..contract import openapi
from ..contract.schemas import HealthSchema, InfoSchema, ReadySchema
from ..engine.article import INCLUDABLE
from ..version import __version__
from . import ready_engine, service_state

bp = Blueprint("meta", __name__)


def _never() -> bool:
    return False


@bp.get("/health")
def health():
    """Alive: the process answers. Cheap, touches nothing."""
    return jsonify(HealthSchema().dump({"status": "ok"}))


@bp.get("/ready")
def ready():
    """Ready: the model is loaded and quotes can be extracted (503 problem+json otherwise)."""
    engine = ready_engine()
    if request.environ.get(environ.DRAINING, _never)():
        raise ServiceUnavailable("The service is shutting down: it finishes the requests it has "
                                 "accepted and takes no new ones.")
    return jsonify(ReadySchema().dump({"status": "ready", "model": engine.model}))


@bp.get("/v1/info")
def info():
    """Service and model versions, limits, whether keys are needed. Behind the API key like all of /v1."""
    state = service_state()
    if state.engine is not None:
        model = {**state.engine.model_info(), "loaded": True}
    else:
        model = {"name": state.settings.model, "version": None, "loaded": False}
    return jsonify(InfoSchema().dump({
        "name": "quotes",
        "version": __version__,
        "model": model,
        "limits": state.settings.limits(),
        "auth": {"required": state.settings.auth_required},
        "include": list(INCLUDABLE),
    }))


@bp.get("/openapi.yaml")
def openapi_document():
    """The contract. Built from the same schemas as the committed openapi.yaml, which a test keeps equal."""
    return Response(openapi.spec_yaml(), mimetype=openapi.YAML_MEDIA_TYPE)
