"""Rollup and report-size benchmark: generated events -> sync.metrics -> hub-report/1.

    .venv/bin/python -m benchmarks.rollup --per-day 100000 --days 1      # one busy day
    .venv/bin/python -m benchmarks.rollup --per-day 27400 --days 365     # a year, ~10M events

Prints JSON: events, seconds to insert, to roll up one busy day, to roll up every day
(incremental, from nothing), to re-run with nothing new, and the busy day's report size.
"""
from __future__ import annotations

import argparse
import datetime as dt
import gzip
import json
import random
import tempfile
import time
import uuid
from pathlib import Path

VERBS = ["started"] * 3 + ["progressed"] * 4 + ["completed"] * 2 + ["answered"] * 5 + ["checked_in"]
KINDS = ["article", "video", "audio", "document", "image", "html5", "exercise"]
LANGUAGES = ["en", "fr", "sw", "ar", "hi", "pt", "es"]


def make_catalog(db, packs: int = 40, per_pack: int = 60) -> list[tuple[str, str]]:
    """Packs and resources of every kind and language; returns (pack_id, resource_id) pairs."""
    found = []
    with db.atomic():
        for p in range(packs):
            pack_id = f"org.bench.pack{p:03d}"
            db.execute("INSERT INTO packs (id, version, title, languages, storage_dir, installed_at, manifest) "
                       "VALUES (?, '1.0.0', ?, '[\"en\"]', '/x', '2024-01-01T00:00:00Z', '{}')",
                       [pack_id, json.dumps({"en": f"Pack {p}"})])
            for r in range(per_pack):
                rid = f"r{r:03d}"
                db.execute("INSERT INTO resources (pack_id, id, kind, language, group_id, title, file, sha256, "
                           "size, position) VALUES (?, ?, ?, ?, ?, ?, 'f', 'x', 1, ?)",
                           [pack_id, rid, KINDS[r % len(KINDS)], LANGUAGES[(p + r) % len(LANGUAGES)], rid, rid, r])
                found.append((pack_id, rid))
    return found


def generate(db, first: dt.date, days: int, per_day: int, learners: int = 600, seed: int = 1) -> int:
    """Insert `per_day` events on each of `days` days (executemany in big transactions)."""
    rng = random.Random(seed)
    resources = make_catalog(db)
    actors = [f"L{n:08x}" for n in range(learners)] + [f"A{n:08x}" for n in range(learners // 10)]
    total = 0
    for d in range(days):
        day = first + dt.timedelta(days=d)
        rows = []
        # Each learner works through a dozen resources a day, many events on each.
        today = {actor: rng.sample(resources, 12) for actor in actors}
        for _ in range(per_day):
            actor = rng.choice(actors)
            pack_id, rid = rng.choice(today[actor])
            verb = rng.choice(VERBS)
            when = dt.datetime.combine(day, dt.time(rng.randrange(6, 20), rng.randrange(60), rng.randrange(60)))
            stamp = when.strftime("%Y-%m-%dT%H:%M:%SZ")
            data = json.dumps({"mood": rng.randint(1, 5)}) if verb == "checked_in" else "{}"
            rows.append((str(uuid.UUID(int=rng.getrandbits(128))), actor, int(actor[0] == "A"),
                         "" if verb == "checked_in" else pack_id, "" if verb == "checked_in" else rid, verb,
                         rng.random(), float(rng.random() < 0.6) if verb == "answered" else None,
                         rng.choice([0, 15, 30, 60, 120, 300]), stamp, stamp, None, data))
        with db.atomic():
            db.conn.executemany(
                "INSERT INTO events (id, actor, anonymous, pack_id, resource_id, verb, progress, score, "
                "duration_s, client_ts, received_at, clock_skew_s, data) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
        total += len(rows)
    return total


def run(days: int, per_day: int, folder: Path) -> dict:
    """Generate, then time the rollups and measure the busiest day's report."""
    from hub.core.db import open_hub_db
    from sync import metrics, report, upstream

    db = open_hub_db(folder)
    first = dt.date(2024, 1, 1)
    start = time.perf_counter()
    events = generate(db, first, days, per_day)
    inserted = time.perf_counter() - start
    start = time.perf_counter()
    metrics.rollup(db, first, "UTC")
    one_day = time.perf_counter() - start
    start = time.perf_counter()
    done = metrics.rollup_pending(db, "UTC", until=first + dt.timedelta(days=days + 7))
    every_day = time.perf_counter() - start
    start = time.perf_counter()
    metrics.rollup_pending(db, "UTC", until=first + dt.timedelta(days=days + 7))
    nothing_new = time.perf_counter() - start
    conf = {"HUB_DATA_DIR": str(folder), "HUB_K_THRESHOLD": 5, "HUB_UPSTREAM_URL": "", "HUB_ID": "",
            "HUB_SECRET": ""}
    upstream.register(conf, "http://127.0.0.1:9", "hub-bench", "x" * 40)
    body = report.encode(report.build(db, conf, first))
    db.conn.close()
    return {"events": events, "days": days, "events_per_day": per_day, "insert_s": round(inserted, 1),
            "rollup_one_day_s": round(one_day, 2), "rollup_all_days_s": round(every_day, 1),
            "days_rolled_up": len(done), "rerun_nothing_new_s": round(nothing_new, 3),
            "report_bytes": len(body), "report_gzip_bytes": len(gzip.compress(body)),
            "report_rows": body.count(b'"name"')}


def main(argv=None) -> None:
    """Command line: --days, --per-day, --work."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--days", type=int, default=1)
    parser.add_argument("--per-day", type=int, default=100_000)
    parser.add_argument("--work", help="keep the data in this folder")
    args = parser.parse_args(argv)
    if args.work:
        Path(args.work).mkdir(parents=True, exist_ok=True)
        print(json.dumps(run(args.days, args.per_day, Path(args.work))))
        return
    with tempfile.TemporaryDirectory() as folder:
        print(json.dumps(run(args.days, args.per_day, Path(folder))))


if __name__ == "__main__":
    main()
