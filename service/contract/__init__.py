"""The contract: every request and response shape (marshmallow schemas), the one problem+json builder,
and the OpenAPI document generated from them.

``dump_response(result)`` is exactly the JSON body ``POST /v1/quotes`` answers for an engine ``Result``.
"""
from __future__ import annotations

from .schemas import dump_comparison, dump_response

__all__ = ["dump_comparison", "dump_response"]
