"""One week's events -> metric cells, unsuppressed, each with who it was computed from.

A week is a span of UTC instants [start, end) (sync.weeks cuts it). An event counts where
sync.aggregate.range_where says (the hub's one rule for the time an event counts at). Every
metric is counted over the whole span: active_learners is the distinct learners of the week,
never a sum of days. Dimension values are mapped into the report schema: a kind or language
the schema does not know, or a pack that is no longer installed, becomes "other".

Each cell carries `actors` (who it was computed from, as (actor, anonymous) pairs) and
`units` (the distinct things a count counts; for sums, the actors), so that privacy can tell
how many learners a value, or the change between two revisions, is about.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections import defaultdict

from sqlite_utils import Database

from sync.aggregate import range_where

OTHER = "other"
KINDS = ("article", "video", "audio", "document", "image", "html5", "exercise")
MOODS = (1, 2, 3, 4, 5)
LANGUAGE_RE = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$")
PACK_RE = re.compile(r"^[a-z0-9][a-z0-9._-]{0,99}$")
DISTINCT = ("active_learners", "active_sessions", "resources_started", "resources_completed",
            "returning_learners")
RETURNING_LOOKBACK = dt.timedelta(days=28)  # "returning": also active in the four weeks before
NEVER, ALWAYS = "", "9999"  # receive-time bounds that let every event in


@dataclasses.dataclass
class Cell:
    """A value and who it was computed from."""

    value: float = 0.0
    actors: set = dataclasses.field(default_factory=set)   # {(actor, anonymous)}
    units: set = dataclasses.field(default_factory=set)    # {(who, thing)}: what a count counts


def learners_of(actors) -> int:
    """Signed-in learners plus at most one for all anonymous sessions together."""
    signed = {a for a, anonymous in actors if not anonymous}
    return len(signed) + (1 if any(anonymous for _a, anonymous in actors) else 0)


@dataclasses.dataclass
class Catalog:
    """What the hub has installed: the fixed grid of a report's rows, and the catalog links."""

    resources: dict            # (pack, resource) -> (kind, language), mapped into the schema
    packs: list                # installed pack ids (schema-safe), sorted

    def kinds(self) -> list[str]:
        """Every kind a report lists (all the schema's, and other)."""
        return [*KINDS, OTHER]

    def languages(self) -> list[str]:
        """Every language of an installed resource, and other."""
        return sorted({g for _k, g in self.resources.values()} - {OTHER}) + [OTHER]

    def grid(self) -> dict[str, list]:
        """Breakdown key -> every value its rows take, whatever happened in the week."""
        return {"pack": [*self.packs, OTHER], "kind": self.kinds(), "language": self.languages(),
                "mood": list(MOODS)}


def kind_dim(kind: str | None) -> str:
    """A resource kind as the schema names it (other when unknown, e.g. zim)."""
    return kind if kind in KINDS else OTHER


def language_dim(language: str | None) -> str:
    """A language tag as the schema accepts it, else other."""
    return language if language and LANGUAGE_RE.match(language) else OTHER


def catalog(db: Database) -> Catalog:
    """The installed catalog, mapped into the schema's values."""
    packs = sorted(p for (p,) in db.execute("SELECT id FROM packs") if PACK_RE.match(p) and p != OTHER)
    resources = {(p, r): (kind_dim(k), language_dim(g))
                 for p, r, k, g in db.execute("SELECT pack_id, id, kind, language FROM resources")
                 if p in packs}
    return Catalog(resources=resources, packs=packs)


def _fold(db: Database, start: str, end: str, after: str, until: str):
    """The span's events folded per (actor, resource) in SQL: far fewer rows than events."""
    return db.execute(
        "SELECT e.actor, max(e.anonymous), e.pack_id, e.resource_id, sum(e.duration_s), "
        "max(e.verb = 'completed'), sum(e.verb = 'answered'), sum(e.verb = 'answered' AND e.score >= 1), "
        f"max(e.verb != 'checked_in') FROM events e WHERE {range_where('e')} "
        "AND e.received_at > ? AND e.received_at <= ? GROUP BY e.actor, e.pack_id, e.resource_id",
        [start, end, start, end, after, until])


def _moods(db: Database, start: str, end: str, after: str, until: str):
    return db.execute(
        "SELECT e.actor, e.anonymous, json_extract(e.data, '$.mood') FROM events e "
        f"WHERE e.verb = 'checked_in' AND {range_where('e')} AND e.received_at > ? AND e.received_at <= ?",
        [start, end, start, end, after, until])


def _active_before(db: Database, start: str, until: str) -> set[str]:
    begin = (dt.datetime.fromisoformat(start + "+00:00") - RETURNING_LOOKBACK).strftime("%Y-%m-%dT%H:%M:%S")
    return {a for (a,) in db.execute(f"SELECT DISTINCT e.actor FROM events e WHERE {range_where('e')} "
                                     "AND e.anonymous = 0 AND e.received_at <= ?",
                                     [begin, start, begin, start, until])}


def compute(db: Database, start: str, end: str, cat: Catalog, *, after: str = NEVER,
            until: str = ALWAYS) -> dict[tuple[str, tuple], Cell]:
    """Cells {(name, dims items): Cell} of the events counted in [start, end) and received
    in (after, until]."""
    cells: dict[tuple[str, tuple], Cell] = defaultdict(Cell)

    def add(name, dims, who, amount=0.0, unit=None):
        cell = cells[(name, tuple(dims.items()))]
        cell.actors.add(who)
        if name in DISTINCT:
            cell.units.add((who, unit))  # who is part of it: a change names its learners
            cell.value = len(cell.units)
        else:
            cell.value += amount

    for actor, anonymous, pack, resource, seconds, done, answers, correct, learning in _fold(
            db, start, end, after, until):
        who = (actor, bool(anonymous))
        add("active_sessions" if anonymous else "active_learners", {}, who)
        if not learning:
            continue  # only check-ins: counted below, by mood
        kind, language = cat.resources.get((pack, resource), (OTHER, OTHER))
        pack_dim = pack if pack in cat.packs else OTHER
        if not anonymous:
            add("active_learners", {"pack": pack_dim}, who)
            add("active_learners", {"language": language}, who)
        for dims in ({}, {"pack": pack_dim}, {"kind": kind}):
            add("learning_minutes", dims, who, (seconds or 0.0) / 60)
        pair = (actor, pack, resource)
        for dims in ({}, {"pack": pack_dim}, {"kind": kind}, {"language": language}):
            add("resources_started", dims, who, unit=pair)
            if done:
                add("resources_completed", dims, who, unit=pair)
        if answers:
            for dims in ({}, {"pack": pack_dim}):
                add("exercise_attempts", dims, who, answers)
                # exercise_correct is about everyone who answered, right or not
                add("exercise_correct", dims, who, correct)
    for actor, anonymous, mood in _moods(db, start, end, after, until):
        if mood in MOODS:
            add("checkins", {"mood": int(mood)}, (actor, bool(anonymous)), 1)
    active = cells.get(("active_learners", ()))
    if active is not None:
        before = _active_before(db, start, until)
        for who in active.actors:
            if who[0] in before:
                add("returning_learners", {}, who)
        cells[("returning_learners", ())]  # present (maybe 0) whenever anyone was active
    return dict(cells)
