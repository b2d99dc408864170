"""The public community page: the last closed month's totals, suppressed like a report.

No Flask. The page shows the last whole calendar month, never the month so far: two pages of
a month in progress, a day apart, would differ by one day, and that can be one child's day.
The month's cells come from the same code that counts a report's week (sync.week_cells,
over the month's instants in the hub's time zone) and go through the same suppression
(sync.suppression) with the hub's k: a total about fewer than k learners is hidden (None),
and a month with fewer than k learners shows nothing. Check-ins are shown as one total,
only when they come from at least k learners.
"""
from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from sqlite_utils import Database

from hub.core import clock
from sync import suppression, week_cells

SHOWN = ("active_learners", "learning_minutes", "resources_completed", "exercise_attempts", "checkins")


def last_closed_month(today: dt.date) -> tuple[dt.date, dt.date]:
    """(first, last) day of the calendar month before `today`'s."""
    last = today.replace(day=1) - dt.timedelta(days=1)
    return last.replace(day=1), last


def _instant(day: dt.date, tz: str) -> str:
    moment = dt.datetime.combine(day, dt.time(), ZoneInfo(tz)).astimezone(dt.timezone.utc)
    return moment.strftime("%Y-%m-%dT%H:%M:%S")


def month_totals(db: Database, *, today: dt.date | None = None, tz: str | None = None,
                 k: int = 5) -> dict:
    """{name: value or None (hidden)} for SHOWN, over the last closed month."""
    tz = tz or clock.hub_timezone(db)
    today = today or clock.local_today(tz)
    first, last = last_closed_month(today)
    cat = week_cells.catalog(db)
    cells = week_cells.compute(db, _instant(first, tz), _instant(last + dt.timedelta(days=1), tz), cat)
    everyone = set().union(*(c.actors for c in cells.values())) if cells else set()
    rows = suppression.publish(suppression.facts(cells), k, cat.grid(), week_cells.learners_of(everyone))
    totals = {row["name"]: row["value"] for row in rows if not row["dims"]}
    moods = [cell for (name, _dims), cell in cells.items() if name == "checkins"]
    checked = set().union(*(c.actors for c in moods)) if moods else set()
    totals["checkins"] = (int(sum(c.value for c in moods))
                          if week_cells.learners_of(checked) >= k and totals.get("active_learners") is not None
                          else None)
    return {name: totals.get(name) for name in SHOWN}
