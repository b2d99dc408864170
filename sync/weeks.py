"""The partition of time a hub publishes: closed ISO weeks, frozen once built.

A week is Monday 00:00 to the next Monday 00:00 in the hub's time zone, kept as the UTC
instants [start_utc, end_utc). Once a week's report is built its instants never change (the
row in sync_weeks), so a later change of time zone cuts only weeks not yet built: the first
new week starts where the last frozen one ended, and no instant is ever in two weeks or none.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
from zoneinfo import ZoneInfo

from sqlite_utils import Database

from sync import state

FMT = "%Y-%m-%dT%H:%M:%S"  # comparable with the stored instants (ISO, UTC, without the Z)


@dataclasses.dataclass(frozen=True)
class Week:
    """One week of the partition: its Monday (local), its instants, and whether it is frozen."""

    monday: dt.date
    start: str
    end: str
    tz: str
    frozen: dict | None = None   # the sync_weeks row once built

    @property
    def report_id(self) -> str:
        """week-YYYY-Www: the ISO year and week of its Monday."""
        year, week, _ = self.monday.isocalendar()
        return f"week-{year}-W{week:02d}"

    @property
    def period(self) -> dict:
        """The report's period: Monday to Sunday, a week."""
        return {"start": self.monday.isoformat(), "end": (self.monday + dt.timedelta(days=6)).isoformat(),
                "kind": "week"}


def monday_of(day: dt.date) -> dt.date:
    """The Monday of a day's ISO week."""
    return day - dt.timedelta(days=day.weekday())


def _local_start(monday: dt.date, tz: str) -> str:
    start = dt.datetime.combine(monday, dt.time(), ZoneInfo(tz)).astimezone(dt.timezone.utc)
    return start.strftime(FMT)


def frozen_rows(db: Database) -> dict[dt.date, dict]:
    """Every built week's row, by its Monday."""
    cursor = db.execute("SELECT week, report_id, revision, start_utc, end_utc, tz, watermark, built_at "
                        "FROM sync_weeks ORDER BY week")
    names = [c[0] for c in cursor.description]
    return {dt.date.fromisoformat(row[0]): dict(zip(names, row)) for row in cursor}


def week(db: Database, monday: dt.date, tz: str, frozen: dict | None = None) -> Week:
    """The week of a Monday: its frozen instants if built, else cut in `tz` after the frozen ones."""
    frozen = frozen_rows(db) if frozen is None else frozen
    if monday in frozen:
        row = frozen[monday]
        return Week(monday, row["start_utc"], row["end_utc"], row["tz"], row)
    start, end = _local_start(monday, tz), _local_start(monday + dt.timedelta(days=7), tz)
    before = [row for day, row in frozen.items() if day < monday]
    if before:
        last = before[-1]["end_utc"]
        if monday - dt.timedelta(days=7) in frozen or start < last:
            start = last  # join the partition: no instant in two weeks, none in no week
    return Week(monday, start, max(end, start), tz)


def first_event_day(db: Database, tz: str) -> dt.date | None:
    """The local day of the first event the hub ever received (where its weeks begin)."""
    first = db.execute("SELECT min(received_at) FROM events").fetchone()[0]
    oldest = db.execute("SELECT min(client_ts) FROM events WHERE clock_skew_s IS NULL").fetchone()[0]
    stamps = [s for s in (first, oldest) if s]
    if not stamps:
        return None
    return state.parse_iso(min(stamps)).astimezone(ZoneInfo(tz)).date()


def closed_weeks(db: Database, tz: str, now: dt.datetime) -> list[Week]:
    """Every week from the first event's to the last one that has ended, oldest first."""
    first = first_event_day(db, tz)
    frozen = frozen_rows(db)
    mondays = set(frozen)
    if first is not None:
        # at most ten years back: a wildly wrong clock must not make thousands of weeks
        day = max(monday_of(first), monday_of(now.date()) - dt.timedelta(weeks=520))
        while True:
            candidate = week(db, day, tz, frozen)
            if candidate.end > now.astimezone(dt.timezone.utc).strftime(FMT):
                break
            mondays.add(day)
            day += dt.timedelta(days=7)
    return [week(db, day, tz, frozen) for day in sorted(mondays)]


def open_week(db: Database, tz: str, now: dt.datetime) -> Week:
    """The week in progress (the one a preview shows "so far")."""
    local = now.astimezone(ZoneInfo(tz)).date()
    return week(db, monday_of(local), tz)


def freeze(db: Database, wk: Week, revision: int, watermark: str, now: dt.datetime) -> None:
    """Record that a week's report (revision) was built from events received up to `watermark`."""
    db.execute("INSERT INTO sync_weeks (week, report_id, revision, start_utc, end_utc, tz, watermark, built_at) "
               "VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(week) DO UPDATE SET revision = excluded.revision, "
               "watermark = excluded.watermark, built_at = excluded.built_at",
               [wk.monday.isoformat(), wk.report_id, revision, wk.start, wk.end, wk.tz, watermark,
                state.iso(now)])
