"""Reports and heartbeats as hubs send them, for the central's tests."""
from __future__ import annotations

import datetime as dt
import json

from sync import client


def week_id(monday: str) -> str:
    """The report id a hub gives the week starting on `monday` (week-YYYY-Www)."""
    year, number, _ = dt.date.fromisoformat(monday).isocalendar()
    return f"week-{year}-W{number:02d}"


def week_report(hub_id="hub-a", monday="2026-11-30", revision=1, learners=12, minutes=340, hidden_pack=True):
    """A weekly hub-report/1 with totals, a pack breakdown (one cell suppressed) and moods."""
    sunday = (dt.date.fromisoformat(monday) + dt.timedelta(days=6)).isoformat()
    metrics = [
        {"name": "active_learners", "value": learners, "suppressed": False, "dims": {}},
        {"name": "active_learners", "value": learners, "suppressed": False, "dims": {"pack": "org.example.numbers"}},
        {"name": "learning_minutes", "value": minutes, "suppressed": False, "dims": {}},
        {"name": "learning_minutes", "value": minutes, "suppressed": False, "dims": {"kind": "video"}},
        {"name": "resources_completed", "value": 9, "suppressed": False, "dims": {}},
        {"name": "returning_learners", "value": None, "suppressed": True, "dims": {}},
        {"name": "checkins", "value": 6, "suppressed": False, "dims": {"mood": 4}},
        {"name": "checkins", "value": None, "suppressed": True, "dims": {"mood": 2}},
    ]
    if hidden_pack:
        metrics.append({"name": "active_learners", "value": None, "suppressed": True, "dims": {"pack": "org.example.words"}})
    return {"schema": "hub-report/1", "hub_id": hub_id, "report_id": week_id(monday), "revision": revision,
            "period": {"start": monday, "end": sunday, "kind": "week"}, "generated_at": f"{sunday}T23:00:00Z",
            "k_threshold": 5, "metrics": metrics}


def heartbeat(hub_id="hub-a", sent_at="2026-12-07T08:00:00Z", disk_free_mb=4200, version="1.4.0"):
    """A hub-heartbeat/1."""
    return {"schema": "hub-heartbeat/1", "hub_id": hub_id, "sent_at": sent_at, "version": version,
            "packs": [{"id": "org.example.numbers", "version": "1.2.0"}], "disk_free_mb": disk_free_mb,
            "last_event_day": "2026-12-06"}


def signed(secret: str, data: dict) -> tuple[bytes, str]:
    """(body, X-Hub-Signature) as a hub sends it."""
    body = json.dumps(data).encode()
    return body, client.sign(secret, body)


def sums_match_rows(store) -> None:
    """The week sums as pages read them (kept sums and changes not yet folded) are exactly what the
    stored rows add up to; after a fold the kept sums alone are, and no change is left."""
    from sync.central import week_sums

    added = sorted(map(tuple, store.db.execute(week_sums.BACKFILL[week_sums.BACKFILL.index("SELECT"):])))
    current = store.db.execute(f"SELECT {week_sums.KEY}, sum(total), sum(shown), sum(hidden) FROM "
                               f"{week_sums.CURRENT} s GROUP BY {week_sums.KEY} "
                               "HAVING sum(total) <> 0 OR sum(shown) <> 0 OR sum(hidden) <> 0")
    assert sorted(map(tuple, current)) == added
    store.fold_week_sums()
    kept = store.db.execute(f"SELECT {week_sums.COLUMNS} FROM week_sums WHERE total <> 0 OR shown <> 0 OR hidden <> 0")
    assert sorted(map(tuple, kept)) == added
    assert store.db.execute("SELECT count(*) FROM week_sum_changes") == [(0,)]
