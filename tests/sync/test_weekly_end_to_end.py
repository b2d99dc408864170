"""Across the seams, on the sync side: a hub with a ZIM pack, a bundled-style pack and exercises;
learners online, learners whose phone kept a week's events and sent them late; reports built as
time moves through the one clock, pushed over HTTP to a real `hub-central serve`. The central's
weekly rows equal an oracle computed from the test's own list of what happened.
"""
from __future__ import annotations

import datetime as dt
import json

import pytest

from hub.core.db import open_hub_db
from sync import outbox, report, upstream
from tests.centralproc import CentralProcess, add_hub, central_cli
from tests.eventfactory import EventFactory, at

MONDAY = dt.date(2024, 5, 6)           # week-2024-W19
LATE = "2024-05-15T09:00:00Z"          # the offline phones come back in the next week
FIRST_PUSH = dt.datetime(2024, 5, 13, 9, tzinfo=dt.timezone.utc)
SECOND_PUSH = dt.datetime(2024, 5, 15, 12, tzinfo=dt.timezone.utc)

# (learner, verb, resource, day of the week, minutes, score, arrives late)
HAPPENED = (
    [(f"Lon{n}", "started", "org.wiki/A/Water", n % 5, 6, None, False) for n in range(7)]
    + [(f"Lon{n}", "completed", "org.num/read-1", 1, 10, None, False) for n in range(7)]
    + [(f"Lon{n}", "answered", "org.num/quiz", 2, 0, 1 if n < 5 else 0, False) for n in range(7)]
    + [(f"Loff{n}", "started", "org.num/read-1", 3, 12, None, True) for n in range(5)]
    + [(f"Loff{n}", "answered", "org.num/quiz", 4, 0, 1, True) for n in range(5)]
)


def _oracle(events) -> dict:
    """The week's totals, computed from the list alone."""
    learners = {e[0] for e in events}
    pairs = {(e[0], e[2]) for e in events}
    answers = [e for e in events if e[1] == "answered"]
    return {"active_learners": len(learners),
            "learning_minutes": sum(e[4] for e in events),
            "resources_started": len(pairs),
            "resources_completed": len({(e[0], e[2]) for e in events if e[1] == "completed"}),
            "exercise_attempts": len(answers),
            "exercise_correct": sum(1 for e in answers if e[5] == 1)}


def _central_totals(central_dir, oracle: dict) -> dict:
    done = central_cli(central_dir, "export", "--json")
    assert done.returncode == 0, done.stderr
    rows = [r for r in json.loads(done.stdout) if r["period_start"] == MONDAY.isoformat() and not r["dims"]]
    assert {r["period_kind"] for r in rows} == {"week"} and rows[0]["period_end"] == "2024-05-12"
    return {r["metric"]: r["value"] for r in rows if r["metric"] in oracle} | {"revision": rows[0]["revision"]}


@pytest.mark.slow
def test_the_centrals_weekly_rows_equal_what_happened(tmp_path, clock_at):
    central = CentralProcess(tmp_path / "central")
    secret = add_hub(central.data_dir, "hub-e2e")
    hub_dir = tmp_path / "hub"
    hub_dir.mkdir()
    conf = {"HUB_DATA_DIR": str(hub_dir), "HUB_K_THRESHOLD": 5, "HUB_TIMEZONE": "UTC", "HUB_SYNC_INTERVAL": 1}
    db = open_hub_db(hub_dir)
    ev = EventFactory(db)
    ev.resource("org.wiki", "A/Water", kind="zim", language="en")     # a Kiwix article
    ev.resource("org.num", "read-1", kind="article", language="en")
    ev.resource("org.num", "quiz", kind="exercise", language="en")

    def happen(events):
        for learner, verb, resource, day, minutes, score, late in events:
            when = at((MONDAY + dt.timedelta(days=day)).isoformat(), 10)
            ev.add(learner, verb, resource, at=when, duration=minutes * 60, score=score,
                   received=LATE if late else when)

    online = [e for e in HAPPENED if not e[6]]
    happen(online)
    with central:
        upstream.register(conf, central.url, "hub-e2e", secret)
        clock_at(FIRST_PUSH)
        assert report.push_now(db, conf).ok
        assert _central_totals(central.data_dir, _oracle(online)) == _oracle(online) | {"revision": 1}
        clock_at(SECOND_PUSH)  # five phones bring last week's events: a revision, about >= k learners
        happen([e for e in HAPPENED if e[6]])
        assert report.push_now(db, conf).ok
        assert _central_totals(central.data_dir, _oracle(HAPPENED)) == _oracle(HAPPENED) | {"revision": 2}
        assert not outbox.pending(db)
    kinds = [r for r in json.loads(central_cli(central.data_dir, "export", "--json",
                                               "--metric", "resources_started").stdout)
             if "kind" in r["dims"] and r["value"]]
    assert {r["dims"]["kind"]: r["value"] for r in kinds} == {"other": 7, "article": 12, "exercise": 12}
    db.conn.close()
