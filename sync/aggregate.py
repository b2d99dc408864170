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


_COLUMNS = "actor, anonymous, pack_id, resource_id, verb, score, duration_s"


def _pairs(db: Database, bounds: list[str]):
    """A day's events folded per (actor, resource) in SQL: far fewer rows than events."""
    # Two plain range scans, not an OR: the first is served by the covering index alone.
    return db.execute(
        "SELECT actor, anonymous, pack_id, resource_id, sum(duration_s), max(verb = 'completed'), "
        "sum(verb = 'answered'), sum(verb = 'answered' AND score >= 1), max(verb != 'checked_in') FROM ("
        f"SELECT {_COLUMNS} FROM events WHERE clock_skew_s IS NULL AND client_ts >= ? AND client_ts < ? "
        f"UNION ALL SELECT {_COLUMNS} FROM events "
        "WHERE clock_skew_s IS NOT NULL AND received_at >= ? AND received_at < ?"
        ") GROUP BY actor, pack_id, resource_id", bounds)


def _moods(db: Database, bounds: list[str]):
    return db.execute(f"SELECT e.actor, json_extract(e.data, '$.mood') FROM events e "
                      f"WHERE e.verb = 'checked_in' AND {range_where('e')}", bounds)


def _catalog(db: Database) -> dict[tuple[str, str], tuple[str, str]]:
    return {(p, r): (k, g) for p, r, k, g in db.execute("SELECT pack_id, id, kind, language FROM resources")}


def learners_between(db: Database, first: dt.date, last: dt.date, tz: str) -> set[str]:
    """Signed-in learners with any event on the local days first..last."""
    # Two range scans, not an OR: the first reads the covering index only.
    sql = ("SELECT actor FROM events WHERE clock_skew_s IS NULL AND client_ts >= ? AND client_ts < ? "
           "AND anonymous = 0 UNION SELECT actor FROM events WHERE clock_skew_s IS NOT NULL "
           "AND received_at >= ? AND received_at < ? AND anonymous = 0")
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
    bounds = list(day_bounds(day, tz)) * 2
    catalog = _catalog(db)
    unknown = (UNKNOWN, UNKNOWN)  # the resource's pack was removed: still counted
    for (actor, anonymous, pack, resource, duration, done, answers, correct, learning) in _pairs(db, bounds):
        (sessions if anonymous else learners).add(actor)
        if not learning:
            continue  # only check-ins: counted below, by mood
        kind, language = catalog.get((pack, resource), unknown)
        if not anonymous:
            active_pack[pack].add(actor)
            active_lang[language].add(actor)
        for key, dim in (("", ""), ("pack", pack), ("kind", kind)):
            entry = seconds[(key, dim)]
            entry[0] += duration or 0.0
            entry[1].add(actor)
        pair = (actor, pack, resource)
        started[pair] = (kind, language)
        if done:
            completed[pair] = (kind, language)
        if answers:
            for key, dim in (("", ""), ("pack", pack)):
                add("exercise_attempts", key, dim, actor, answers)
                # exercise_correct is computed from everyone who answered, correct or not
                add("exercise_correct", key, dim, actor, correct)
        add(RESOURCE_USERS, "resource", f"{pack}/{resource}", actor, 0.0)

    for actor, mood in _moods(db, bounds):
        if mood is not None:
            add("checkins", "mood", int(mood), actor)
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
