"""Daily aggregates: incremental, idempotent rollup of events, and the hub's dashboard figures.

No Flask. metrics_daily keeps unsuppressed local figures; sync.privacy suppresses them only
when a report is built, so the facilitator dashboard and the reports come from the same rows.
"""
from __future__ import annotations

import datetime as dt
import json
from zoneinfo import ZoneInfo

from sqlite_utils import Database

from hub.core.clock import hub_timezone, local_today  # noqa: F401 - the hub's one clock
from sync import state
from sync.aggregate import RESOURCE_USERS, compute_day, dims_key, period_bounds, range_where

# The hub clock may be set back: look this far behind the watermark for late receipts.
CLOCK_SLACK = dt.timedelta(days=1)
SETTLE = dt.timedelta(seconds=30)
EVENT_DAY_SQL = "CASE WHEN clock_skew_s IS NULL THEN client_ts ELSE received_at END"


def _days_of_hour(hour_prefix: str, zone: ZoneInfo) -> set[dt.date]:
    # An hour "YYYY-MM-DDTHH" in UTC touches one or two local days (half-hour zones).
    start = dt.datetime.fromisoformat(hour_prefix + ":00:00+00:00")
    return {start.astimezone(zone).date(), (start + dt.timedelta(minutes=59, seconds=59)).astimezone(zone).date()}


def _first_look_hours(db: Database) -> list[tuple[str]]:
    # Everything is new: every day from the first event to the last, found through the
    # indexes' ends instead of a scan of every event (a year is 10 million rows).
    ends = db.execute("SELECT min(client_ts), max(client_ts) FROM events WHERE clock_skew_s IS NULL").fetchone()
    skewed = db.execute("SELECT min(received_at), max(received_at) FROM events "
                        "WHERE clock_skew_s IS NOT NULL").fetchone()
    stamps = [s for s in (*ends, *skewed) if s]
    if not stamps:
        return []
    first = dt.datetime.fromisoformat(min(stamps)[:13] + ":00:00+00:00")
    last = dt.datetime.fromisoformat(max(stamps)[:13] + ":00:00+00:00")
    hours, step = [], first
    while step <= last:
        hours.append((step.strftime("%Y-%m-%dT%H"),))
        step += dt.timedelta(hours=12)  # each local day still gets hit at least once
    hours.append((last.strftime("%Y-%m-%dT%H"),))
    return hours


def mark_dirty(db: Database, tz: str) -> int:
    """Note every day touched by events received since the last look; return how many days."""
    zone = ZoneInfo(tz)
    with state.writing(db):  # reads the watermark, then moves it: one step for every process
        if state.get(db, "rollup_tz") != tz:  # a new time zone moves every day boundary
            db.execute("DELETE FROM metrics_daily")
            state.put(db, "rollup_tz", tz)
            state.put(db, "rollup_watermark", "")
        watermark = state.get(db, "rollup_watermark", "")
        newest = db.execute("SELECT max(received_at) FROM events").fetchone()[0]
        if newest is None:
            return 0
        now = state.utc_now()
        since, op = watermark, ">"
        if watermark and state.iso(now) < watermark:
            # The clock was set back: new receipts sort before the watermark; look behind it.
            since, op = state.iso(now - CLOCK_SLACK), ">="
        if watermark:
            hours = db.execute(f"SELECT DISTINCT substr({EVENT_DAY_SQL}, 1, 13) FROM events "
                               f"WHERE received_at {op} ?", [since]).fetchall()
        else:
            hours = _first_look_hours(db)
        days: set[dt.date] = set()
        for (hour,) in hours:
            for day in _days_of_hour(hour, zone):
                # returning_learners of the next six days depends on this day too
                days.update(day + dt.timedelta(days=n) for n in range(7))
        db.conn.executemany("INSERT OR IGNORE INTO metrics_dirty (day) VALUES (?)",
                       [(d.isoformat(),) for d in days])
        # Not into the last seconds: an event stamped then may still be committing.
        settled = min(newest, state.iso(now - SETTLE))
        state.put(db, "rollup_watermark", max(settled, watermark))
    return len(days)


def rollup(db: Database, day: dt.date | str, tz: str | None = None) -> int:
    """Recompute one local day's aggregates from its events (idempotent); return the row count."""
    day = dt.date.fromisoformat(day) if isinstance(day, str) else day
    tz = tz or hub_timezone(db)
    rows = compute_day(db, day, tz)
    with db.atomic():
        db.execute("DELETE FROM metrics_daily WHERE day = ?", [day.isoformat()])
        db.conn.executemany("INSERT INTO metrics_daily (day, name, dims, value, learners) VALUES (?, ?, ?, ?, ?)",
                       [(day.isoformat(), name, dims_key(dims), value, learners)
                        for name, dims, value, learners in rows])
        db.execute("DELETE FROM metrics_dirty WHERE day = ?", [day.isoformat()])
        if state.get(db, "rollup_tz") is None:
            state.put(db, "rollup_tz", tz)
    return len(rows)


def rollup_pending(db: Database, tz: str, *, until: dt.date | None = None,
                   since: dt.date | None = None) -> list[dt.date]:
    """Roll up every day with new events (within since..until); return the days done."""
    mark_dirty(db, tz)
    until = until or local_today(tz)
    done = []
    for (text,) in db.execute("SELECT day FROM metrics_dirty ORDER BY day").fetchall():
        day = dt.date.fromisoformat(text)
        if day > until or (since and day < since):
            continue
        rollup(db, day, tz)
        done.append(day)
    return done


DASHBOARD_DAYS = 30


def period_learners(db: Database, first: dt.date, last: dt.date, tz: str) -> int:
    """Learners (not visitors) with any event in the local days first..last, each counted once."""
    return db.execute("SELECT count(DISTINCT e.actor) FROM events e WHERE e.anonymous = 0 AND "
                      + range_where("e"), period_bounds(first, last, tz)).fetchone()[0]


def refresh(db: Database, tz: str | None = None) -> list[dt.date]:
    """Roll up every pending day up to today, then work out the dashboard's figures and keep
    them with their time (the background's job, never a GET's: it takes the write lock and
    reads a month of aggregates); return the days done."""
    tz = tz or hub_timezone(db)
    started = state.utc_now()
    today = local_today(tz)
    done = rollup_pending(db, tz, until=today)
    board = dashboard(db, today=today, tz=tz)
    board["as_of"] = state.iso(started)
    with db.atomic():  # the figures and their time change together
        state.put(db, "dashboard", {"tz": tz, "figures": board})
        state.put(db, "rollup_at", board["as_of"])
    return done


def kept_dashboard(db: Database, tz: str) -> dict:
    """The dashboard as the background last worked it out (one read), with "as_of"; worked out
    now (reads only) when there is none for this time zone yet."""
    kept = state.get(db, "dashboard") or {}
    if kept.get("tz") == tz and kept.get("figures"):
        return kept["figures"]
    return dashboard(db, tz=tz)


def figures_as_of(db: Database) -> str | None:
    """When the figures were last brought up to date (a UTC instant), or None if never."""
    return state.get(db, "rollup_at")


def daily_rows(db: Database, first: dt.date, last: dt.date) -> list[dict]:
    """Stored aggregates of the days first..last: dicts with day, name, dims, value, learners."""
    cursor = db.execute("SELECT day, name, dims, value, learners FROM metrics_daily "
                        "WHERE day BETWEEN ? AND ? ORDER BY day, name, dims",
                        [first.isoformat(), last.isoformat()])
    return [{"day": d, "name": n, "dims": json.loads(k), "value": v, "learners": c}
            for d, n, k, v, c in cursor]


def days_with_data(db: Database, before: dt.date) -> list[dt.date]:
    """Rolled-up days earlier than `before` that had any activity."""
    cursor = db.execute("SELECT DISTINCT day FROM metrics_daily WHERE day < ? ORDER BY day",
                        [before.isoformat()])
    return [dt.date.fromisoformat(row[0]) for row in cursor]


def _number(value: float):
    return int(value) if float(value).is_integer() else round(value, 2)


def _titles(db: Database) -> tuple[dict, dict]:
    from hub.core.i18n import pick_text

    packs = {}
    for pack_id, title, languages in db.execute("SELECT id, title, languages FROM packs"):
        langs = json.loads(languages or "[]")
        packs[pack_id] = pick_text(json.loads(title or "{}"), langs[0] if langs else "en", langs)
    resources = {f"{p}/{r}": t for p, r, t in db.execute("SELECT pack_id, id, title FROM resources")}
    return packs, resources


def dashboard(db: Database, *, days: int = DASHBOARD_DAYS, today: dt.date | None = None,
              tz: str | None = None) -> dict:
    """The facilitator's figures for the last `days` days: local and UNSUPPRESSED.

    Read from the same daily aggregates the reports are built from, as the background last
    rolled them up; only reads. Pages show kept_dashboard: these figures as refresh kept them.
    """
    tz = tz or hub_timezone(db)
    today = today or local_today(tz)
    first = today - dt.timedelta(days=days - 1)
    per_day = {first + dt.timedelta(days=n): {"active_learners": 0, "learning_minutes": 0}
               for n in range(days)}
    sums: dict[tuple[str, str], float] = {}
    for row in daily_rows(db, first, today):
        day, name, dims = dt.date.fromisoformat(row["day"]), row["name"], row["dims"]
        if not dims and name in ("active_learners", "learning_minutes"):
            per_day[day][name] = _number(row["value"])
        key = (name, dims_key(dims))
        sums[key] = sums.get(key, 0) + row["value"]
    pack_titles, resource_titles = _titles(db)

    def ranked(name, dim, limit=None):
        found = [(json.loads(k)[dim], v) for (n, k), v in sums.items()
                 if n == name and list(json.loads(k)) == [dim]]
        found.sort(key=lambda item: (-item[1], str(item[0])))
        return found[:limit] if limit else found

    learners = period_learners(db, first, today, tz)
    return {
        "as_of": figures_as_of(db),
        "days": [{"date": d.isoformat(), **v} for d, v in sorted(per_day.items())],
        "top_resources": [{"resource": r, "title": resource_titles.get(r, r), "count": _number(v)}
                          for r, v in ranked(RESOURCE_USERS, "resource", 10)],
        "completions_by_pack": [{"pack": p, "title": pack_titles.get(p, p), "count": _number(v)}
                                for p, v in ranked("resources_completed", "pack")],
        "completions_by_language": [{"language": g, "count": _number(v)}
                                    for g, v in ranked("resources_completed", "language")],
        "checkins_by_mood": [{"mood": m, "count": _number(sums.get(("checkins", dims_key({"mood": m})), 0))}
                             for m in range(1, 6)],
        "totals": {"active_learners": learners,
                   "learning_minutes": _number(sum(d["learning_minutes"] for d in per_day.values())),
                   "resources_completed": _number(sums.get(("resources_completed", "{}"), 0))},
    }
