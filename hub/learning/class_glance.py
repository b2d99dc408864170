"""Class at a glance: who came, who was not seen, who is stuck, difficult questions, and the
group's well-being as counts. Rules only; no Flask. Read only.

Times are the hub's one clock (hub.core.clock), so tests move time in one place, and
event times are the time each event counts at (hub.learning.progress.event_time_sql). Well-being is
shown as counts of children per band, each suppressed below the hub's k threshold, so no
count points at one child; a child's own check-ins are only on that child's page.
"""
from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from sqlite_utils import Database

from hub.core import clock
from hub.learning import activity, exercises, learners, progress

NOT_SEEN_DAYS = 7         # "not seen for N days", unless the page asks for another N
STUCK_WRONG_TRIES = 3     # wrong answers to one question, none right: stuck on it
ABANDONED_DAYS = 3        # started, not finished, not touched for this long: abandoned
LOOKBACK_DAYS = 30        # how far back "stuck" and "difficult" look
STUCK_SHOWN = 40          # "who may need help" lists this many at first; a link shows them all
MOOD_BANDS = (("low", (1, 2)), ("okay", (3,)), ("good", (4, 5)))


def _iso(moment: dt.datetime) -> str:
    return clock.iso(moment)


def week_start(now: dt.datetime, tz: str) -> dt.datetime:
    """Monday 00:00 of the current week in the hub's time zone, as a UTC instant."""
    local = now.astimezone(ZoneInfo(tz))
    monday = (local - dt.timedelta(days=local.weekday())).replace(hour=0, minute=0, second=0, microsecond=0)
    return monday.astimezone(dt.timezone.utc)


def _members(db: Database, group_id: int) -> list[dict]:
    return learners.list_learners(db, group_id=group_id)


def _last_events(db: Database, actors: list[str]) -> dict[str, str]:
    # One probe per child and kind of event: the index events_learner_verb_time ends in the time
    # an event counts at, so each max is read at the end of its range, not over a year of rows.
    query = f"SELECT max({progress.event_time_sql()}) FROM events WHERE actor = ? AND verb = ?"
    last = {}
    for actor in actors:
        times = [db.execute(query, [actor, verb]).fetchone()[0] for verb in activity.EVENT_TYPES]
        if any(times):
            last[actor] = max(filter(None, times))
    return last


def attendance(db: Database, group_id: int, tz: str, days: int = NOT_SEEN_DAYS,
               now: dt.datetime | None = None) -> dict:
    """{"came": [learner...] this week, "not_seen": [learner...] for `days` days or never};
    each learner carries `last` (ISO, or None when never seen)."""
    now = now or clock.now()
    people = _members(db, group_id)
    last = _last_events(db, [p["actor"] for p in people])
    since_week, cutoff = _iso(week_start(now, tz)), _iso(now - dt.timedelta(days=days))
    came, not_seen = [], []
    for person in people:
        seen = max(filter(None, [last.get(person["actor"]), person["last_seen_at"]]), default=None)
        entry = {"id": person["id"], "name": person["name"], "avatar": person["avatar"], "last": seen}
        if seen and seen >= since_week:
            came.append(entry)
        if seen is None or seen < cutoff:
            not_seen.append(entry)
    not_seen.sort(key=lambda e: e["last"] or "")
    return {"came": came, "not_seen": not_seen, "days": days}


def stuck(db: Database, group_id: int, now: dt.datetime | None = None) -> list[dict]:
    """Learners who need help: many wrong tries on one question with none right, or a resource
    started and left unfinished for ABANDONED_DAYS. One entry per learner and thing."""
    now = now or clock.now()
    people = {p["actor"]: p for p in _members(db, group_id)}
    if not people:
        return []
    marks = ",".join("?" * len(people))
    since = _iso(now - dt.timedelta(days=LOOKBACK_DAYS))
    found = []
    for actor, pack_id, resource_id, question, wrong, title in db.execute(
            "SELECT e.actor, e.pack_id, e.resource_id, json_extract(e.data, '$.question') AS q, "
            "sum(e.score < 1), r.title FROM events e LEFT JOIN resources r ON r.pack_id = e.pack_id "
            f"AND r.id = e.resource_id WHERE e.verb = 'answered' AND e.actor IN ({marks}) "
            f"AND {progress.event_time_sql('e')} >= ? GROUP BY e.actor, e.pack_id, e.resource_id, q "
            "HAVING sum(e.score < 1) >= ? AND sum(e.score >= 1) = 0",
            list(people) + [since, STUCK_WRONG_TRIES]):
        found.append({"learner": people[actor], "reason": "wrong_tries", "pack_id": pack_id,
                      "resource_id": resource_id, "question": question, "tries": wrong,
                      "title": title or resource_id})
    quiet = _iso(now - dt.timedelta(days=ABANDONED_DAYS))
    for actor, pack_id, resource_id, updated, title in db.execute(
            "SELECT p.actor, p.pack_id, p.resource_id, p.updated_at, r.title FROM progress p "
            "JOIN resources r ON r.pack_id = p.pack_id AND r.id = p.resource_id "
            f"WHERE p.actor IN ({marks}) AND p.completed_at IS NULL AND r.kind != 'zim' "
            "AND p.updated_at >= ? AND p.updated_at <= ? ORDER BY p.updated_at",
            list(people) + [since, quiet]):
        found.append({"learner": people[actor], "reason": "abandoned", "pack_id": pack_id,
                      "resource_id": resource_id, "question": None, "since": updated, "title": title})
    found.sort(key=lambda e: (e["learner"]["name"].casefold(), e["reason"]))
    return found


def _question_text(db: Database, pack_id: str, resource_id: str, question_id: str,
                   language: str) -> tuple[str, dict[str, str]]:
    resource = activity.find_resource(db, pack_id, resource_id)
    try:
        exercise = exercises.load(db, resource) if resource else None
    except exercises.ExerciseError:
        exercise = None
    for q in exercises.public_questions(exercise, language) if exercise else []:
        if q["id"] == question_id:
            return q["prompt"], {c["id"]: c["text"] for c in q["choices"]}
    return question_id, {}


def difficult(db: Database, group_id: int, language: str, limit: int = 5,
              now: dt.datetime | None = None) -> list[dict]:
    """Questions most of the group got wrong (at least once), with the wrong answers most
    chosen: [{title, prompt, tried, wrong, answers: [(text, times)]}]."""
    now = now or clock.now()
    actors = [p["actor"] for p in _members(db, group_id)]
    if not actors:
        return []
    marks = ",".join("?" * len(actors))
    since = _iso(now - dt.timedelta(days=LOOKBACK_DAYS))
    rows = db.execute(
        "SELECT e.pack_id, e.resource_id, json_extract(e.data, '$.question') AS q, "
        "count(DISTINCT e.actor), count(DISTINCT CASE WHEN e.score < 1 THEN e.actor END), r.title "
        "FROM events e LEFT JOIN resources r ON r.pack_id = e.pack_id AND r.id = e.resource_id "
        f"WHERE e.verb = 'answered' AND e.actor IN ({marks}) AND q IS NOT NULL "
        f"AND {progress.event_time_sql('e')} >= ? GROUP BY e.pack_id, e.resource_id, q "
        "HAVING count(DISTINCT CASE WHEN e.score < 1 THEN e.actor END) > 0",
        actors + [since]).fetchall()
    rows.sort(key=lambda r: (-r[4], -r[4] / r[3]))  # most learners wrong first, then the share
    found = []
    for pack_id, resource_id, question, tried, wrong, title in rows[:limit]:
        prompt, choices = _question_text(db, pack_id, resource_id, question, language)
        answers = db.execute(
            "SELECT json_extract(data, '$.choice') AS c, count(*) FROM events WHERE verb = 'answered' "
            f"AND pack_id = ? AND resource_id = ? AND json_extract(data, '$.question') = ? AND score < 1 "
            f"AND c IS NOT NULL AND actor IN ({marks}) AND {progress.event_time_sql()} >= ? "
            "GROUP BY c ORDER BY count(*) DESC, c LIMIT 3",
            [pack_id, resource_id, question] + actors + [since]).fetchall()
        found.append({"pack_id": pack_id, "resource_id": resource_id, "question": question,
                      "title": title or resource_id, "prompt": prompt, "tried": tried, "wrong": wrong,
                      "answers": [(", ".join(choices.get(c, c) for c in str(choice).split(",")), times)
                                  for choice, times in answers]})
    return found


def checkins(db: Database, group_id: int, tz: str, k: int, now: dt.datetime | None = None) -> dict:
    """This week's check-ins of the group as children per band (each child's latest mood).

    A band below k children is None (suppressed); the total is shown only when no band is
    suppressed, so that no suppressed band can be worked out from the others. Fewer than k
    children in all: nothing but `too_few`.
    """
    now = now or clock.now()
    actors = [p["actor"] for p in _members(db, group_id)]
    latest: dict[str, int] = {}
    if actors:
        marks = ",".join("?" * len(actors))
        for actor, mood in db.execute(
                f"SELECT actor, json_extract(data, '$.mood') FROM events WHERE verb = 'checked_in' "
                f"AND actor IN ({marks}) AND {progress.event_time_sql()} >= ? "
                f"ORDER BY {progress.event_time_sql()}", actors + [_iso(week_start(now, tz))]):
            latest[actor] = mood  # ordered by time: the last one stays
    children = len(latest)
    if children < max(1, k):
        return {"too_few": True, "bands": [], "total": None, "k": k}
    bands = []
    for name, moods in MOOD_BANDS:
        count = sum(1 for mood in latest.values() if mood in moods)
        bands.append({"band": name, "count": count if count == 0 or count >= k else None})
    # Zero is safe to show; a single hidden band next to a total could be recovered.
    hidden = any(b["count"] is None for b in bands)
    return {"too_few": False, "bands": bands, "total": None if hidden else children, "k": k}
