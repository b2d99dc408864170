"""Event ingest: events/s through a real `hub serve` in batches of 20, with its baselines.

    .venv/bin/python -m benchmarks.ingest [--seconds 10] [--clients 4] [--json FILE]

Three figures from one run, on the same machine and disk, WAL with synchronous=FULL:
  raw      sqlite3 inserts of the same batches (20 rows, one transaction each), one thread
  record   hub.learning.activity.parse_batch + record in-process (validation, dedupe, progress rows)
  http     POST /api/v1/events to `hub serve` (waitress) on loopback, keep-alive clients,
           every batch committed to disk before its 200
The load clients run on the same 2 cores as the server, so the http figure is a floor.
"""
from __future__ import annotations

import argparse
import datetime as dt
import http.client
import json
import random
import sqlite3
import statistics
import tempfile
import threading
import time
import uuid
from pathlib import Path

from benchmarks.harness import hub_server
from hub.learning import activity
from hub.core.db import connect, open_hub_db

BATCH = 20
PACK = "org.bench.ingest"


def _install_pack(data_dir: Path) -> None:
    db = open_hub_db(data_dir)
    db.execute("INSERT INTO packs (id, version, title, languages, storage_dir, installed_at, "
               "manifest) VALUES (?, '1', '{\"en\": \"Bench\"}', '[\"en\"]', ?, '2024-01-01', '{}')",
               [PACK, str(data_dir)])
    for i in range(50):
        db.execute("INSERT INTO resources (pack_id, id, kind, language, group_id, title, file, "
                   "sha256, size, position) VALUES (?, ?, 'video', 'en', ?, 'r', 'f', '0', 1, ?)",
                   [PACK, f"r{i}", f"r{i}", i])
    db.conn.close()


def _now() -> str:
    # Every page script sends the batch's sent_at: the hub dates each event by it.
    return dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _batch(n: int = BATCH) -> list[dict]:
    # A page sends events about its own resource: one resource per batch, as activity.js does.
    now = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    resource = f"{PACK}/r{random.randrange(50)}"
    return [{"id": str(uuid.uuid4()), "resource": resource, "verb": "progressed",
             "progress": 0.5, "duration_s": 15, "timestamp": now, "data": {"position_s": 30}}
            for i in range(n)]


def bench_raw(path: Path, seconds: float) -> dict:
    """sqlite3 alone: the same rows, 20 per transaction, WAL + synchronous=FULL."""
    conn = sqlite3.connect(str(path), isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=FULL")
    conn.execute("CREATE TABLE events (id TEXT PRIMARY KEY, actor TEXT, anonymous INTEGER, "
                 "pack_id TEXT, resource_id TEXT, verb TEXT, progress REAL, score REAL, "
                 "duration_s REAL, client_ts TEXT, received_at TEXT, clock_skew_s REAL, "
                 "data TEXT) WITHOUT ROWID")
    done, began = 0, time.perf_counter()
    while time.perf_counter() - began < seconds:
        rows = [(e["id"], "Lbench", 0, PACK, e["resource"].split("/")[1], e["verb"], 0.5, None,
                 15.0, e["timestamp"], e["timestamp"], None, json.dumps(e["data"]))
                for e in _batch()]
        conn.execute("BEGIN IMMEDIATE")
        conn.executemany("INSERT OR IGNORE INTO events VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)", rows)
        conn.execute("COMMIT")
        done += BATCH
    elapsed = time.perf_counter() - began
    sync = conn.execute("PRAGMA synchronous").fetchone()[0]
    conn.close()
    return {"events_per_s": done / elapsed, "events": done, "synchronous": sync}


def bench_record(data_dir: Path, seconds: float) -> dict:
    """The hub's own code path without HTTP: validate, dedupe, events + progress, commit."""
    db = connect(data_dir / "hub.db")
    done, began = 0, time.perf_counter()
    while time.perf_counter() - began < seconds:
        events = activity.parse_batch(db, {"sent_at": _now(), "events": _batch()})
        done += activity.record(db, "Lrecordbench", events).accepted
    elapsed = time.perf_counter() - began
    sync = db.execute("PRAGMA synchronous").fetchone()[0]
    db.conn.close()
    return {"events_per_s": done / elapsed, "events": done, "synchronous": sync}


def bench_http(data_dir: Path, seconds: float, clients: int) -> dict:
    """Keep-alive clients posting batches of 20 to a real `hub serve` on loopback."""
    server = hub_server(data_dir).start()
    latencies: list[float] = []
    accepted = [0]
    errors = [0]
    lock = threading.Lock()
    start = threading.Barrier(clients + 1)

    def client(number: int):
        conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
        conn.request("POST", "/api/v1/learners", json.dumps({"name": f"bench {number}"}),
                     {"Content-Type": "application/json"})
        response = conn.getresponse()
        response.read()
        cookie = response.getheader("Set-Cookie", "").split(";", 1)[0]
        headers = {"Content-Type": "application/json", "Cookie": cookie}
        mine, times, failed = 0, [], 0
        start.wait()
        deadline = time.perf_counter() + seconds
        while time.perf_counter() < deadline:
            body = json.dumps({"sent_at": _now(), "events": _batch()})
            sent = time.perf_counter()
            conn.request("POST", "/api/v1/events", body, headers)
            response = conn.getresponse()
            answer = response.read()
            times.append(time.perf_counter() - sent)
            if response.status == 200:
                mine += json.loads(answer)["accepted"]
            else:
                failed += 1
        conn.close()
        with lock:
            accepted[0] += mine
            latencies.extend(times)
            errors[0] += failed

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    try:
        for thread in threads:
            thread.start()
        start.wait()
        began = time.perf_counter()
        for thread in threads:
            thread.join()
        elapsed = time.perf_counter() - began
    finally:
        server.stop()
    db = connect(data_dir / "hub.db")
    stored = db.execute("SELECT count(*) FROM events").fetchone()[0]
    sync = db.execute("PRAGMA synchronous").fetchone()[0]
    db.conn.close()
    cuts = statistics.quantiles(latencies, n=100) if len(latencies) > 1 else [0.0] * 99
    return {"events_per_s": accepted[0] / elapsed, "events": accepted[0], "stored": stored,
            "errors": errors[0], "clients": clients, "synchronous": sync,
            "p50_ms": cuts[49] * 1000, "p95_ms": cuts[94] * 1000, "p99_ms": cuts[98] * 1000}


def main(argv: list[str] | None = None) -> dict:
    """Run the three measurements and print a short table (and JSON when asked)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--json", metavar="FILE")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="hub-ingest-") as tmp:
        tmp_path = Path(tmp)
        raw = bench_raw(tmp_path / "raw.db", args.seconds)
        data_dir = tmp_path / "data"
        data_dir.mkdir()
        _install_pack(data_dir)
        record = bench_record(data_dir, args.seconds)
        over_http = bench_http(data_dir, args.seconds, args.clients)
    results = {"batch": BATCH, "seconds": args.seconds, "raw_sqlite": raw,
               "record_in_process": record, "http": over_http}
    full = "FULL" if over_http["synchronous"] == 2 and raw["synchronous"] == 2 else "NOT FULL"
    print(f"event ingest, batches of {BATCH}, WAL + synchronous={full}, {args.seconds:g} s each")
    print(f"  raw sqlite3 inserts          {raw['events_per_s']:>9,.0f} events/s")
    print(f"  activity.record in-process   {record['events_per_s']:>9,.0f} events/s")
    print(f"  POST /api/v1/events (http)   {over_http['events_per_s']:>9,.0f} events/s  "
          f"({args.clients} clients; p50 {over_http['p50_ms']:.1f} ms, p95 {over_http['p95_ms']:.1f} ms, "
          f"p99 {over_http['p99_ms']:.1f} ms; errors {over_http['errors']})")
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2))
    return results


if __name__ == "__main__":
    main()
