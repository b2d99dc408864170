"""Load: 200 concurrent clients mixing pages, search, content and events against one `hub serve`.

No errors (no 5xx, no failed connection), the server's memory stays bounded, and the events
in the database are exactly the ones acknowledged. Figures are printed (pytest -s) for docs.
"""
from __future__ import annotations

import http.client
import itertools
import json
import sqlite3
import threading
import time
import uuid
from collections import Counter

import pytest

from hub.core.db import open_hub_db
from hub.catalog.packs import install
from tests.helpers import HubProcess
from tests.packfactory import PACK_ID, make_pack

CLIENTS = 200
SECONDS = 8.0          # how long clients start new requests; in-flight ones then finish
RSS_LIMIT_MB = 300     # a small board has 1-2 GB for everything; the hub idles near 60 MB
EVENTS_PER_BATCH = 5

PATHS = ["/", "/search?q=count", f"/packs/{PACK_ID}", f"/packs/{PACK_ID}/count-en",
         "/api/v1/resources?q=count", "/api/v1/packs", f"/content/{PACK_ID}/images/shape.svg",
         f"/content/{PACK_ID}/articles/count.en.md", "/search?q=compter&lang=fr", "EVENTS"]


class LoggedHub(HubProcess):
    """hub serve with its output in a file: under load a full, unread pipe would stall it."""

    def start(self, timeout: float = 20.0) -> "LoggedHub":
        import subprocess
        import sys

        from tests.helpers import ROOT, wait_for_http

        self.log = self.data_dir.parent / "hub-serve.log"
        with open(self.log, "wb") as out:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "hub", "serve", "--host", "127.0.0.1", "--port", str(self.port)],
                cwd=ROOT, env=self.env, stdout=out, stderr=subprocess.STDOUT)
        wait_for_http(self.url + "/healthz", timeout, self.proc)
        return self


def rss_mb(pid: int) -> float:
    """The resident memory of a process, from /proc."""
    with open(f"/proc/{pid}/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def events_body() -> tuple[bytes, list[str]]:
    ids = [str(uuid.uuid4()) for _ in range(EVENTS_PER_BATCH)]
    stamp = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    body = {"events": [{"id": i, "resource": f"{PACK_ID}/count-en", "verb": "progressed",
                        "progress": 0.5, "duration_s": 5, "timestamp": stamp} for i in ids]}
    return json.dumps(body).encode(), ids


@pytest.mark.slow
def test_two_hundred_clients_no_errors_bounded_memory_exact_event_count(tmp_path, data_dir):
    db = open_hub_db(data_dir)
    install.install(db, data_dir, make_pack(tmp_path / "pack"))
    db.conn.close()
    results: Counter = Counter()
    failures: list[str] = []
    acked: list[str] = []
    lock = threading.Lock()
    start_gate = threading.Barrier(CLIENTS + 1)

    with LoggedHub(data_dir) as hub:
        peak = [rss_mb(hub.proc.pid)]
        idle = peak[0]
        done = threading.Event()

        def sample():
            while not done.wait(0.1):
                peak[0] = max(peak[0], rss_mb(hub.proc.pid))

        def client(number: int):
            start_gate.wait()
            deadline = time.monotonic() + SECONDS
            for path in itertools.islice(itertools.cycle(PATHS), number % len(PATHS), None):
                if time.monotonic() > deadline:
                    return
                conn = http.client.HTTPConnection("127.0.0.1", hub.port, timeout=60)
                try:
                    if path == "EVENTS":
                        body, ids = events_body()
                        conn.request("POST", "/api/v1/events", body=body,
                                     headers={"Content-Type": "application/json", "Connection": "close"})
                    else:
                        conn.request("GET", path, headers={"Connection": "close"})
                    response = conn.getresponse()
                    answer = response.read()
                except (OSError, http.client.HTTPException) as exc:
                    with lock:
                        failures.append(f"{path}: {exc!r}")
                    continue
                finally:
                    conn.close()
                with lock:
                    results[response.status] += 1
                    if response.status != 200:
                        failures.append(f"{path}: {response.status} {answer[:200]!r}")
                    elif path == "EVENTS":
                        assert json.loads(answer) == {"accepted": EVENTS_PER_BATCH, "duplicates": 0}
                        acked.extend(ids)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        threads = [threading.Thread(target=client, args=(n,), daemon=True) for n in range(CLIENTS)]
        for thread in threads:
            thread.start()
        start_gate.wait()
        for thread in threads:
            thread.join(120)
        done.set()
        sampler.join(5)
        assert not any(thread.is_alive() for thread in threads)

    total = sum(results.values())
    print(f"\nload: {CLIENTS} clients, {total} requests in ~{SECONDS:.0f} s, {len(failures)} errors, "
          f"{len(acked)} events acknowledged, RSS idle {idle:.0f} MB, peak {peak[0]:.0f} MB")
    assert not failures, (failures[:10], hub.log.read_text()[-3000:])
    assert total >= CLIENTS and acked
    assert peak[0] < RSS_LIMIT_MB
    conn = sqlite3.connect(data_dir / "hub.db")
    try:
        stored = conn.execute("SELECT count(*) FROM events WHERE verb = 'progressed'").fetchone()[0]
        ids = {row[0] for row in conn.execute("SELECT id FROM events WHERE verb = 'progressed'")}
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        conn.close()
    assert stored == len(acked) and ids == set(acked)
