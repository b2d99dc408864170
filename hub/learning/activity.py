"""Learning events: typed events, batch validation, and ONE function that records them.

No Flask here. A batch is validated whole (every problem reported with its index and field),
then written with the progress rows it changes and committed (synchronous=FULL) before the
caller answers (hub.learning.activity_commit: one transaction, shared by batches that arrive
together). Which time to count an event at: `client_ts` when `clock_skew_s` is NULL, else
`received_at` (the client clock was far off); `progress.event_time_sql()` gives that expression
for queries. A batch's `sent_at` corrects its events first (hub.learning.event_time).

Exercise answers are checked on the hub only (hub.learning.answers): a client's `answered`
event, or its `completed` for an exercise, is refused (field `verb`).
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import json
import math
import uuid
from typing import ClassVar

from sqlite_utils import Database

from hub.core import clock
from hub.learning import activity_commit, event_time, hub_clock
from hub.catalog import store as catalog
from hub.learning.activity_commit import CLOCK_SKEW_LIMIT_S  # noqa: F401 - part of this API

MAX_BATCH = 100               # events per request; more is 413
MAX_BODY_BYTES = 256 * 1024   # a whole request body; more is 413 (checked by the view)
MAX_EVENT_BYTES = 4096        # one event as JSON; more is 413
MAX_DURATION_S = 24 * 3600    # one event cannot report more than a day of learning
FIELDS = {"id", "resource", "verb", "progress", "score", "duration_s", "timestamp", "data"}
BATCH_FIELDS = {"events", "sent_at", "learner"}
ANSWERS_ON_THE_HUB = ("exercise answers are checked on the hub: send them to /api/v1/answers "
                      "(an answer or an exercise's completion cannot be posted as an event)")


@dataclasses.dataclass(frozen=True)
class Event:
    """One learning event; subclasses name the verb."""

    name: ClassVar[str] = ""
    id: str
    pack_id: str
    resource_id: str
    timestamp: dt.datetime
    duration_s: float = 0.0
    progress: float | None = None
    score: float | None = None
    data: dict = dataclasses.field(default_factory=dict)
    sent_at: dt.datetime | None = None  # the batch's sent_at (the client's clock), when given


@dataclasses.dataclass(frozen=True)
class Started(Event):
    """The learner opened a resource."""

    name: ClassVar[str] = "started"


@dataclasses.dataclass(frozen=True)
class Progressed(Event):
    """Time spent, how far along (progress 0..1), and where a video/audio stopped (data.position_s)."""

    name: ClassVar[str] = "progressed"


@dataclasses.dataclass(frozen=True)
class Completed(Event):
    """The learner finished a resource."""

    name: ClassVar[str] = "completed"


@dataclasses.dataclass(frozen=True)
class Answered(Event):
    """One answer to an exercise question, score 0 or 1, made by the hub's own checker only.

    `mastery` is the (correct, of) rule of the exercise, filled in by the hub, never stored.
    """

    name: ClassVar[str] = "answered"
    mastery: tuple[int, int] | None = None


@dataclasses.dataclass(frozen=True)
class CheckedIn(Event):
    """A well-being check-in: data.mood from 1 (sad) to 5 (happy); no resource."""

    name: ClassVar[str] = "checked_in"


EVENT_TYPES: dict[str, type[Event]] = {cls.name: cls for cls in
                                        (Started, Progressed, Completed, Answered, CheckedIn)}


@dataclasses.dataclass
class Recorded:
    """What record() did: events newly stored and repeats of ids already stored."""

    accepted: int
    duplicates: int


class BatchRefused(Exception):
    """A batch refused whole: HTTP status (400 or 413), message, and details per problem."""

    def __init__(self, status: int, error: str, details: list[dict]):
        super().__init__(error)
        self.status, self.error, self.details = status, error, details


def new_id() -> str:
    """A fresh event id (for events the hub makes itself)."""
    return str(uuid.uuid4())


def _number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def _check_event(raw, index: int, problems: list[dict]) -> dict | None:
    """Check one event's fields; append problems; return the cleaned fields or None."""
    def bad(field, message):
        problems.append({"index": index, "field": field, "message": message})

    if not isinstance(raw, dict):
        bad("event", "must be a JSON object")
        return None
    before = len(problems)
    for key in sorted(set(raw) - FIELDS):
        bad(key, "is not a known event field")
    clean: dict = {}
    event_id = raw.get("id")
    if event_id is None:
        bad("id", "is required")
    else:
        try:
            if not isinstance(event_id, str):
                raise ValueError
            clean["id"] = str(uuid.UUID(event_id))
        except ValueError:
            bad("id", "must be a UUID made by the client, such as crypto.randomUUID()")
    verb = raw.get("verb")
    if verb is None:
        bad("verb", "is required")
    elif not isinstance(verb, str) or verb not in EVENT_TYPES:  # a list here is not hashable
        bad("verb", "must be one of " + ", ".join(EVENT_TYPES))
    elif verb == Answered.name:
        bad("verb", ANSWERS_ON_THE_HUB)
    resource = raw.get("resource")
    if resource is None:
        if verb != CheckedIn.name:
            bad("resource", "is required (pack_id/resource_id)")
        clean["pack_id"] = clean["resource_id"] = ""
    elif (not isinstance(resource, str) or resource.count("/") != 1
          or not all(resource.split("/")) or len(resource) > 200):
        bad("resource", "must be 'pack_id/resource_id'")
    else:
        clean["pack_id"], clean["resource_id"] = resource.split("/")
    timestamp = raw.get("timestamp")
    if timestamp is None:
        bad("timestamp", "is required")
    else:
        moment, problem = event_time.parse_instant(timestamp)
        if problem:
            bad("timestamp", problem)
        else:
            clean["timestamp"] = moment
    for field in ("progress", "score"):
        value = raw.get(field)
        if value is not None and not (_number(value) and 0 <= value <= 1):
            bad(field, "must be a number from 0 to 1")
        elif value is not None:
            clean[field] = float(value)
    duration = raw.get("duration_s", 0)
    if not (_number(duration) and 0 <= duration <= MAX_DURATION_S):
        bad("duration_s", f"must be a number of seconds from 0 to {MAX_DURATION_S}")
    else:
        clean["duration_s"] = float(duration)
    data = raw.get("data", {})
    if not isinstance(data, dict):
        bad("data", "must be a JSON object")
    else:
        clean["data"] = data
        position = data.get("position_s")
        if position is not None and not (_number(position) and position >= 0):
            bad("data.position_s", "must be a number of seconds, 0 or more")
        mood = data.get("mood")
        if verb == CheckedIn.name and mood is None:
            bad("data.mood", "is required for a check-in")
        elif mood is not None and (not isinstance(mood, int) or isinstance(mood, bool)
                                   or not 1 <= mood <= 5):
            bad("data.mood", "must be a whole number from 1 to 5")
    return None if len(problems) > before else {**clean, "verb": verb}


def parse_batch(db: Database, payload) -> list[Event]:
    """Validate a request body {"events": [...]} into typed events, or raise BatchRefused."""
    if not isinstance(payload, dict) or not isinstance(payload.get("events"), list):
        raise BatchRefused(400, "the body must be a JSON object {\"events\": [...]}",
                           [{"index": None, "field": "events", "message": "must be a list"}])
    extra = sorted(set(payload) - BATCH_FIELDS)
    if extra:
        raise BatchRefused(400, "the batch has unknown fields",
                           [{"index": None, "field": k, "message": "is not a known field"}
                            for k in extra])
    sent_at = parse_sent_at(payload)
    owner_problem = owner_field_problem(payload)
    if owner_problem:
        raise BatchRefused(400, "the batch was refused; nothing was stored", [owner_problem])
    raw_events = payload["events"]
    if not raw_events:
        raise BatchRefused(400, "the batch is empty", [
            {"index": None, "field": "events", "message": "must hold at least one event"}])
    if len(raw_events) > MAX_BATCH:
        raise BatchRefused(413, f"a batch holds at most {MAX_BATCH} events", [
            {"index": None, "field": "events", "message": f"has {len(raw_events)} events"}])
    big = [{"index": i, "field": "event", "message": f"is larger than {MAX_EVENT_BYTES} bytes"}
           for i, raw in enumerate(raw_events)
           if len(json.dumps(raw, separators=(",", ":")).encode()) > MAX_EVENT_BYTES]
    if big:
        raise BatchRefused(413, "an event is too large", big)
    problems: list[dict] = []
    cleaned = [_check_event(raw, i, problems) for i, raw in enumerate(raw_events)]
    known: dict[tuple[str, str], dict | None] = {}
    for i, clean in enumerate(cleaned):
        if clean is None or not clean["pack_id"]:
            continue
        key = (clean["pack_id"], clean["resource_id"])
        if key not in known:
            known[key] = find_resource(db, *key)
        if known[key] is None:
            problems.append({"index": i, "field": "resource",
                             "message": "no such resource on this hub"})
        elif clean["verb"] == Completed.name and known[key].get("kind") == "exercise":
            problems.append({"index": i, "field": "verb", "message": ANSWERS_ON_THE_HUB})
    _check_future(db, cleaned, sent_at, problems)
    if problems:
        raise BatchRefused(400, "the batch was refused; nothing was stored", problems)
    events = []
    for clean in cleaned:
        cls = EVENT_TYPES[clean.pop("verb")]
        events.append(cls(**clean, sent_at=sent_at))
    return events


def parse_sent_at(payload: dict) -> dt.datetime | None:
    """The batch's `sent_at` in UTC (None when not sent), or BatchRefused naming the field."""
    if payload.get("sent_at") is None:
        return None
    moment, problem = event_time.parse_instant(payload["sent_at"])
    if problem:
        raise BatchRefused(400, "the batch was refused; nothing was stored",
                           [{"index": None, "field": "sent_at", "message": problem}])
    return moment


def owner_field_problem(payload: dict) -> dict | None:
    """A problem with the optional `learner` field (whose queued items these are), or None."""
    owner = payload.get("learner")
    if owner is None or (isinstance(owner, int) and not isinstance(owner, bool)
                         and 0 < owner < 2**63):
        return None
    return {"index": None, "field": "learner",
            "message": "must be the id of the learner the items belong to, or null"}


def _check_future(db: Database, cleaned: list, sent_at, problems: list[dict]) -> None:
    # After correction by sent_at, a moment more than a day ahead of the hub cannot be real.
    if sent_at is None:
        return
    received, offset = clock.now(), hub_clock.offset_s(db)
    for i, clean in enumerate(cleaned):
        if clean is not None:
            problem = event_time.future_problem(clean["timestamp"], sent_at, received, offset)
            if problem:
                problems.append({"index": i, "field": "timestamp", "message": problem})


def find_resource(db: Database, pack_id: str, resource_id: str) -> dict | None:
    """The resource (pack_id, id, kind, file, path, ...) from the catalog, or None."""
    return catalog.get_resource(db, pack_id, resource_id)


def record(db: Database, actor: str, events: list[Event], *,
           received_at: dt.datetime | None = None) -> Recorded:
    """Store events for one actor with their progress, durably, before returning.

    An id already stored (or repeated within the batch) counts as a duplicate and changes
    nothing. The hub's receive time is kept beside the client's; when they differ by more
    than CLOCK_SKEW_LIMIT_S the difference is kept in clock_skew_s and progress uses the
    hub's time. The batch is written whole or not at all (see hub.learning.activity_commit).
    """
    accepted, duplicates = activity_commit.commit(db, actor, events, received_at or clock.now())
    return Recorded(accepted, duplicates)


def record_one(db: Database, actor: str, verb: str, pack_id: str = "", resource_id: str = "",
               **fields) -> Recorded:
    """Record one event the hub makes itself (pages without JavaScript, exercise answers)."""
    now = clock.now()
    # An answer queued on a phone carries the moment it was made (and the phone's sent_at).
    timestamp = fields.pop("timestamp", None) or now
    event = EVENT_TYPES[verb](id=fields.pop("id", None) or new_id(), pack_id=pack_id,
                              resource_id=resource_id, timestamp=timestamp, **fields)
    return record(db, actor, [event], received_at=now)
