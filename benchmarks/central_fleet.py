"""A simulated fleet of hubs pushing daily reports to a real `hub-central serve` over loopback.

    .venv/bin/python -m benchmarks.central_fleet --hubs 1000 --days 1 --concurrency 8

Prints JSON: reports sent, wall time, reports per second, latency p50/p99, the average
report size as sent (gzip) and unpacked, and the central database's growth per report.
Bounded: at most hubs x days requests, each with a 30 s timeout, to 127.0.0.1 only.
"""
from __future__ import annotations

import argparse
import gzip
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
KINDS = ["article", "video", "audio", "document", "image", "html5", "exercise"]
LANGUAGES = ["en", "fr", "sw", "ar", "hi"]


def fake_report(hub_id: str, day: str, rng: random.Random, packs: int = 30) -> dict:
    """A busy hub's day: every metric, a breakdown row per pack, kind, language and mood."""
    rows = []

    def row(name, dims, value):
        hidden = value < 5
        rows.append({"name": name, "value": None if hidden else value, "suppressed": hidden, "dims": dims})

    breakdowns = {"active_learners": ["pack", "language"], "learning_minutes": ["pack", "kind"],
                  "resources_started": ["pack", "kind", "language"], "resources_completed": ["pack", "kind", "language"],
                  "exercise_attempts": ["pack"], "exercise_correct": ["pack"]}
    values = {"pack": [f"org.example.pack{p:02d}" for p in range(packs)], "kind": KINDS, "language": LANGUAGES}
    for name, keys in breakdowns.items():
        row(name, {}, rng.randint(50, 5000))
        for key in keys:
            for value in values[key]:
                row(name, {key: value}, rng.randint(0, 400))
    row("active_sessions", {}, rng.randint(0, 40))
    row("returning_learners", {}, rng.randint(20, 200))
    for mood in range(1, 6):
        row("checkins", {"mood": mood}, rng.randint(0, 60))
    return {"schema": "hub-report/1", "hub_id": hub_id, "report_id": f"daily-{day}", "revision": 1,
            "period": {"start": day, "end": day}, "generated_at": f"{day}T23:59:59Z", "k_threshold": 5,
            "metrics": rows}


def run(hubs: int, days: int, concurrency: int, folder: Path) -> dict:
    """Register the fleet, start the central, push every report, measure."""
    from sync import client, report
    from sync.central.store import Store
    from tests.helpers import free_port, wait_for_http

    store = Store(folder)
    secrets = {f"hub-{n:05d}": f"secret-{n:05d}-{'x' * 24}" for n in range(hubs)}
    for hub_id, secret in secrets.items():
        store.add_hub(hub_id, secret, "2024-01-01T00:00:00Z")
    store.close()
    rng = random.Random(7)
    jobs = [(hub_id, report.encode(fake_report(hub_id, f"2024-05-{10 + d:02d}", rng)))
            for d in range(days) for hub_id in secrets]
    size_before = sum(p.stat().st_size for p in folder.glob("central.db*"))
    port = free_port()
    env = dict(os.environ, HUB_CENTRAL_DATA_DIR=str(folder))
    proc = subprocess.Popen([sys.executable, "-m", "sync.central.cli", "serve", "--port", str(port)],
                            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_for_http(url + "/healthz", 20, proc)
        latencies, answers = [], {}

        def send(job):
            hub_id, body = job
            start = time.perf_counter()
            answer, _date = client.post_report(url, hub_id, secrets[hub_id], body, read_timeout=30)
            latencies.append(time.perf_counter() - start)
            answers[answer] = answers.get(answer, 0) + 1

        start = time.perf_counter()
        with ThreadPoolExecutor(concurrency) as pool:
            list(pool.map(send, jobs))
        wall = time.perf_counter() - start
    finally:
        proc.terminate()
        proc.wait(15)
    size_after = sum(p.stat().st_size for p in folder.glob("central.db*"))
    latencies.sort()
    raw = [len(body) for _hub, body in jobs]
    return {"hubs": hubs, "days": days, "reports": len(jobs), "answers": answers, "concurrency": concurrency,
            "wall_s": round(wall, 1), "reports_per_s": round(len(jobs) / wall, 1),
            "p50_ms": round(statistics.median(latencies) * 1000, 1),
            "p99_ms": round(latencies[int(len(latencies) * 0.99) - 1] * 1000, 1),
            "report_rows": jobs[0][1].count(b'"name"'), "report_bytes": round(statistics.mean(raw)),
            "report_gzip_bytes": round(statistics.mean(len(gzip.compress(b)) for _h, b in jobs[:50])),
            "db_bytes_per_report": round((size_after - size_before) / len(jobs))}


def main(argv=None) -> None:
    """Command line: --hubs, --days, --concurrency."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hubs", type=int, default=1000)
    parser.add_argument("--days", type=int, default=1)
    parser.add_argument("--concurrency", type=int, default=8)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as folder:
        print(json.dumps(run(args.hubs, args.days, args.concurrency, Path(folder))))


if __name__ == "__main__":
    main()
