"""The ``QUOTES_*`` settings: declared once (service/settings.py), read from the environment only by
``Settings.from_env()``, every unusable value refused with one line naming its variable, and the
table of docs/configuration.md rendered from the declaration."""
from __future__ import annotations

import os
import pickle
import runpy
import subprocess
import sys

import pytest

from helpers import ROOT
from service import cli
from service.settings import (
    TABLE_END,
    TABLE_START,
    Bounds,
    Settings,
    SettingsError,
    env_name,
    markdown_table,
    read_keys_file,
)

CONFIG = ROOT / "service" / "gunicorn_conf.py"
DOCS = ROOT / "docs" / "configuration.md"
SECRET = "s3cret-key-0123456789"


@pytest.fixture(autouse=True)
def no_quotes_variables(monkeypatch):
    """Each test starts from an environment without QUOTES_* variables, whatever the runner's."""
    for name in list(os.environ):
        if name.startswith("QUOTES_"):
            monkeypatch.delenv(name)


def from_env(monkeypatch, **env) -> Settings:
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return Settings.from_env()


def refused(monkeypatch, **env) -> str:
    """The message of the SettingsError this environment gives: one line."""
    with pytest.raises(SettingsError) as raised:
        from_env(monkeypatch, **env)
    message = str(raised.value)
    assert "\n" not in message and message
    return message


# --- where values come from ---------------------------------------------------------------------

def test_settings_built_in_code_take_the_defaults_and_the_overrides_never_the_environment(monkeypatch):
    monkeypatch.setenv("QUOTES_MAX_CHARS", "5")
    monkeypatch.setenv("QUOTES_MAX_QUOTES", "3")
    monkeypatch.setenv("QUOTES_BIND", "garbage")
    settings = Settings(max_chars=10)
    assert settings.max_chars == 10 and settings.max_quotes == 1000 and settings.bind == ("127.0.0.1:8000",)
    assert Settings() == Settings(max_chars=1_000_000)


def test_the_environment_gives_every_setting(monkeypatch):
    settings = from_env(monkeypatch, QUOTES_MAX_TOKENS="100", QUOTES_DEADLINE="20", QUOTES_HEADER_TIMEOUT="7",
                        QUOTES_BIND=" 127.0.0.1:9001 , [::1]:9001,, unix:/run/quotes.sock ",
                        QUOTES_CORS_ORIGINS="https://cms.example/, http://localhost:3000",
                        QUOTES_THREADS="+2", QUOTES_LOG_LEVEL=" WARNING ", QUOTES_MAX_REQUESTS="0")
    assert settings == Settings(max_tokens=100, deadline=20, header_timeout=7, threads=2, log_level="warning",
                                bind=("127.0.0.1:9001", "[::1]:9001", "unix:/run/quotes.sock"),
                                cors_origins=("https://cms.example", "http://localhost:3000"), max_requests=0)
    assert isinstance(settings.bind, tuple) and isinstance(settings.cors_origins, tuple)


def test_a_blank_variable_means_the_default(monkeypatch):
    blank = {env_name(name): "  " for name in Settings.model_fields}
    assert from_env(monkeypatch, **blank) == Settings()


def test_the_variables_are_spelled_in_capitals(monkeypatch):
    assert from_env(monkeypatch, quotes_max_chars="5").max_chars == 1_000_000


def test_workers_default_to_the_usable_cores():
    assert Settings().workers == len(os.sched_getaffinity(0))


def test_lists_are_comma_separated_not_json(monkeypatch):
    assert "QUOTES_BIND" in refused(monkeypatch, QUOTES_BIND='["127.0.0.1:8000"]')
    monkeypatch.delenv("QUOTES_BIND")
    assert from_env(monkeypatch, QUOTES_API_KEYS="key-one, key-two,key-one").api_keys == ("key-one", "key-two")


# --- what the objects are -----------------------------------------------------------------------

def test_settings_are_immutable_picklable_and_keep_keys_out_of_their_repr(monkeypatch):
    settings = from_env(monkeypatch, QUOTES_API_KEYS=SECRET, QUOTES_CORS_ORIGINS="*")
    with pytest.raises(ValueError):
        settings.max_chars = 5
    assert pickle.loads(pickle.dumps(settings)) == settings
    assert hash(settings) == hash(pickle.loads(pickle.dumps(settings)))
    assert settings.api_keys == (SECRET,) and settings.auth_required
    assert SECRET not in repr(settings) and SECRET not in str(settings)


def test_a_setting_that_does_not_exist_is_refused():
    with pytest.raises(SettingsError, match="max_char"):
        Settings(max_char=10)


def test_reading_settings_imports_neither_spacy_nor_flask():
    code = ("import sys; from service.settings import Settings; Settings.from_env(); "
            "print(sorted({name.split('.')[0] for name in sys.modules} & {'spacy', 'flask', 'werkzeug'}))")
    finished = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60,
                              env={key: value for key, value in os.environ.items() if not key.startswith("QUOTES_")})
    assert finished.returncode == 0, finished.stderr
    assert finished.stdout == "[]\n"


# --- numbers ------------------------------------------------------------------------------------

BOUNDED = [(name, next(item for item in field.metadata if isinstance(item, Bounds)))
           for name, field in Settings.model_fields.items() if any(isinstance(item, Bounds) for item in field.metadata)]


def test_every_number_has_bounds():
    assert {name for name, _ in BOUNDED} == {name for name, field in Settings.model_fields.items()
                                             if field.annotation is int}


@pytest.mark.parametrize(("name", "bounds"), BOUNDED, ids=[name for name, _ in BOUNDED])
def test_numbers_are_held_to_their_bounds(monkeypatch, name, bounds):
    variable = env_name(name)
    # The other timeouts make room, so that only the bounds are tested here.
    room = {"QUOTES_TIMEOUT": "7200", "QUOTES_GRACEFUL_TIMEOUT": "7200"} if name == "deadline" else {}
    if name in ("timeout", "graceful_timeout"):
        room = {"QUOTES_DEADLINE": "1"}
    for value in (bounds.low, bounds.high):
        assert getattr(from_env(monkeypatch, **room, **{variable: str(value)}), name) == value
    assert refused(monkeypatch, **room, **{variable: str(bounds.high + 1)}) == (
        f"{variable} must be at most {bounds.high}, got {bounds.high + 1}")
    assert refused(monkeypatch, **room, **{variable: str(bounds.low - 1)}) == (
        f"{variable} must be at least {bounds.low}, got {bounds.low - 1}")


def test_a_huge_body_limit_is_refused_with_one_line(monkeypatch):
    assert refused(monkeypatch, QUOTES_MAX_BODY_BYTES="99999999999999999999") == (
        "QUOTES_MAX_BODY_BYTES must be at most 1073741824, got 99999999999999999999")
    assert refused(monkeypatch, QUOTES_MAX_BODY_BYTES="9" * 5000) == (
        "QUOTES_MAX_BODY_BYTES must be at most 1073741824, got a number of 5000 digits")


@pytest.mark.parametrize("value", ["many", "1.5", "1.0", "1e3", "4_2", "0x10", "True", "١٢"])
def test_numbers_are_whole_numbers(monkeypatch, value):
    assert refused(monkeypatch, QUOTES_WORKERS=value) == f"QUOTES_WORKERS must be a whole number, got {value!r}"


def test_max_requests_may_be_zero_and_max_compare_is_at_least_two(monkeypatch):
    assert from_env(monkeypatch, QUOTES_MAX_REQUESTS="0").max_requests == 0
    assert refused(monkeypatch, QUOTES_MAX_COMPARE="1") == "QUOTES_MAX_COMPARE must be at least 2, got 1"


def test_code_may_set_a_deadline_already_past():
    assert Settings(deadline=0).deadline == 0  # tests of the time budget do


# --- timeouts -----------------------------------------------------------------------------------

def test_the_deadline_is_below_the_timeout(monkeypatch):
    assert refused(monkeypatch, QUOTES_DEADLINE="60") == "QUOTES_DEADLINE (60) must be below QUOTES_TIMEOUT (60)"


@pytest.mark.parametrize("graceful", ["30", "10"])
def test_the_graceful_timeout_is_above_the_deadline(monkeypatch, graceful):
    assert refused(monkeypatch, QUOTES_GRACEFUL_TIMEOUT=graceful) == (
        f"QUOTES_GRACEFUL_TIMEOUT ({graceful}) must be above QUOTES_DEADLINE (30)")
    settings = from_env(monkeypatch, QUOTES_GRACEFUL_TIMEOUT=graceful, QUOTES_DEADLINE="5")
    assert settings.graceful_timeout == int(graceful)


# --- log level ----------------------------------------------------------------------------------

@pytest.mark.parametrize("level", ["debug", "info", "warning", "error", "critical", "Error", "DEBUG"])
def test_the_log_level_is_one_of_gunicorns(monkeypatch, level):
    assert from_env(monkeypatch, QUOTES_LOG_LEVEL=level).log_level == level.lower()


@pytest.mark.parametrize("level", ["xyz", "warn", "verbose"])
def test_another_log_level_is_refused(monkeypatch, level):
    assert refused(monkeypatch, QUOTES_LOG_LEVEL=level) == (
        f"QUOTES_LOG_LEVEL must be one of debug, info, warning, error, critical, got {level!r}")


# --- addresses ----------------------------------------------------------------------------------

@pytest.mark.parametrize("value", ["127.0.0.1:8000", "0.0.0.0:1", "localhost:65535", "[::1]:8000", "[::]:80",
                                   "[fe80::1%eth0]:8000", "quotes.internal:8000", "unix:/run/quotes.sock",
                                   "unix:quotes.sock", "127.0.0.1:8000,[::1]:8000"])
def test_binds_are_host_port_or_unix_sockets(monkeypatch, value):
    assert from_env(monkeypatch, QUOTES_BIND=value).bind == tuple(value.split(","))


@pytest.mark.parametrize("value", ["127.0.0.1:99999", "garbage", "127.0.0.1:0", "127.0.0.1", "::1:8000",
                                   "[::zz]:80", "[127.0.0.1]:80", "host:", ":8000", "unix:", "http://host:80",
                                   "127.0.0.1:80x", "127.0.0.1:8000,garbage"])
def test_other_binds_are_refused_with_one_line(monkeypatch, value):
    message = refused(monkeypatch, QUOTES_BIND=value)
    assert message.startswith("QUOTES_BIND: ") and "host:port" in message and "unix:/path" in message


def test_a_bind_of_nothing_is_refused(monkeypatch):
    assert refused(monkeypatch, QUOTES_BIND=" , ") == (
        "QUOTES_BIND must name at least one address, such as 127.0.0.1:8000")


@pytest.mark.parametrize("value", ["127.0.0.1:99999", "garbage"])
def test_gunicorns_config_stops_on_a_bad_bind_with_one_line(monkeypatch, value):
    monkeypatch.setenv("QUOTES_BIND", value)
    with pytest.raises(SystemExit) as raised:
        runpy.run_path(str(CONFIG))
    message = str(raised.value.code)
    assert message.startswith(f"quotes: QUOTES_BIND: {value!r} is not host:port") and "\n" not in message


def test_quotes_serve_stops_on_a_bad_bind_with_one_line():
    environ = {**os.environ, "QUOTES_BIND": "garbage"}
    finished = subprocess.run([sys.executable, "-m", "service", "serve"], cwd=ROOT, env=environ,
                              capture_output=True, text=True, timeout=120)
    assert finished.returncode == 1 and finished.stdout == ""
    assert finished.stderr.startswith("quotes serve: QUOTES_BIND: 'garbage' is not host:port")
    assert finished.stderr.count("\n") == 1


# --- quotes serve -------------------------------------------------------------------------------

def serve_command(monkeypatch, argv: list[str]) -> list[str]:
    calls = []
    monkeypatch.setattr(os, "execvp", lambda file, args: calls.append(args))
    assert cli.main(["serve", *argv]) == 0
    (command,) = calls
    return command


def test_quotes_serve_leaves_the_addresses_to_quotes_bind(monkeypatch):
    monkeypatch.setenv("QUOTES_BIND", "127.0.0.1:9123")
    command = serve_command(monkeypatch, [])
    assert "--bind" not in command and command[-1] == "service:create_app()"
    assert command[command.index("--config") + 1] == "python:service.gunicorn_conf"


@pytest.mark.parametrize(("argv", "bind"), [(["--port", "9000"], "127.0.0.1:9000"),
                                            (["--host", "0.0.0.0"], "0.0.0.0:8000"),
                                            (["--host", "::1", "--port", "9000"], "[::1]:9000")])
def test_host_or_port_replace_quotes_bind(monkeypatch, argv, bind):
    monkeypatch.setenv("QUOTES_BIND", "127.0.0.1:9123")
    assert serve_command(monkeypatch, argv)[-3:] == ["--bind", bind, "service:create_app()"]


def test_a_port_out_of_range_is_refused(capsys):
    assert cli.main(["serve", "--port", "70000"]) == 1
    assert capsys.readouterr().err == "quotes serve: --port must be from 1 to 65535, got 70000\n"


# --- API keys -----------------------------------------------------------------------------------

def test_a_keys_file_may_start_with_a_byte_order_mark(monkeypatch, tmp_path):
    keys = tmp_path / "keys"
    keys.write_text("\ufeffkey-one\n# a comment\nkey-two\n", encoding="utf-8")
    assert read_keys_file(str(keys)) == ["key-one", "key-two"]
    assert from_env(monkeypatch, QUOTES_API_KEYS="key-zero", QUOTES_API_KEYS_FILE=str(keys)).api_keys == (
        "key-zero", "key-one", "key-two")


def test_a_keys_file_with_a_comment_first_and_a_byte_order_mark(tmp_path):
    keys = tmp_path / "keys"
    keys.write_text("\ufeff# newsroom CMS\nkey-one\n", encoding="utf-8")
    assert read_keys_file(str(keys)) == ["key-one"]


@pytest.mark.parametrize(("content", "problem"), [
    (None, "cannot be read: No such file or directory"),
    ("folder", "cannot be read: Is a directory"),
    (b"key-one\n\xff\xfekey-two\n", "is not UTF-8 (byte 8)"),
    (f"key-one\n{SECRET} with a space\n".encode(), "the key on line 2 holds a space"),
])
def test_every_error_reading_a_keys_file_names_the_file(monkeypatch, tmp_path, content, problem):
    keys = tmp_path / "keys"
    if content == "folder":
        keys.mkdir()
    elif content is not None:
        keys.write_bytes(content)
    for error in (refused(monkeypatch, QUOTES_API_KEYS_FILE=str(keys)), _error_of(read_keys_file, str(keys))):
        assert error.startswith(f"QUOTES_API_KEYS_FILE {str(keys)!r}") and problem in error
        assert SECRET not in error and "\n" not in error


def _error_of(function, *args) -> str:
    with pytest.raises(SettingsError) as raised:
        function(*args)
    return str(raised.value)


@pytest.mark.parametrize("keys", [f"good-key,{SECRET} x", f"{SECRET}\u00e9", f"{SECRET}\x07"])
def test_an_unusable_key_is_refused_without_being_shown(monkeypatch, keys):
    message = refused(monkeypatch, QUOTES_API_KEYS=keys)
    assert message.startswith("QUOTES_API_KEYS: API key #") and SECRET not in message
    with pytest.raises(SettingsError) as raised:
        Settings(api_keys=tuple(keys.split(",")))
    assert SECRET not in str(raised.value)


def test_a_settings_error_is_a_value_error():
    assert issubclass(SettingsError, ValueError)


# --- the documentation --------------------------------------------------------------------------

def test_the_configuration_docs_show_the_declared_settings():
    document = DOCS.read_text(encoding="utf-8")
    start, end = document.index(TABLE_START) + len(TABLE_START), document.index(TABLE_END)
    assert document[start:end].strip() == markdown_table().strip(), (
        "docs/configuration.md is out of date with service/settings.py: run `make docs`")


def test_the_table_names_every_variable_once():
    rows = [line for line in markdown_table().splitlines() if line.startswith("| `QUOTES_")]
    assert [row.split("`")[1] for row in rows] == [env_name(name) for name in Settings.model_fields]
    assert all(row.count(" | ") == 2 for row in rows)  # no stray pipe in a meaning


def test_python_m_service_settings_prints_the_table():
    finished = subprocess.run([sys.executable, "-m", "service.settings"], cwd=ROOT, capture_output=True,
                              text=True, timeout=60)
    assert finished.returncode == 0 and finished.stdout == markdown_table()
