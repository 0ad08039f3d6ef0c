"""Service settings: one dataclass, read from the environment, defaults in one place."""
from __future__ import annotations

import os
from dataclasses import dataclass, field

from . import nlp

MEGABYTE = 1024 * 1024
DEFAULT_MAX_CHARS = 1_000_000


class SettingsError(ValueError):
    """An environment variable holds a value the service cannot use."""


def _positive_int(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise SettingsError(f"{name} must be a whole number, got {raw!r}") from None
    if value < 1:
        raise SettingsError(f"{name} must be at least 1, got {value}")
    return value


@dataclass(frozen=True)
class Settings:
    """What an operator can tune.

    ``QUOTES_MODEL``           spaCy pipeline to load (default: the packaged English model)
    ``QUOTES_MAX_BODY_BYTES``  largest request body accepted; larger ones get 413 (default 1 MiB)
    ``QUOTES_MAX_CHARS``       longest article accepted, in characters; longer ones get 413
                               (default 1,000,000, spaCy's own default ``max_length``)
    """

    model: str = field(default_factory=nlp.model_name)
    max_body_bytes: int = MEGABYTE
    max_chars: int = DEFAULT_MAX_CHARS

    @classmethod
    def from_env(cls) -> Settings:
        return cls(
            model=nlp.model_name(),
            max_body_bytes=_positive_int("QUOTES_MAX_BODY_BYTES", MEGABYTE),
            max_chars=_positive_int("QUOTES_MAX_CHARS", DEFAULT_MAX_CHARS),
        )

    def limits(self) -> dict[str, int]:
        """The limits a client should know about, as reported by ``GET /v1/info``."""
        return {"max_body_bytes": self.max_body_bytes, "max_chars": self.max_chars}
