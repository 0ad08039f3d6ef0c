"""The quote engine: ``Engine.from_settings(settings).extract(text) -> Result``. No Flask in here.

``Engine`` and the sieves are imported when first named, so that the plain data types (``article``,
``result``) and the text rooms are read without loading spaCy.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .article import Article
    from .attribution.sieve import Sieve
    from .attribution.sieves import SIEVES
    from .pipeline import Engine
    from .result import Result

__all__ = ["Article", "Engine", "Result", "SIEVES", "Sieve"]

_WHERE = {"Article": ".article", "Engine": ".pipeline", "Result": ".result", "SIEVES": ".attribution.sieves",
          "Sieve": ".attribution.sieve"}


def __getattr__(name: str) -> Any:
    if name not in _WHERE:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from importlib import import_module

    return getattr(import_module(_WHERE[name], __name__), name)
