"""Dashboard pages on PostgreSQL with the week sums' covering index (migration 0008) and with the
sums updated in place instead (an index without the sums, fillfactor 50: HOT updates, cheaper
ingest), alternating in one process on the same year of data.

    .venv/bin/python -m benchmarks.central_sums_index --hubs 2000 --weeks 52 --repeat 20

Two databases on one throwaway server get the same fleet and the same bulk-loaded weeks (the
benchmark's loader, then VACUUM ANALYZE); the first has 0009 undone. The same signed-in page is
then asked of each in turn, through Flask's test client, and p50/p95 printed per page.
"""
from __future__ import annotations

import argparse
import datetime as dt
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
IN_PLACE = ["ALTER TABLE week_sums SET (fillfactor = 50)",
            "CREATE INDEX week_sums_find ON week_sums (metric, dim_key, week, region, partner, dim_value)",
            "DROP INDEX week_sums_cover"]
PAGES = ["/?weeks=52", "/?weeks=52&region=Region+1", "/metric/learning_minutes?by=region&weeks=52",
         "/metric/learning_minutes?period=month&weeks=52", "/metric/active_learners?by=pack&weeks=52",
         "/metric/checkins?weeks=52"]


def _central(pg, hubs: int, weeks: int, in_place: bool):
    from werkzeug.security import generate_password_hash

    from benchmarks.central_program import PARTNERS, PASSWORD, REGIONS, bulk_load
    from sync.central.app import create_app
    from sync.central.store import Store

    folder = Path(tempfile.mkdtemp(prefix="central-sums-"))
    store = Store(folder, pg.create_database())
    if in_place:
        for statement in IN_PLACE:
            store.db.execute(statement)
    names = [f"hub-{n:05d}" for n in range(hubs)]
    places = {h: (REGIONS[n % len(REGIONS)], PARTNERS[n % len(PARTNERS)]) for n, h in enumerate(names)}
    with store.db.tx():
        for hub_id in names:
            store.add_hub(hub_id, "s" * 40, "2025-12-01T00:00:00Z", region=places[hub_id][0],
                          partner=places[hub_id][1])
    store.set_user("ministry", generate_password_hash(PASSWORD), "2026-01-01T00:00:00Z")
    last = dt.date(2026, 11, 30)
    bulk_load(store, names, places, [last - dt.timedelta(weeks=w) for w in range(weeks - 1, -1, -1)],
              random.Random(16))
    web = create_app(folder, {"TESTING": True}, store=store).test_client()
    web.get("/login")
    with web.session_transaction() as session:
        token = session.get("_csrf")
    assert web.post("/login", data={"username": "ministry", "password": PASSWORD,
                                    "csrf_token": token}).status_code == 302
    return web


def main(argv=None) -> None:
    """Command line: --hubs, --weeks, --repeat."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hubs", type=int, default=2000)
    parser.add_argument("--weeks", type=int, default=52)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    from tests.pgserver import PostgresServer, find_binaries

    pg = PostgresServer(find_binaries(), durable=True).start()
    try:
        webs = {"covering (0008)": _central(pg, args.hubs, args.weeks, in_place=False),
                "in place": _central(pg, args.hubs, args.weeks, in_place=True)}
        times = {(name, page): [] for name in webs for page in PAGES}
        for _ in range(args.repeat + 1):  # the first round warms up
            for page in PAGES:
                for name, web in webs.items():
                    began = time.perf_counter()
                    assert web.get(page).status_code == 200, page
                    times[(name, page)].append(time.perf_counter() - began)
        for page in PAGES:
            cells = []
            for name in webs:
                found = sorted(times[(name, page)][1:])
                cells.append(f"{name}: p50 {statistics.median(found) * 1000:.1f} / "
                             f"p95 {found[max(0, int(len(found) * 0.95) - 1)] * 1000:.1f} ms")
            print(f"| `{page}` | " + " | ".join(cells) + " |")
    finally:
        pg.stop()


if __name__ == "__main__":
    main()
