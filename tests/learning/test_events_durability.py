"""Durability: a real `hub serve` killed (SIGKILL) while clients send events keeps every
event it acknowledged, and says so after a restart."""
from __future__ import annotations

from http.client import HTTPException
import threading

import pytest

from hub.core.db import open_hub_db
from tests.helpers import HubProcess, http
from tests.learning.test_learners_support import event, install_test_pack

CLIENTS = 3
BATCH = 20
ACKED_BEFORE_KILL = 30 * BATCH


@pytest.mark.slow
def test_every_acknowledged_event_survives_a_kill(tmp_path):
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    db = open_hub_db(data_dir)
    install_test_pack(db, data_dir)
    db.conn.close()

    hub = HubProcess(data_dir).start()
    acked: list[dict] = []
    batches: list[list[dict]] = []
    progress = threading.Condition()
    stop = threading.Event()

    def client():
        while not stop.is_set():
            batch = [event() for _ in range(BATCH)]
            try:
                status, _headers, _body = http("POST", hub.url + "/api/v1/events",
                                               {"events": batch}, timeout=10)
            except (OSError, HTTPException):
                return  # the server is gone: whatever was not acknowledged may be lost
            if status == 200:
                with progress:
                    acked.extend(batch)
                    batches.append(batch)
                    progress.notify_all()

    threads = [threading.Thread(target=client, daemon=True) for _ in range(CLIENTS)]
    for thread in threads:
        thread.start()
    with progress:
        assert progress.wait_for(lambda: len(acked) >= ACKED_BEFORE_KILL, timeout=120)
    hub.kill()  # while the clients are still sending
    stop.set()
    for thread in threads:
        thread.join(timeout=30)
    with progress:
        acknowledged = {e["id"] for e in acked}
        first_batch = batches[0]

    restarted = HubProcess(data_dir).start()
    try:
        # The hub itself answers that an acknowledged batch is already there.
        status, _headers, body = http("POST", restarted.url + "/api/v1/events",
                                      {"events": first_batch})
        assert status == 200 and b'"duplicates":20' in body.replace(b" ", b"")
        db = open_hub_db(data_dir)
        try:
            stored = {row[0] for row in db.execute("SELECT id FROM events")}
            assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        finally:
            db.conn.close()
        assert acknowledged <= stored, f"{len(acknowledged - stored)} acknowledged events lost"
    finally:
        restarted.stop()
