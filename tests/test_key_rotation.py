"""API keys from a file are read again when it changes: a new key works and a revoked one stops,
within a second and without a restart."""
from __future__ import annotations

import os
import time

import pytest

from service import create_app
from service.api.security import RELOAD_INTERVAL, KeyRing
from service.settings import Settings


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def write(path, *keys: str) -> None:
    """Write the keys file as an editor would, and make its change visible to a stat at once."""
    path.write_text("# keys\n" + "".join(f"{key}\n" for key in keys), encoding="utf-8")
    stamp = os.stat(path).st_mtime_ns + 1_000_000
    os.utime(path, ns=(stamp, stamp))


def test_the_ring_reads_the_file_again_once_a_second(tmp_path):
    keys, clock = tmp_path / "keys", Clock()
    write(keys, "old-key")
    ring = KeyRing(("env-key",), str(keys), clock=clock)
    assert ring.accepts("old-key") and ring.accepts("env-key")
    write(keys, "new-key")
    assert ring.accepts("old-key")  # looked at less than a second ago
    clock.now += 1
    assert ring.accepts("new-key") and not ring.accepts("old-key") and ring.accepts("env-key")


def test_a_key_in_the_environment_and_the_file_belongs_to_the_file(tmp_path):
    keys, clock = tmp_path / "keys", Clock()
    write(keys, "shared-key")
    ring = KeyRing(("shared-key",), str(keys), clock=clock)  # as Settings.from_env gives them
    write(keys, "other-key")
    clock.now += 1
    assert not ring.accepts("shared-key")


def test_an_unreadable_file_keeps_the_keys_last_read(tmp_path, caplog):
    keys, clock = tmp_path / "keys", Clock()
    write(keys, "kept-key")
    ring = KeyRing((), str(keys), clock=clock)
    keys.write_bytes(b"\xff\xfe not utf-8")
    clock.now += 1
    assert ring.accepts("kept-key")
    keys.unlink()
    clock.now += 1
    assert ring.accepts("kept-key")
    assert "keeping the keys last read" in caplog.text and "kept-key" not in caplog.text


def test_an_emptied_file_revokes_every_key_and_keeps_the_api_closed(tmp_path):
    keys, clock = tmp_path / "keys", Clock()
    write(keys, "only-key")
    ring = KeyRing((), str(keys), clock=clock)
    write(keys)
    clock.now += 1
    assert ring and not ring.accepts("only-key")


@pytest.fixture
def keyed_client(app, engine, tmp_path, monkeypatch):
    keys = tmp_path / "keys"
    write(keys, "first-key")
    monkeypatch.setenv("QUOTES_API_KEYS_FILE", str(keys))
    built = create_app({"TESTING": True, "ENGINE": engine, "SETTINGS": Settings.from_env()})
    built.test_client_class = app.test_client_class
    return built.test_client(), keys


def test_the_service_takes_a_rotated_key_without_a_restart(keyed_client):
    client, keys = keyed_client

    def status(key: str) -> int:
        return client.get("/v1/info", headers={"Authorization": f"Bearer {key}"}).status_code

    assert status("first-key") == 200 and status("second-key") == 401
    write(keys, "second-key")
    time.sleep(RELOAD_INTERVAL + 0.1)
    assert status("first-key") == 401 and status("second-key") == 200
    assert client.get("/v1/info", headers={"X-API-Key": "second-key"}).get_json()["auth"] == {"required": True}
