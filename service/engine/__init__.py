"""The quote engine: ``Engine.from_settings(settings).extract(text) -> Result``. No Flask in here."""
from __future__ import annotations

from .model import Result
from .pipeline import Engine
from .sieve import Sieve
from .sieves import SIEVES

__all__ = ["Engine", "Result", "SIEVES", "Sieve"]
