"""Power cuts (SIGKILL) in the middle of a rollup and of a sync push, on the real processes.

(Event ingest under SIGKILL: tests/learning/test_events_durability.py; pack install: the packs tests.)
"""
from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys

import pytest

from hub.core.db import open_hub_db
from sync import metrics
from tests.centralproc import CentralProcess, add_hub
from tests.eventfactory import EventFactory, at, closed_week_day
from tests.faultproxy import FaultProxy, wait_until
from tests.helpers import ROOT, HubProcess, hub_env

FIRST_DAY = dt.date(2024, 1, 1)


def integrity(path) -> str:
    """PRAGMA integrity_check of a database file, read-only."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return conn.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        conn.close()


def query(path, sql, params=()):
    """Rows of a read-only query on a database another process is using."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=10)
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


def aggregates(path):
    return query(path, "SELECT day, name, dims, value, learners FROM metrics_daily ORDER BY day, name, dims")


@pytest.mark.slow
def test_a_rollup_killed_midway_gives_the_same_rows_when_run_again(tmp_path):
    sys.path.insert(0, str(ROOT))
    from benchmarks.rollup import generate

    killed_dir, whole_dir = tmp_path / "killed", tmp_path / "whole"
    killed_dir.mkdir()
    db = open_hub_db(killed_dir)
    events = generate(db, FIRST_DAY, days=20, per_day=1500)
    db.conn.close()
    shutil.copytree(killed_dir, whole_dir)

    # The reference: one uninterrupted rollup of the same events.
    db = open_hub_db(whole_dir)
    metrics.rollup_pending(db, "UTC")
    db.conn.close()
    expected = aggregates(whole_dir / "hub.db")
    assert len({row[0] for row in expected}) >= 20

    env = hub_env(killed_dir)
    command = [sys.executable, "-m", "hub", "metrics", "rollup"]
    proc = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    path = killed_dir / "hub.db"
    try:
        wait_until(lambda: proc.poll() is not None or len(
            query(path, "SELECT DISTINCT day FROM metrics_daily")) >= 3, 60, "three days rolled up")
        assert proc.poll() is None, "the rollup ended before it could be killed"
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.wait(30)
        proc.stderr.close()
    assert proc.returncode == -signal.SIGKILL
    assert integrity(path) == "ok"
    left = query(path, "SELECT count(*) FROM metrics_dirty")[0][0]
    assert left > 0, "the kill came after the rollup had finished"
    assert aggregates(path) != expected  # really interrupted

    again = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert again.returncode == 0, again.stderr
    assert integrity(path) == "ok"
    assert query(path, "SELECT count(*) FROM metrics_dirty")[0][0] == 0
    assert aggregates(path) == expected
    assert query(path, "SELECT count(*) FROM events")[0][0] == events


def seed_days(data_dir, days: int) -> None:
    """Six or more learners complete a resource in each of `days` closed weeks: one report a week."""
    db = open_hub_db(data_dir)
    ev = EventFactory(db)
    ev.resource("p.num", "count", kind="exercise", language="en")
    for n in range(days):
        day = closed_week_day(days - n)
        ev.many([f"L{i}" for i in range(6 + n)], "completed", "p.num/count", at=at(day, 10), duration=600)
    db.conn.close()


def central_counts(central_dir) -> dict:
    """report_id -> (revision, metric rows stored for it) at the central."""
    path = central_dir / "central.db"
    rows = query(path, "SELECT r.report_id, r.revision, (SELECT count(*) FROM metric_rows m "
                       "WHERE m.hub_id = r.hub_id AND m.report_id = r.report_id) FROM reports r")
    return {report_id: (revision, count) for report_id, revision, count in rows}


def hub_reports(data_dir) -> dict:
    """report_id -> (revision, metric count, the central's answer) in the hub's outbox."""
    rows = query(data_dir / "hub.db", "SELECT report_id, revision, body, answer FROM sync_outbox")
    return {rid: (rev, len(json.loads(bytes(body))["metrics"]), answer) for rid, rev, body, answer in rows}


@pytest.mark.slow
def test_a_hub_killed_during_a_push_sends_every_report_exactly_once(tmp_path):
    days = 5
    hub_dir = tmp_path / "hub"
    hub_dir.mkdir()
    seed_days(hub_dir, days)
    central = CentralProcess(tmp_path / "central")
    secret = add_hub(central.data_dir, "hub-k")
    with central:
        # The scheduler asks /healthz, then posts the reports oldest first: the first two
        # get their answer, the third is stored at the central but its answer is held back.
        proxy = FaultProxy(central.url, plan=["ok", "ok", "ok", "hold_response"], default="drop").start()
        hub = HubProcess(hub_dir, HUB_UPSTREAM_URL=proxy.url, HUB_ID="hub-k", HUB_SECRET=secret,
                         HUB_SYNC_INTERVAL=1).start()
        try:
            wait_until(lambda: len(central_counts(central.data_dir)) >= 3, 30, "three reports at the central")
            answered = [r for r in hub_reports(hub_dir).values() if r[2]]
            assert len(answered) == 2  # the third is stored upstream, not yet known to the hub
            hub.kill()
        finally:
            hub.stop()
            proxy.stop()
        assert integrity(hub_dir / "hub.db") == "ok"

        proxy = FaultProxy(central.url).start()
        restarted = HubProcess(hub_dir, HUB_UPSTREAM_URL=proxy.url, HUB_ID="hub-k", HUB_SECRET=secret,
                               HUB_SYNC_INTERVAL=1).start()
        try:
            wait_until(lambda: all(r[2] for r in hub_reports(hub_dir).values()), 30, "every report answered")
        finally:
            assert restarted.stop() == 0
            proxy.stop()
    sent = hub_reports(hub_dir)
    stored = central_counts(central.data_dir)
    assert len(sent) >= days and set(stored) == set(sent)
    # Exactly once: one revision each, and its metric rows stored once, not twice.
    assert {rid: (rev, count) for rid, (rev, count, _answer) in sent.items()} == stored
    answers = sorted(answer for _rev, _count, answer in sent.values())
    assert answers == ["duplicate"] + ["stored"] * (len(sent) - 1)
    assert integrity(hub_dir / "hub.db") == "ok" and integrity(central.data_dir / "central.db") == "ok"
