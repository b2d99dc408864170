"""The central for a national program, measured: a simulated fleet over real HTTP, on SQLite and on
PostgreSQL in the same run.

    .venv/bin/python -m benchmarks.central_program --hubs 10000 --weeks 52 --clients 8 --doc

For each engine: register the fleet (10 regions, 5 partners), load the year's weekly reports
but the last week straight into the database (the benchmark's bulk loader: the rows and week
sums the receiver would have written), start a real `hub-central serve`, push the last week of
every hub over HTTP with N clients (signed, gzip; the ingest rate), then time dashboard pages
(p50/p95 over repeated requests, as an admin and as a scoped user) and exports. Writes JSON
and, with --doc, the "Central for a program" section of docs/performance.md.
Bounded: loopback only, one temporary folder, a throwaway PostgreSQL server (tests/pgserver.py).
"""
from __future__ import annotations

import argparse
import datetime as dt
import http.client
import json
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from benchmarks.harness import cpu_seconds

ROOT = Path(__file__).resolve().parent.parent
REGIONS = [f"Region {n}" for n in range(1, 11)]
PARTNERS = ["Ministry", "Words NGO", "Numbers Publisher", "Girls Learn", "Radio School"]
PACKS = ["org.example.numbers", "org.example.words", "org.example.science", "org.example.health"]
PASSWORD = "bench-password-123"


def log(message: str) -> None:
    """Progress on stderr."""
    print(f"[central {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def _template() -> list[tuple[str, dict]]:
    """The metric cells of every week (name, dims), in the order week_values draws their values."""
    cells = [("active_learners", {}), ("returning_learners", {}), ("active_sessions", {})]
    cells += [(name, {}) for name in ("learning_minutes", "resources_started", "resources_completed",
                                      "exercise_attempts", "exercise_correct")]
    for pack in PACKS:
        cells += [("active_learners", {"pack": pack}), ("learning_minutes", {"pack": pack})]
    cells += [("resources_completed", {"kind": kind}) for kind in ("article", "video", "exercise")]
    cells += [("active_learners", {"language": language}) for language in ("en", "sw", "fr")]
    return cells + [("checkins", {"mood": mood}) for mood in range(1, 6)]


TEMPLATE = _template()


def week_values(rng: random.Random) -> list[int]:
    """One hub's week: a value for every TEMPLATE cell (a cell below 5 is suppressed)."""
    learners = rng.randint(3, 120)
    values = [learners, rng.randint(0, learners), rng.randint(0, 30)]
    values += [rng.randint(0, learners * 20) for _ in range(5)]
    for _ in PACKS:
        values += [rng.randint(0, learners), rng.randint(0, learners * 5)]
    values += [rng.randint(0, learners * 3) for _ in range(3)]
    return values + [rng.randint(0, learners) for _ in range(3 + 5)]


def week_report(hub_id: str, monday: dt.date, rng: random.Random) -> dict:
    """A hub's week: every total, packs, kinds, languages and moods; small cells suppressed."""
    rows = [{"name": name, "value": None if value < 5 else value, "suppressed": value < 5, "dims": dims}
            for (name, dims), value in zip(TEMPLATE, week_values(rng))]
    sunday = monday + dt.timedelta(days=6)
    year, number, _ = monday.isocalendar()
    return {"schema": "hub-report/1", "hub_id": hub_id, "report_id": f"week-{year}-W{number:02d}",
            "revision": 1, "period": {"start": monday.isoformat(), "end": sunday.isoformat(), "kind": "week"},
            "generated_at": f"{sunday.isoformat()}T23:30:00Z", "k_threshold": 5, "metrics": rows}


ROW_COLUMNS = ("hub_id, report_id, period_start, period_end, metric, dims, value, suppressed, revision, "
               "received_at, period_kind, week, dim_key, dim_value")
REPORT_COLUMNS = "hub_id, report_id, revision, period_start, period_end, generated_at, received_at, k_threshold, period_kind"


def _indexes(db, dialect: str) -> list[tuple[str, str]]:
    """(name, CREATE statement) of the metric_rows indexes (dropped for the load, made again after)."""
    if dialect == "postgresql":
        return db.execute("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'metric_rows'")
    return db.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'metric_rows' "
                      "AND sql IS NOT NULL")


def _week_rows(hubs: list[str], places: dict, monday: dt.date, rng: random.Random, sums: dict):
    """One week of every hub: (report rows, metric rows as tuples); adds the week into `sums`."""
    from sync.central.migrations import dim_parts

    start, end = monday.isoformat(), (monday + dt.timedelta(days=6)).isoformat()
    year, number, _ = monday.isocalendar()
    report_id, at = f"week-{year}-W{number:02d}", f"{end}T23:30:00Z"
    static = [(name, json.dumps(dims, sort_keys=True), *dim_parts(dims)) for name, dims in TEMPLATE]
    reports, rows = [], []
    for hub_id in hubs:
        reports.append((hub_id, report_id, 1, start, end, at, at, 5, "week"))
        place = places[hub_id]
        for (name, dims, key, value_text), value in zip(static, week_values(rng)):
            hidden = value < 5
            rows.append((hub_id, report_id, start, end, name, dims, None if hidden else value, int(hidden), 1, at,
                         "week", start, key, value_text))
            cell = sums[(start, name, key, value_text, *place)]
            cell[0] += 0 if hidden else value
            cell[1 if not hidden else 2] += 1
    return reports, rows


def _copy_text(rows) -> str:
    """Rows in COPY's text format (no field here holds a tab, newline or backslash)."""
    return "".join("\t".join("\\N" if v is None else str(v) for v in row) + "\n" for row in rows)


def bulk_load(store, hubs: list[str], places: dict, mondays: list[dt.date], rng: random.Random) -> dict:
    """Write weekly reports straight into the tables (what the receiver would write) and their week sums.

    Fast because this database is a throwaway: the metric_rows indexes are dropped and made again
    after the load; PostgreSQL takes the rows by COPY, SQLite in one transaction with synchronous=OFF.
    """
    from collections import defaultdict

    from sync.central.week_sums import UPSERT

    start = time.perf_counter()
    db, dialect = store.db, store.dialect
    indexes = _indexes(db, dialect)
    sums, count, rows_written = defaultdict(lambda: [0.0, 0, 0]), 0, 0
    if dialect == "sqlite":
        db.execute("PRAGMA synchronous=OFF")  # this connection only: a crash loses a benchmark, not data
    with db.tx():
        for name, _ in indexes:
            db.execute(f"DROP INDEX {name}")
        for monday in mondays:
            reports, rows = _week_rows(hubs, places, monday, rng, sums)
            if dialect == "postgresql":
                with db.conn().cursor() as cursor:
                    with cursor.copy(f"COPY reports ({REPORT_COLUMNS}) FROM STDIN") as copy:
                        copy.write(_copy_text(reports))
                    with cursor.copy(f"COPY metric_rows ({ROW_COLUMNS}) FROM STDIN") as copy:
                        copy.write(_copy_text(rows))
            else:
                db.executemany(f"INSERT INTO reports ({REPORT_COLUMNS}) VALUES ({', '.join('?' * 9)})", reports)
                db.executemany(f"INSERT INTO metric_rows ({ROW_COLUMNS}) VALUES ({', '.join('?' * 14)})", rows)
            count += len(reports)
            rows_written += len(rows)
        loaded = time.perf_counter() - start
        log(f"{dialect}: {rows_written:,} rows in {loaded:.0f} s; making the indexes and week sums")
        for _, statement in indexes:
            db.execute(statement)
        db.executemany(UPSERT, [[*key, *cell] for key, cell in sorted(sums.items())])
        db.execute("UPDATE hubs SET last_report_at = '2026-01-01T00:00:00Z'")
    if dialect == "sqlite":
        db.execute("PRAGMA synchronous=FULL")
    # A running central's autovacuum marks a table's pages all-visible after big inserts; do it
    # now, so pages are timed as they would run, with index-only scans where the index covers.
    db.execute("VACUUM ANALYZE" if dialect == "postgresql" else "ANALYZE")
    return {"reports": count, "rows": rows_written, "rows_seconds": round(loaded, 1),
            "seconds": round(time.perf_counter() - start, 1)}


def cpu_by_process(pids) -> dict[int, float]:
    """CPU seconds (user + system) each given process has used so far, from /proc."""
    found = {}
    for pid in pids:
        try:
            found[pid] = cpu_seconds(pid)
        except OSError:  # ended meanwhile: a PostgreSQL backend that closed
            continue
    return found


def cpu_used(before: dict, after: dict) -> float:
    """CPU seconds used between two `cpu_by_process` readings (a process started since counts from 0)."""
    return sum(seconds - before.get(pid, 0.0) for pid, seconds in after.items())


def postgres_pids() -> list[int]:
    """Every PostgreSQL server process on this machine (the benchmark's throwaway server is the only one)."""
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if (entry / "comm").read_text().startswith("postgres"):
                    pids.append(int(entry.name))
            except OSError:
                continue
    return pids


def push_week(url: str, hubs: list[str], secrets: dict, monday: dt.date, clients: int) -> dict:
    """Every hub pushes its report of one week over HTTP (signed, gzip), `clients` at a time."""
    from sync import client, report

    rng = random.Random(99)
    jobs = [(hub_id, report.encode(week_report(hub_id, monday, rng))) for hub_id in hubs]
    latencies, answers = [], {}
    counting = threading.Lock()  # a += from 8 threads can lose a count (a run once said 9,999 of 10,000)

    def send(job):
        hub_id, body = job
        began = time.perf_counter()
        answer, _ = client.post_report(url, hub_id, secrets[hub_id], body, read_timeout=60)
        latencies.append(time.perf_counter() - began)
        with counting:
            answers[answer] = answers.get(answer, 0) + 1

    began = time.perf_counter()
    with ThreadPoolExecutor(clients) as pool:
        list(pool.map(send, jobs))
    wall = time.perf_counter() - began
    latencies.sort()
    return {"reports": len(jobs), "clients": clients, "seconds": round(wall, 1),
            "reports_per_s": round(len(jobs) / wall, 1), "answers": answers,
            "p50_ms": round(statistics.median(latencies) * 1000, 1),
            "p95_ms": round(latencies[int(len(latencies) * 0.95) - 1] * 1000, 1)}


class Browser:
    """A signed-in dashboard user over plain HTTP (cookie kept by hand)."""

    def __init__(self, port: int, username: str):
        self.port, self.cookie = port, ""
        status, body = self.get("/login")
        token = re.search(r'name="csrf_token" value="([^"]+)"', body.decode()).group(1)
        form = f"username={username}&password={PASSWORD}&csrf_token={token}"
        status, _ = self.request("POST", "/login", form.encode(), {"Content-Type": "application/x-www-form-urlencoded"})
        assert status == 302, status

    def request(self, method, path, body=None, headers=None):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=600)
        conn.request(method, path, body=body, headers={**(headers or {}), "Cookie": self.cookie})
        response = conn.getresponse()
        data = response.read()
        for name, value in response.getheaders():
            if name.lower() == "set-cookie" and value.startswith("central_session="):
                self.cookie = value.split(";", 1)[0]
        conn.close()
        return response.status, data

    def get(self, path):
        return self.request("GET", path)


def time_pages(browser: Browser, pages: list[str], repeat: int) -> dict:
    """p50 and p95 of each page over `repeat` requests (after one warm-up)."""
    found = {}
    for page in pages:
        status, body = browser.get(page)
        assert status == 200, (page, status)
        times = []
        for _ in range(repeat):
            began = time.perf_counter()
            status, body = browser.get(page)
            times.append(time.perf_counter() - began)
        times.sort()
        found[page] = {"p50_ms": round(statistics.median(times) * 1000, 1),
                       "p95_ms": round(times[max(0, int(len(times) * 0.95) - 1)] * 1000, 1), "bytes": len(body)}
    return found


def run_engine(engine: str, args, work: Path, pg=None) -> dict:
    """One engine's whole run."""
    from sync.central.store import Store
    from tests.helpers import free_port, wait_for_http
    from werkzeug.security import generate_password_hash

    folder = work / engine
    url_db = pg.create_database() if pg else None
    store = Store(folder, url_db)
    hubs = [f"hub-{n:05d}" for n in range(args.hubs)]
    secrets = {hub_id: f"secret-{hub_id}-{'x' * 20}" for hub_id in hubs}
    last = dt.date(2026, 11, 30)
    mondays = [last - dt.timedelta(weeks=w) for w in range(args.weeks - 1, 0, -1)]
    log(f"{engine}: registering {len(hubs):,} hubs")
    with store.db.tx():
        for n, hub_id in enumerate(hubs):
            store.add_hub(hub_id, secrets[hub_id], "2025-12-01T00:00:00Z", name=f"Hub {n}",
                          region=REGIONS[n % len(REGIONS)], partner=PARTNERS[n % len(PARTNERS)])
    store.set_user("ministry", generate_password_hash(PASSWORD), "2026-01-01T00:00:00Z")
    store.set_user("publisher", generate_password_hash(PASSWORD), "2026-01-01T00:00:00Z", partner=PARTNERS[2])
    log(f"{engine}: bulk-loading {len(mondays)} weeks")
    places = {hub_id: (REGIONS[n % len(REGIONS)], PARTNERS[n % len(PARTNERS)]) for n, hub_id in enumerate(hubs)}
    loaded = bulk_load(store, hubs, places, mondays, random.Random(16))
    store.close()
    log(f"{engine}: loaded {loaded}")
    port = free_port()
    env = dict(os.environ, HUB_CENTRAL_DATA_DIR=str(folder), HUB_CENTRAL_DATABASE_URL=url_db or "")
    proc = subprocess.Popen([sys.executable, "-m", "sync.central.cli", "serve", "--port", str(port),
                             "--threads", str(args.clients)], cwd=args.server_tree or ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        wait_for_http(f"http://127.0.0.1:{port}/healthz", 30, proc)
        log(f"{engine}: pushing the last week over HTTP with {args.clients} clients")
        readings = [cpu_by_process([proc.pid]), cpu_by_process(postgres_pids()), cpu_by_process([os.getpid()])]
        ingest = push_week(f"http://127.0.0.1:{port}", hubs, secrets, last, args.clients)
        # Who used the two cores: the central, PostgreSQL, and this load generator (the hubs).
        afters = [cpu_by_process([proc.pid]), cpu_by_process(postgres_pids()), cpu_by_process([os.getpid()])]
        ingest["cpu_ms_per_report"] = {name: round(cpu_used(b, a) * 1000 / ingest["reports"], 2) for name, b, a in
                                       zip(("central", "postgresql", "load_generator"), readings, afters)}
        log(f"{engine}: ingest {ingest}")
        if args.ingest_only:
            return {"engine": engine, "hubs": args.hubs, "weeks": args.weeks, "loaded": loaded, "ingest": ingest,
                    "server_tree": args.server_tree or str(ROOT)}
        admin, scoped = Browser(port, "ministry"), Browser(port, "publisher")
        region = REGIONS[0].replace(" ", "+")
        pages = ["/?weeks=52", f"/?weeks=52&region={region}", "/metric/learning_minutes?by=region&weeks=52",
                 "/metric/learning_minutes?period=month&weeks=52", "/metric/active_learners?by=pack&weeks=52",
                 "/metric/checkins?weeks=52", f"/metric/learning_minutes?by=hub&weeks=12&region={region}",
                 f"/hubs?region={region}", "/hubs"]
        timings = {"admin": time_pages(admin, pages, args.repeat),
                   "scoped": time_pages(scoped, pages[:1] + pages[2:6], args.repeat)}
        exports = {}
        for name, path in (("csv_region_year", f"/export.csv?region={region}"),
                           ("json_one_hub_year", "/export.json?hub=hub-00001"),
                           ("csv_all_last_week", "/export.csv?since=2026-11-30")):
            began = time.perf_counter()
            status, body = admin.get(path)
            exports[name] = {"seconds": round(time.perf_counter() - began, 2), "bytes": len(body),
                             "rows": body.count(b"\n") - 1 if path.startswith("/export.csv") else len(json.loads(body))}
        log(f"{engine}: exports {exports}")
    finally:
        proc.terminate()
        proc.wait(30)
    return {"engine": engine, "hubs": args.hubs, "weeks": args.weeks, "loaded": loaded, "ingest": ingest,
            "pages": timings, "exports": exports}


def write_doc(results: list[dict], command: str) -> None:
    """Replace the "Central for a program" section of docs/performance.md."""
    path = ROOT / "docs" / "performance.md"
    text = path.read_text(encoding="utf-8")
    begin, end = "<!-- central-program:begin -->", "<!-- central-program:end -->"
    lines = [begin, "## Central for a program: SQLite and PostgreSQL", "", "    " + command, "",
             f"Measured {time.strftime('%Y-%m-%d')} on this 2-core machine (shared), the central and its "
             "database on the same machine. Budgets: ingest >= 200 reports/s on PostgreSQL with 8 clients; "
             "every dashboard page p95 < 300 ms with the year loaded.", "",
             "| | " + " | ".join(r["engine"] for r in results) + " |", "|---|" + "---|" * len(results)]
    def cell(get):
        return " | ".join(str(get(r)) for r in results)

    def fleet(r):
        return f"{r['hubs']:,} hubs x {r['weeks']} weeks"

    def ingest_latency(r):
        return f"{r['ingest']['p50_ms']} / {r['ingest']['p95_ms']}"

    lines.append(f"| fleet | {cell(fleet)} |")
    lines.append(f"| rows loaded (bulk) | {cell(lambda r: format(r['loaded']['rows'], ','))} |")

    def load_time(r):
        rows_s = r["loaded"]["rows_seconds"]
        return f"{r['loaded']['seconds']} ({rows_s} / {round(r['loaded']['seconds'] - rows_s, 1)})"

    lines.append(f"| bulk load of {results[0]['weeks'] - 1} weeks, s (rows / indexes, week sums, ANALYZE) "
                 f"| {cell(load_time)} |")
    lines.append(f"| ingest over HTTP, reports/s | {cell(lambda r: r['ingest']['reports_per_s'])} |")
    lines.append(f"| ingest latency p50 / p95 ms | {cell(ingest_latency)} |")
    for who in ("admin", "scoped"):
        for page in results[0]["pages"][who]:
            lines.append(f"| {who} `{page}` p95 ms | {cell(lambda r: r['pages'][who][page]['p95_ms'])} |")
    for name in results[0]["exports"]:
        def export(r, name=name):
            return f"{r['exports'][name]['seconds']} ({r['exports'][name]['rows']:,})"
        lines.append(f"| export {name}, s (rows) | {cell(export)} |")
    lines += ["", end]
    block = "\n".join(lines)
    if begin in text:
        text = text[:text.index(begin)] + block + text[text.index(end) + len(end):]
    else:
        text = text.rstrip("\n") + "\n\n" + block + "\n"
    path.write_text(text, encoding="utf-8")


def main(argv=None) -> None:
    """Command line: --hubs, --weeks, --clients, --repeat, --engines, --doc."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hubs", type=int, default=10_000)
    parser.add_argument("--weeks", type=int, default=52)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--repeat", type=int, default=20, help="requests per page for p50/p95")
    parser.add_argument("--engines", default="sqlite,postgresql")
    parser.add_argument("--doc", action="store_true", help="write the section of docs/performance.md")
    parser.add_argument("--json", help="also write the results to this file")
    parser.add_argument("--server-tree", help="run the central from this source tree (an A/B of the receiver: "
                        "`git archive OLD | tar -x -C DIR`)")
    parser.add_argument("--ingest-only", action="store_true", help="stop after the ingest (no pages, no exports)")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    from tests.pgserver import NO_SERVER, PostgresServer, find_binaries

    results, pg = [], None
    with tempfile.TemporaryDirectory(prefix="central-bench-") as folder:
        try:
            for engine in args.engines.split(","):
                if engine == "postgresql" and pg is None:
                    binaries = find_binaries()
                    if binaries is None:
                        log(f"skipping PostgreSQL: {NO_SERVER}")
                        continue
                    pg = PostgresServer(binaries, durable=True).start()
                results.append(run_engine(engine, args, Path(folder), pg if engine == "postgresql" else None))
        finally:
            if pg is not None:
                pg.stop()
    print(json.dumps(results, indent=1))
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=1))
    if args.doc and results:
        write_doc(results, ".venv/bin/python -m benchmarks.central_program "
                  + " ".join(argv if argv is not None else sys.argv[1:]))


if __name__ == "__main__":
    main()
