"""Who may call, from where, and the headers every response carries.

- API keys: when any is configured (or a keys file is named), every ``/v1`` route needs
  ``Authorization: Bearer <key>`` or ``X-API-Key: <key>``. The keys file is read again when it
  changes (its modification time, size or inode, looked at no more than once a second), so a key
  added or revoked there takes effect within a second, in every worker, without a restart; a
  file that cannot be read keeps the keys last read from it (and is logged). Keys are compared in
  constant time (``hmac.compare_digest`` over SHA-256 digests, so neither a key's content nor its
  length shows in the timing), against every configured key without stopping at the first match.
  Operational routes (``/health``, ``/ready``, ``/openapi.yaml``) and the page stay open. Unknown
  paths and wrong methods answer 404 and 405 before any key is asked for: the routes are public in
  the contract anyway.
- CORS: off unless ``QUOTES_CORS_ORIGINS`` lists origins; a request from a listed origin
  gets ``Access-Control-Allow-Origin`` naming it (``*`` in the list allows any origin).
- Security headers on every response, and ``Cache-Control: no-store`` on everything but
  static assets: answers carry embargoed copy and must not sit in shared caches.
"""
from __future__ import annotations

import hashlib
import hmac
import logging
import os
import threading
import time

from flask import Flask, Response, g, request
from werkzeug.exceptions import Unauthorized

from ..settings import Settings, SettingsError, read_keys_file

log = logging.getLogger(__name__)

API_PREFIX = "/v1/"
API_KEY_HEADER = "X-API-Key"
REALM = "quotes"

# One policy for the API and for the page: its own scripts, styles and calls, nothing else.
CONTENT_SECURITY_POLICY = ("default-src 'self'; object-src 'none'; base-uri 'none'; "
                           "frame-ancestors 'none'; form-action 'none'")
SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
}

KEYS_EXTENSION = "quotes.keys"

CORS_METHODS = "GET, POST"
CORS_REQUEST_HEADERS = f"Authorization, Content-Type, {API_KEY_HEADER}, X-Request-ID"
CORS_EXPOSED_HEADERS = "X-Request-ID, WWW-Authenticate"
CORS_MAX_AGE = "600"


def _digest(value: str) -> bytes:
    return hashlib.sha256(value.encode("utf-8", "surrogatepass")).digest()


RELOAD_INTERVAL = 1.0  # seconds between looks at the keys file


class KeyRing:
    """The configured API keys, held only as digests: ``keys`` fixed, plus those of ``path``, read
    again whenever the file changes."""

    def __init__(self, keys: tuple[str, ...], path: str | None = None,
                 clock=time.monotonic) -> None:
        self._path = path
        self._clock = clock
        self._lock = threading.Lock()
        self._stamp: tuple | None = None
        self._file_digests: set[bytes] = set()
        self._looked_at = float("-inf")
        self._fixed = tuple(dict.fromkeys(keys))
        self._digests = tuple(_digest(key) for key in self._fixed)
        if path is not None:
            self._refresh()
            # A key read from the file belongs to the file: revoked there, it stops working.
            self._fixed = tuple(key for key in self._fixed if _digest(key) not in self._file_digests)

    def __bool__(self) -> bool:
        """Whether keys are required: some are configured, or a keys file is named (even empty)."""
        return bool(self._fixed) or self._path is not None

    def _refresh(self) -> None:
        """Read the keys file again if it changed since it was last read."""
        self._looked_at = self._clock()
        try:
            info = os.stat(self._path)
        except OSError as error:
            log.error("the API keys file cannot be read (%s); keeping the keys last read", error.strerror)
            return
        stamp = (info.st_mtime_ns, info.st_size, info.st_ino)
        if stamp == self._stamp:
            return
        try:
            keys = read_keys_file(self._path)
        except SettingsError as error:
            log.error("%s; keeping the keys last read", error)
            return
        self._file_digests = {_digest(key) for key in keys}
        self._digests = tuple(dict.fromkeys((*map(_digest, self._fixed), *self._file_digests)))
        if self._stamp is not None:
            log.info("API keys read again from the keys file: %d keys", len(self._digests))
        self._stamp = stamp

    def _current(self) -> tuple[bytes, ...]:
        if self._path is not None and self._clock() - self._looked_at >= RELOAD_INTERVAL:
            with self._lock:
                if self._clock() - self._looked_at >= RELOAD_INTERVAL:
                    self._refresh()
        return self._digests

    def accepts(self, presented: str) -> bool:
        digest = _digest(presented)
        accepted = False
        for known in self._current():  # no early exit: every key costs the same
            accepted |= hmac.compare_digest(digest, known)
        return accepted


def presented_keys() -> list[str]:
    """The keys a request carries: a bearer token and/or an ``X-API-Key`` value."""
    keys = []
    authorization = request.headers.get("Authorization", "")
    scheme, _, token = authorization.strip().partition(" ")
    if scheme.lower() == "bearer" and token.strip():
        keys.append(token.strip())
    header = request.headers.get(API_KEY_HEADER, "").strip()
    if header:
        keys.append(header)
    return keys


class KeyRequired(Unauthorized):
    """401 with the challenge of RFC 6750: ``WWW-Authenticate: Bearer realm="quotes"``."""

    def get_headers(self, environ=None, scope=None):
        return [*super().get_headers(environ, scope), ("WWW-Authenticate", f'Bearer realm="{REALM}"')]


def _unauthorized(detail: str) -> Unauthorized:
    return KeyRequired(detail)


def require_api_key(keys: KeyRing) -> None:
    """``before_request``: 401 for a ``/v1`` route without a valid key (when keys are configured)."""
    if not keys or request.method == "OPTIONS" or request.url_rule is None:
        return
    if not request.url_rule.rule.startswith(API_PREFIX):
        return
    presented = presented_keys()
    if not presented:
        raise _unauthorized("This service needs an API key: send `Authorization: Bearer <key>` "
                            f"or `{API_KEY_HEADER}: <key>`.")
    if not any([keys.accepts(key) for key in presented]):  # a list: check every key presented
        log.warning("rejected an invalid API key on %s %s (request %s)", request.method,
                    request.url_rule.rule, g.get("request_id"))
        raise _unauthorized("The API key is not valid.")


def cors_headers(origins: tuple[str, ...], response: Response) -> None:
    origin = request.headers.get("Origin")
    response.vary.add("Origin")
    if not origin or not ("*" in origins or origin.rstrip("/") in origins):
        return
    response.headers["Access-Control-Allow-Origin"] = origin
    response.headers["Access-Control-Expose-Headers"] = CORS_EXPOSED_HEADERS
    if request.method == "OPTIONS" and "Access-Control-Request-Method" in request.headers:
        response.headers["Access-Control-Allow-Methods"] = CORS_METHODS
        response.headers["Access-Control-Allow-Headers"] = CORS_REQUEST_HEADERS
        response.headers["Access-Control-Max-Age"] = CORS_MAX_AGE


def security_headers(response: Response) -> None:
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    endpoint = request.endpoint or ""
    if endpoint != "static" and not endpoint.endswith(".static"):
        response.headers["Cache-Control"] = "no-store"


def register(app: Flask, settings: Settings) -> None:
    keys = KeyRing(settings.api_keys, settings.api_keys_file)
    app.extensions[KEYS_EXTENSION] = keys
    origins = settings.cors_origins

    @app.before_request
    def _authenticate() -> None:
        require_api_key(keys)

    @app.after_request
    def _headers(response: Response) -> Response:
        if origins:
            cors_headers(origins, response)
        security_headers(response)
        return response
