"""One day's events -> metric cells (name, dims, value, learners), unsuppressed.

A day is a calendar day in the hub's time zone. An event counts at its client time, or at
the hub's receive time when the client clock was far off (clock_skew_s set). Events whose
resource is gone (a removed pack) count with kind and language 'unknown'.
"""
from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from zoneinfo import ZoneInfo

from sqlite_utils import Database

UNKNOWN = "unknown"
LEARNING_VERBS = ("started", "progressed", "completed", "answered")
# Local-only cell for the facilitator dashboard's "most used resources"; never reported.
RESOURCE_USERS = "_resource_learners"


def day_bounds(day: dt.date, tz: str) -> tuple[str, str]:
    """The UTC instants [start, end) of a local day, as ISO prefixes comparable to stored times."""
    zone = ZoneInfo(tz)
    start = dt.datetime.combine(day, dt.time(), zone).astimezone(dt.timezone.utc)
    end = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(), zone).astimezone(dt.timezone.utc)
    fmt = "%Y-%m-%dT%H:%M:%S"
    return start.strftime(fmt), end.strftime(fmt)


def range_where(alias: str = "e") -> str:
    """SQL matching events counted in [?, ?) (bind start, end, start, end); uses both indexes."""
    return (f"(({alias}.clock_skew_s IS NULL AND {alias}.client_ts >= ? AND {alias}.client_ts < ?)"
            f" OR ({alias}.clock_skew_s IS NOT NULL AND {alias}.received_at >= ? AND {alias}.received_at < ?))")


def period_bounds(first: dt.date, last: dt.date, tz: str) -> list[str]:
    """Bind values for range_where covering the local days first..last."""
    start, _ = day_bounds(first, tz)
    _, end = day_bounds(last, tz)
    return [start, end, start, end]


def _events(db: Database, bounds: list[str]):
    sql = ("SELECT e.actor, e.anonymous, e.pack_id, e.resource_id, e.verb, e.score, e.duration_s, "
           "CASE WHEN e.verb = 'checked_in' THEN json_extract(e.data, '$.mood') END, "
           "r.kind, r.language FROM events e "
           "LEFT JOIN resources r ON r.pack_id = e.pack_id AND r.id = e.resource_id "
           f"WHERE {range_where('e')}")
    return db.execute(sql, bounds)


def learners_between(db: Database, first: dt.date, last: dt.date, tz: str) -> set[str]:
    """Signed-in learners with any event on the local days first..last."""
    sql = f"SELECT DISTINCT e.actor FROM events e WHERE e.anonymous = 0 AND {range_where('e')}"
    return {row[0] for row in db.execute(sql, period_bounds(first, last, tz))}


class _Cell:
    """A value and the actors it was computed from."""

    __slots__ = ("value", "actors")

    def __init__(self):
        self.value = 0.0
        self.actors: set[str] = set()


def compute_day(db: Database, day: dt.date, tz: str) -> list[tuple[str, dict, float, int]]:
    """Every metric cell of one local day: (name, dims, value, learners)."""
    cells: dict[tuple[str, str, str], _Cell] = defaultdict(_Cell)

    def add(name, key, dim, actor, amount=1.0):
        cell = cells[(name, key, dim)]
        cell.value += amount
        cell.actors.add(actor)

    learners: set[str] = set()
    sessions: set[str] = set()
    active_pack: dict[str, set] = defaultdict(set)
    active_lang: dict[str, set] = defaultdict(set)
    started: dict[tuple, tuple] = {}
    completed: dict[tuple, tuple] = {}
    seconds: dict[tuple[str, str], list] = defaultdict(lambda: [0.0, set()])
    for (actor, anonymous, pack, resource, verb, score, duration, mood, kind, language) in _events(db, day_bounds(day, tz) * 2):
        (sessions if anonymous else learners).add(actor)
        if verb == "checked_in":
            if mood is not None:
                add("checkins", "mood", int(mood), actor)
            continue
        kind, language = kind or UNKNOWN, language or UNKNOWN
        if not anonymous:
            active_pack[pack].add(actor)
            active_lang[language].add(actor)
        for key, dim in (("", ""), ("pack", pack), ("kind", kind)):
            entry = seconds[(key, dim)]
            entry[0] += duration or 0.0
            entry[1].add(actor)
        pair = (actor, pack, resource)
        started[pair] = (kind, language)
        if verb == "completed":
            completed[pair] = (kind, language)
        if verb == "answered":
            correct = 1.0 if (score or 0) >= 1 else 0.0
            for key, dim in (("", ""), ("pack", pack)):
                add("exercise_attempts", key, dim, actor)
                add("exercise_correct", key, dim, actor, correct)
                # exercise_correct is computed from everyone who answered, correct or not
                cells[("exercise_correct", key, dim)].actors.add(actor)
        add(RESOURCE_USERS, "resource", f"{pack}/{resource}", actor, 0.0)

    rows: list[tuple[str, dict, float, int]] = []
    if learners:
        rows.append(("active_learners", {}, len(learners), len(learners)))
        rows += [("active_learners", {"pack": p}, len(a), len(a)) for p, a in active_pack.items()]
        rows += [("active_learners", {"language": g}, len(a), len(a)) for g, a in active_lang.items()]
    if sessions:
        rows.append(("active_sessions", {}, len(sessions), len(sessions)))
    for (key, dim), (total, actors) in seconds.items():
        # half up, as people round (round() would send 2.5 to 2)
        rows.append(("learning_minutes", {key: dim} if key else {}, int(total / 60 + 0.5), len(actors)))
    for name, pairs in (("resources_started", started), ("resources_completed", completed)):
        for (actor, pack, _resource), (kind, language) in pairs.items():
            for key, dim in (("", ""), ("pack", pack), ("kind", kind), ("language", language)):
                add(name, key, dim, actor)
    if learners:
        recent = learners_between(db, day - dt.timedelta(days=6), day - dt.timedelta(days=1), tz)
        back = learners & recent
        rows.append(("returning_learners", {}, len(back), len(back)))
    for (name, key, dim), cell in cells.items():
        if name == RESOURCE_USERS:
            rows.append((name, {key: dim}, len(cell.actors), len(cell.actors)))
        else:
            rows.append((name, {key: dim} if key else {}, cell.value, len(cell.actors)))
    return rows


def dims_key(dims: dict) -> str:
    """Canonical JSON of a dims object (the storage key)."""
    return json.dumps(dims, sort_keys=True, separators=(",", ":"))
