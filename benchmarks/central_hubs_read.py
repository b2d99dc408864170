"""The central's hubs page read with 10,000 hubs: every hub in scope then the first 300 (as it was)
against the first 300 by LIMIT plus a count (as it is), alternating, on SQLite and PostgreSQL.

    .venv/bin/python -m benchmarks.central_hubs_read
"""
from __future__ import annotations

import statistics
import sys
import tempfile
from pathlib import Path
from time import perf_counter

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    """Print p50 / p95 ms of both reads on each engine."""
    sys.path.insert(0, str(ROOT))
    from sync.central.store import Store
    from tests.pgserver import PostgresServer, find_binaries

    binaries = find_binaries()
    pg = PostgresServer(binaries, durable=True).start() if binaries else None
    try:
        for engine in ("sqlite", "postgresql") if pg else ("sqlite",):
            store = Store(Path(tempfile.mkdtemp()), pg.create_database() if engine == "postgresql" else None)
            with store.db.tx():
                store.db.executemany(
                    "INSERT INTO hubs (hub_id, secret_box, created_at, name, region, partner) VALUES (?, ?, ?, ?, ?, ?)",
                    [[f"hub-{n:05d}", b"x", "2026-01-01T00:00:00Z", f"Hub {n}", f"Region {n % 10}", "P"]
                     for n in range(10_000)])
            times: dict = {"every hub, then 300": [], "LIMIT 300 and a count": []}
            for _ in range(20):
                began = perf_counter()
                store.hubs(None, counts=False)[:300]
                times["every hub, then 300"].append((perf_counter() - began) * 1000)
                began = perf_counter()
                store.hubs(None, counts=False, limit=300)
                store.hub_names(None, limit=0)
                times["LIMIT 300 and a count"].append((perf_counter() - began) * 1000)
            for name, found in times.items():
                found.sort()
                print(f"{engine}: {name}: p50 {statistics.median(found):.1f} ms, p95 {found[18]:.1f} ms")
            store.close()
    finally:
        if pg:
            pg.stop()


if __name__ == "__main__":
    main()
