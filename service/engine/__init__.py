"""The quote engine: ``Engine.from_settings(settings).extract(text) -> Result``. No Flask in here."""
from __future__ import annotations

from .result import Result
from .pipeline import Engine
from .attribution.sieve import Sieve
from .attribution.sieves import SIEVES

__all__ = ["Engine", "Result", "SIEVES", "Sieve"]
