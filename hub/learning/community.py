"""This month's totals for the public community page, suppressed by sync.privacy like a report.

No Flask. The month's cells are built from the same daily aggregates the reports use
(sync.metrics), with the number of distinct learners behind each over the whole month, and
then go through sync.privacy.suppress with the hub's k: a total about fewer than k learners
is hidden (None) exactly as it would be in an upstream report. Check-ins exist only by mood
(as in a report); their total is shown only when no mood cell is hidden, so a hidden cell can
never be worked out as the total minus the shown ones.
"""
from __future__ import annotations

import datetime as dt

from sqlite_utils import Database

from hub.core import clock
from sync import metrics, privacy
from sync.aggregate import period_bounds, range_where

SHOWN = ("active_learners", "learning_minutes", "resources_completed", "exercise_attempts", "checkins")
# Which events a cell's learners come from (the same rules as sync.aggregate.compute_day).
_ACTORS = {
    "active_learners": "e.anonymous = 0",
    "learning_minutes": "e.verb IN ('started', 'progressed', 'completed', 'answered')",
    "resources_completed": "e.verb = 'completed'",
    "exercise_attempts": "e.verb = 'answered'",
}


def month_cells(db: Database, today: dt.date, tz: str) -> list[dict]:
    """Unsuppressed cells {name, dims, value, learners} for the month up to `today`."""
    first = today.replace(day=1)
    metrics.rollup_pending(db, tz, until=today)
    bounds = period_bounds(first, today, tz)
    sums: dict[str, float] = {}
    for row in metrics.daily_rows(db, first, today):
        if not row["dims"]:
            sums[row["name"]] = sums.get(row["name"], 0) + row["value"]
    cells = []
    for name, where in _ACTORS.items():
        learners = db.execute(f"SELECT count(DISTINCT e.actor) FROM events e WHERE {range_where('e')} "
                              f"AND {where}", bounds).fetchone()[0]
        value = learners if name == "active_learners" else sums.get(name, 0)
        cells.append({"name": name, "dims": {}, "value": value, "learners": learners})
    moods = db.execute(f"SELECT json_extract(e.data, '$.mood'), count(*), count(DISTINCT e.actor) FROM events e "
                       f"WHERE e.verb = 'checked_in' AND {range_where('e')} "
                       f"AND json_extract(e.data, '$.mood') IS NOT NULL GROUP BY 1", bounds)
    cells += [{"name": "checkins", "dims": {"mood": int(mood)}, "value": count, "learners": learners}
              for mood, count, learners in moods]
    return cells


def month_totals(db: Database, *, today: dt.date | None = None, tz: str | None = None,
                 k: int = 5) -> dict:
    """{name: value or None (hidden)} for SHOWN, this month, suppressed as reports are."""
    tz = tz or clock.hub_timezone(db)
    today = today or clock.local_today(tz)
    rows = privacy.suppress(month_cells(db, today, tz), k)
    totals = {row["name"]: row["value"] for row in rows if not row["dims"]}
    moods = [row for row in rows if row["name"] == "checkins"]
    totals["checkins"] = (sum(row["value"] for row in moods)
                          if moods and not any(row["suppressed"] for row in moods) else None)
    return {name: totals.get(name) for name in SHOWN}
