"""A small, readable factory of event rows for the metrics, privacy and sync tests.

    ev = EventFactory(db)
    ev.resource("org.ex.numbers", "count-1", kind="exercise", language="en")
    ev.add("L1", "answered", "org.ex.numbers/count-1", at="2024-05-01T10:00:00Z", score=1)
"""
from __future__ import annotations

import datetime as dt
import itertools
import json

_ids = itertools.count(1)


class EventFactory:
    """Insert packs, resources, learners and events straight into a hub database."""

    def __init__(self, db):
        self.db = db

    def pack(self, pack_id: str, title: str | None = None, languages=("en",),
             installed_at: str = "2024-01-01T00:00:00Z") -> None:
        """An installed pack row (no files): enough for titles and the resources join."""
        self.db.execute(
            "INSERT OR IGNORE INTO packs (id, version, title, languages, storage_dir, installed_at, manifest) "
            "VALUES (?, '1.0.0', ?, ?, '/nowhere', ?, '{}')",
            [pack_id, json.dumps({"en": title or pack_id}), json.dumps(list(languages)), installed_at])

    def resource(self, pack_id: str, resource_id: str, kind: str = "article", language: str = "en",
                 title: str | None = None) -> None:
        """A catalog resource, creating its pack when needed."""
        self.pack(pack_id)
        self.db.execute(
            "INSERT OR REPLACE INTO resources (pack_id, id, kind, language, group_id, title, file, sha256, size, position) "
            "VALUES (?, ?, ?, ?, ?, ?, 'f', 'x', 1, 0)",
            [pack_id, resource_id, kind, language, resource_id, title or resource_id])

    def learner(self, actor: str, name: str) -> None:
        """A learner profile with a name (to prove names never leave the hub)."""
        self.db.execute("INSERT INTO learners (actor, name, avatar, pin_hash, created_at) "
                        "VALUES (?, ?, 'cat', 'pbkdf2:secret-pin-hash', '2024-01-01T00:00:00Z')", [actor, name])

    def add(self, actor: str, verb: str, resource: str = "", *, at: str, duration: float = 0,
            score: float | None = None, progress: float | None = None, mood: int | None = None,
            received: str | None = None, skew: float | None = None, event_id: str | None = None,
            data: dict | None = None) -> str:
        """One event row; `at` is the client time, `received` the hub's (defaults to `at`)."""
        pack_id, _, resource_id = resource.partition("/")
        payload = dict(data or {})
        if mood is not None:
            payload["mood"] = mood
        event_id = event_id or f"00000000-0000-4000-8000-{next(_ids):012d}"
        self.db.execute(
            "INSERT INTO events (id, actor, anonymous, pack_id, resource_id, verb, progress, score, "
            "duration_s, client_ts, received_at, clock_skew_s, data) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [event_id, actor, 1 if actor.startswith("A") else 0, pack_id, resource_id, verb, progress,
             score, duration, at, received or at, skew, json.dumps(payload)])
        return event_id

    def many(self, actors, verb: str, resource: str = "", *, at: str, **fields) -> None:
        """The same event for several actors."""
        for actor in actors:
            self.add(actor, verb, resource, at=at, **fields)


def at(day: str, hour: int = 10, minute: int = 0) -> str:
    """An ISO instant on a day: at('2024-05-01', 10) -> '2024-05-01T10:00:00Z'."""
    return dt.datetime.fromisoformat(f"{day}T{hour:02d}:{minute:02d}:00+00:00").strftime("%Y-%m-%dT%H:%M:%SZ")


def closed_week_day(weeks_back: int = 1, today: dt.date | None = None) -> str:
    """The Wednesday of the ISO week `weeks_back` before this one (UTC, real clock unless given):
    a day in a closed week, for tests that run hubs and centrals as processes."""
    today = today or dt.datetime.now(dt.timezone.utc).date()
    monday = today - dt.timedelta(days=today.weekday()) - dt.timedelta(weeks=weeks_back)
    return (monday + dt.timedelta(days=2)).isoformat()


def hold_the_week(clock_at, day: str) -> None:
    """Stop the hub's clock (in this process) now, or at the end of the week after `day`'s when
    that week has ended since `day` was chosen: exactly one week has closed since `day`'s, in a
    run that crosses a Sunday midnight too (a second, empty week would be reported)."""
    monday = dt.date.fromisoformat(week_of(day)[1])
    last = dt.datetime.combine(monday + dt.timedelta(days=13), dt.time(23, 59, 59), dt.timezone.utc)
    clock_at(min(dt.datetime.now(dt.timezone.utc).replace(microsecond=0), last))


def week_of(day: str) -> tuple[str, str]:
    """(report_id, Monday) of the ISO week a day is in: ('week-2024-W19', '2024-05-06')."""
    date = dt.date.fromisoformat(day)
    monday = date - dt.timedelta(days=date.weekday())
    year, number, _ = monday.isocalendar()
    return f"week-{year}-W{number:02d}", monday.isoformat()
