"""Whole HTTP answers written straight to a client's socket, outside the app: gunicorn's own errors,
a request that took too long to arrive, a request that waited too long for an engine."""
from __future__ import annotations

import json
from http import HTTPStatus

from ..contract.problems import PROBLEM_MEDIA_TYPE, problem_body


def problem_bytes(status: int, detail: str, retry_after: int | None = None) -> bytes:
    """A whole HTTP/1.1 response carrying a problem+json body; the connection closes after it."""
    body = json.dumps(problem_body(status, detail)).encode("utf-8")
    retry = f"Retry-After: {retry_after}\r\n" if retry_after is not None else ""
    head = (f"HTTP/1.1 {status} {HTTPStatus(status).phrase}\r\n{retry}"
            f"Content-Type: {PROBLEM_MEDIA_TYPE}\r\nContent-Length: {len(body)}\r\n"
            "Cache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\nConnection: close\r\n\r\n")
    return head.encode("latin-1") + body
