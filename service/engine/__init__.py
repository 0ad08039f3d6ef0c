"""The quote engine: ``extract(text) -> Result``. No Flask in here."""
from __future__ import annotations

from .model import Result
from .pipeline import Engine, extract, extract_many

__all__ = ["Engine", "Result", "extract", "extract_many"]
