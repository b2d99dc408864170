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
import threading
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


# Today's totals per (data folder, day, zone, k), worked out once: a month of a busy hub's
# events takes a minute of week cells, so the background (sync.scheduler) works them out at
# start and with each new day, and a visitor who comes first waits for that one computation
# instead of starting another (ten visitors used to start ten).
_kept: dict[tuple, dict] = {}
_computing: dict[tuple, threading.Lock] = {}
_kept_lock = threading.Lock()


def kept_month_totals(db: Database, data_dir, *, today: dt.date, tz: str, k: int) -> dict:
    """month_totals for today, worked out once per (data folder, day, zone, k) in this process."""
    key = (str(data_dir), today, tz, k)
    with _kept_lock:
        found = _kept.get(key)
        if found is not None:
            return found
        lock = _computing.setdefault(key, threading.Lock())
    with lock:  # one computation per key; the others wait for it
        with _kept_lock:
            found = _kept.get(key)
        if found is None:
            found = month_totals(db, today=today, tz=tz, k=k)
            with _kept_lock:
                for old in [c for c in _kept if c[1] != today]:
                    del _kept[old]
                _kept[key] = found
                _computing.pop(key, None)
    return found
