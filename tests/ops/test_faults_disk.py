"""Disk full: a real `hub serve` on a small filesystem made by the test (a size-limited tmpfs).

Events are refused with 507 and a clear message, pages keep serving, nothing is corrupted,
and the hub takes events again by itself once space returns.
"""
from __future__ import annotations

import errno
import json
import os
import sqlite3
import subprocess

import pytest

from hub.core.db import open_hub_db
from tests.helpers import HubProcess, http
from tests.learning.test_learners_support import PACK, event, install_test_pack

PADDING = "x" * 3000  # events near the 4 KiB limit fill the disk in few requests


@pytest.fixture
def small_disk(tmp_path):
    """A 16 MiB tmpfs mounted for this test (needs root and mount rights), unmounted after."""
    mount_point = tmp_path / "small"
    mount_point.mkdir()
    if os.geteuid() != 0:
        pytest.skip("disk-full test needs root to mount a small tmpfs")
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=16m", "tmpfs", str(mount_point)],
                          capture_output=True, text=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs here: {done.stderr.strip()}")
    try:
        yield mount_point
    finally:
        subprocess.run(["umount", "-l", str(mount_point)], check=False)


def fill(path) -> None:
    """Write a file until the filesystem says ENOSPC (unbuffered: every byte written is on it)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT, 0o600)
    try:
        for size in (1 << 20, 4096, 1):
            try:
                while os.write(fd, b"\0" * size):
                    pass
            except OSError as exc:
                assert exc.errno == errno.ENOSPC  # full for this size; try smaller pieces
    finally:
        os.close(fd)


def batch(n=25):
    return [event(data={"note": PADDING}) for _ in range(n)]


@pytest.mark.slow
def test_a_full_disk_refuses_events_with_507_keeps_serving_and_recovers(small_disk):
    data_dir = small_disk / "data"
    data_dir.mkdir()
    db = open_hub_db(data_dir)
    install_test_pack(db, data_dir)
    db.conn.close()
    acked: set[str] = set()
    refused: list[dict] = []
    with HubProcess(data_dir) as hub:
        first = batch()
        assert http("POST", hub.url + "/api/v1/events", {"events": first})[0] == 200
        acked |= {e["id"] for e in first}

        fill(small_disk / "filler")
        for _attempt in range(200):  # the WAL may still have room for a few batches
            sent = batch()
            status, headers, body = http("POST", hub.url + "/api/v1/events", {"events": sent})
            if status == 200:
                acked |= {e["id"] for e in sent}
                continue
            refused = sent
            break
        assert status == 507, body
        assert "full" in json.loads(body)["error"] and "nothing was stored" in json.loads(body)["error"]
        assert headers["Content-Type"].startswith("application/json")

        # Reading keeps working: pages, search, the API and a resource page.
        for path in ("/", "/healthz", "/search?q=story", "/api/v1/packs", f"/api/v1/resources?pack={PACK}",
                     f"/packs/{PACK}", f"/packs/{PACK}/quiz", "/signup"):
            status, _headers, page = http("GET", hub.url + path)
            assert status == 200, (path, status, page[:300])

        os.unlink(small_disk / "filler")  # space returns; no restart
        again = batch()
        status, _headers, body = http("POST", hub.url + "/api/v1/events", {"events": again})
        assert status == 200, body
        acked |= {e["id"] for e in again}
        # The refused batch is taken now too, whole (the client's retry).
        status, _headers, body = http("POST", hub.url + "/api/v1/events", {"events": refused})
        assert status == 200 and json.loads(body)["accepted"] == len(refused)
        acked |= {e["id"] for e in refused}

    conn = sqlite3.connect(data_dir / "hub.db")
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        stored = {row[0] for row in conn.execute("SELECT id FROM events")}
    finally:
        conn.close()
    assert acked <= stored and len(stored) == len(acked)
