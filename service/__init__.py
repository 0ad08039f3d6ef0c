"""quotes: find the direct quotes in a news article and say who said them."""
from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from .version import __version__

__all__ = ["__version__", "create_app"]

if TYPE_CHECKING:
    from flask import Flask

    from .engine import Engine
    from .settings import Settings

log = logging.getLogger(__name__)


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """The WSGI application (``gunicorn 'service:create_app()'``).

    ``config`` overrides Flask settings (``TESTING``, ...) and takes two of the service's own:
    ``SETTINGS``, a ``service.settings.Settings`` (default: read from the environment), and
    ``ENGINE``, an already-built ``service.engine.Engine`` (default: one is built now from
    ``SETTINGS``, so the model is loaded before the first request).
    """
    from flask import Flask

    from . import web
    from .api import ServiceState, register_api
    from .settings import Settings

    overrides = dict(config or {})
    settings = overrides.pop("SETTINGS", None) or Settings.from_env()
    engine = overrides.pop("ENGINE", None) or _load_engine(settings)

    app = Flask(__name__, static_folder=None)
    # werkzeug cuts a streamed (chunked) body off at MAX_CONTENT_LENGTH without an error;
    # one byte of slack lets the views tell a body at the limit from one over it.
    app.config["MAX_CONTENT_LENGTH"] = settings.max_body_bytes + 1
    app.config.from_mapping(overrides)
    app.json.sort_keys = False  # keep the schemas' field order
    app.json.ensure_ascii = False
    register_api(app, ServiceState(settings, engine))
    app.register_blueprint(web.bp)  # the page at GET /
    return app


def _load_engine(settings: Settings) -> Engine | None:
    """The engine the settings name, or None (logged) if it cannot be loaded: ``/ready`` then answers 503."""
    from .engine import Engine

    try:
        return Engine.from_settings(settings)
    except Exception as error:  # a missing or broken model package fails in many ways
        log.error("cannot load the language model %r: %s: %s", settings.model, type(error).__name__, error)
        return None
