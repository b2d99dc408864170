"""The teacher's console on a year of a busy hub (1 million events): p95 under load.

    .venv/bin/python -m benchmarks.dashboard --work /tmp/dash [--events 1000000] [--code DIR ...]

Generates a year of events (benchmarks.rollup.generate) ending yesterday, rolls them up once
(as the scheduler would have), gives the learners profiles, classes, progress and lessons
(benchmarks.console_data), starts `hub serve`, signs a facilitator in and drives the pages a
teacher opens daily (the dashboard, the learners list, a class at a glance, the lessons list
and a lesson) and the public /community page with wrk at 1 and 10 connections, while a
background writer adds a batch of events every second (a busy hub: each GET then finds new
events). Each `--code DIR` (an exported older tree for before/after) gets its own server on the
same data, and the runs alternate between them. The data dir is kept in --work.
"""
from __future__ import annotations

import argparse
import datetime as dt
import http.cookiejar
import json
import re
import sys
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

from benchmarks.console_data import add_console_data
from benchmarks.harness import ROOT, hub_server
from benchmarks.load import run_load

PASSWORD = "bench password 123"


def prepare(folder: Path, events: int) -> tuple[int, dict]:
    """A year of events ending yesterday, rolled up once, a facilitator and the classes."""
    from benchmarks.rollup import generate
    from hub.accounts import facilitators
    from hub.core.db import open_hub_db
    from sync import metrics

    folder.mkdir(parents=True, exist_ok=True)
    db = open_hub_db(folder)
    try:
        if db.execute("SELECT count(*) FROM events").fetchone()[0] == 0:
            first = dt.date.today() - dt.timedelta(days=365)
            generate(db, first, 365, max(1, events // 365))
            facilitators.create(db, "bench", PASSWORD, "admin")
        ids = add_console_data(db)
        metrics.refresh(db, "UTC")
        return db.execute("SELECT count(*) FROM events").fetchone()[0], ids
    finally:
        db.conn.close()


def sign_in(base: str) -> str:
    """Sign the benchmark facilitator in through the real form; return the Cookie header."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(base + "/facilitator/login", timeout=10).read().decode()
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    form = urllib.parse.urlencode({"username": "bench", "password": PASSWORD, "csrf_token": token}).encode()
    opener.open(base + "/facilitator/login", data=form, timeout=10).read()
    return "; ".join(f"{c.name}={c.value}" for c in jar)


def busy_writer(folder: Path, stop: threading.Event) -> None:
    """Twenty events a second from learners, as the API would write them, until stopped."""
    import uuid

    from hub.core.db import open_hub_db

    db = open_hub_db(folder)
    try:
        while not stop.wait(1.0):
            stamp = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
            rows = [(str(uuid.uuid4()), f"L{n:08x}", 0, "org.bench.pack000", "r000", "progressed", 0.5,
                     None, 30, stamp, stamp, None, "{}") for n in range(20)]
            with db.atomic():
                db.conn.executemany(
                    "INSERT INTO events (id, actor, anonymous, pack_id, resource_id, verb, progress, score, "
                    "duration_s, client_ts, received_at, clock_skew_s, data) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
    finally:
        db.conn.close()


def pages(ids: dict) -> dict[str, tuple[str, bool]]:
    """name -> (path, signed in) of the pages measured."""
    # The class at a glance last: at seconds a view, its queued requests would delay the next page.
    return {"dashboard": ("/facilitator/", True),
            "learners": ("/facilitator/learners", True),
            "lessons": ("/facilitator/lessons", True),
            "lesson": (f"/facilitator/lessons/{ids['first_lesson']}", True),
            "community": ("/community", False),
            "class at a glance": (f"/facilitator/groups/{ids['first_group']}/glance", True)}


def measure(folder: Path, codes: list[Path], duration: float, ids: dict,
            only: list[str] | None = None) -> dict:
    """p50/p95/p99 of each page per code at 1 and 10 connections, with events arriving."""
    servers = []
    for code in codes:
        server = hub_server(folder)
        server.cwd = code  # `python -m hub` imports the tree it runs in
        servers.append(server)
    stop = threading.Event()
    writer = threading.Thread(target=busy_writer, args=(folder, stop), daemon=True)
    results: dict = {str(code): {} for code in codes}
    try:
        for server in servers:
            server.start(timeout=120)
        cookies = [sign_in(server.url) for server in servers]
        measured = {name: found for name, found in pages(ids).items() if not only or name in only}
        for server, cookie in zip(servers, cookies):  # a hub that has been up: each page seen once
            for path, signed_in in measured.values():
                request = urllib.request.Request(server.url + path,
                                                 headers={"Cookie": cookie} if signed_in else {})
                urllib.request.urlopen(request, timeout=900).read()
        writer.start()
        for name, (path, signed_in) in measured.items():
            for connections in (1, 10):
                for code, server, cookie in zip(codes, servers, cookies):  # alternate
                    headers = {"Cookie": cookie} if signed_in else {}
                    run = run_load(server.url, path, connections, duration, headers=headers).as_dict()
                    results[str(code)][f"{name} c{connections}"] = {
                        k: run[k] for k in ("requests", "errors", "rps", "p50_ms", "p95_ms", "p99_ms")}
        return results
    finally:
        stop.set()
        for server in servers:
            server.stop()


def main(argv=None) -> None:
    """Command line: --work, --events, --duration, --code (repeatable), --page (repeatable)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--work", type=Path, required=True)
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--duration", type=float, default=10)
    parser.add_argument("--code", type=Path, action="append", help="a tree to serve (repeatable)")
    parser.add_argument("--page", action="append", help="measure only this page (repeatable)")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    events, ids = prepare(args.work, args.events)
    prepared = round(time.perf_counter() - started, 1)
    codes = [c.resolve() for c in (args.code or [ROOT])]
    print(json.dumps({"events": events, "prepare_s": prepared,
                      **measure(args.work, codes, args.duration, ids, args.page)}, indent=2))


if __name__ == "__main__":
    main(sys.argv[1:])
