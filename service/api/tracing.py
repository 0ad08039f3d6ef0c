"""Request ids, and what the access log may know about a request.

A client's ``X-Request-ID`` is kept when it is a plain token (letters, digits and
``._:@/+=-``, at most 128 characters); otherwise, or when there is none, the service
makes one. Either way the response echoes it.

The access log is written by the server (gunicorn, see service/gunicorn_conf.py), which sees
only the raw request. The app leaves it a few facts in the WSGI environ: the request
id, the route matched (the rule, never the raw path) and the article's length in
characters. Never the article: newsroom copy may be under embargo.
"""
from __future__ import annotations

import re
import uuid

from flask import Flask, Response, g, request

from .. import environ

REQUEST_ID_HEADER = "X-Request-ID"
MAX_REQUEST_ID = 128
_REQUEST_ID = re.compile(r"[A-Za-z0-9._:@/+=\-]{1,%d}" % MAX_REQUEST_ID)



def request_id_from(value: str | None) -> str:
    """The client's id when it is a plain token, else a new one."""
    if value and _REQUEST_ID.fullmatch(value):
        return value
    return uuid.uuid4().hex


def note_text_length(characters: int) -> None:
    """Record the article's length (not the article) for the access log."""
    request.environ[environ.TEXT_CHARS] = characters


def register(app: Flask) -> None:
    @app.before_request
    def _start() -> None:
        g.request_id = request_id_from(request.headers.get(REQUEST_ID_HEADER))
        request.environ[environ.REQUEST_ID] = g.request_id
        if request.url_rule is not None:
            request.environ[environ.ROUTE] = request.url_rule.rule

    @app.after_request
    def _echo(response: Response) -> Response:
        request_id = g.get("request_id") or request_id_from(request.headers.get(REQUEST_ID_HEADER))
        request.environ.setdefault(environ.REQUEST_ID, request_id)
        response.headers[REQUEST_ID_HEADER] = request_id
        return response
