"""The HTTP API: blueprints over the engine, and the state they share."""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from flask import Flask, current_app
from werkzeug.exceptions import ServiceUnavailable

from ..settings import Settings

if TYPE_CHECKING:
    from ..engine import Engine

EXTENSION = "quotes"


@dataclass
class ServiceState:
    """What the views need: the settings and the engine (None when the model failed to load)."""

    settings: Settings
    engine: Engine | None


def service_state() -> ServiceState:
    return current_app.extensions[EXTENSION]


def ready_engine() -> Engine:
    """The engine, or a 503 when the model is not loaded."""
    state = service_state()
    if state.engine is None:
        raise ServiceUnavailable(f"The language model {state.settings.model} is not loaded; "
                                 "the service cannot extract quotes.")
    return state.engine


def register_api(app: Flask, state: ServiceState) -> None:
    from . import budget, errors, meta, quotes, security, tracing

    if state.engine is not None:
        state.engine = budget.BudgetedEngine(state.engine, state.settings)
    app.extensions[EXTENSION] = state
    tracing.register(app)  # first, so every later step and log line has the request id
    budget.register(app, state.settings)
    security.register(app, state.settings)
    app.register_blueprint(meta.bp)
    app.register_blueprint(quotes.bp)
    errors.register_error_handlers(app)
