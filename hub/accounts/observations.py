"""Life-skills observations: a facilitator's rubric scores for a learner, one row a day."""
from __future__ import annotations

import datetime as dt

from sqlite_utils import Database

from hub.accounts.facilitators import FacilitatorError
from hub.core import clock

RUBRIC = ("confidence", "collaboration", "curiosity")
# Each rubric skill is scored on this scale (1 = not yet ... 4 = always).
SCORE_MIN, SCORE_MAX = 1, 4


def record_observation(db: Database, learner_id: int, observed_on: str, scores: dict,
                       facilitator_id: int | None = None) -> None:
    """Store (or replace) one day's rubric scores (each SCORE_MIN..SCORE_MAX or None) for a learner."""
    try:
        day = dt.date.fromisoformat(observed_on).isoformat()
    except (TypeError, ValueError):
        raise FacilitatorError("date", "use the form YYYY-MM-DD") from None
    values = {}
    for name in RUBRIC:
        value = scores.get(name)
        if value in (None, ""):
            values[name] = None
            continue
        try:
            value = int(value)
        except (TypeError, ValueError):
            raise FacilitatorError(name, f"choose {SCORE_MIN} to {SCORE_MAX}") from None
        if not SCORE_MIN <= value <= SCORE_MAX:
            raise FacilitatorError(name, f"choose {SCORE_MIN} to {SCORE_MAX}")
        values[name] = value
    if all(v is None for v in values.values()):
        raise FacilitatorError("observation", "choose at least one score")
    db.execute(
        "INSERT INTO observations (learner_id, observed_on, confidence, collaboration, curiosity, "
        "facilitator_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?) "
        "ON CONFLICT(learner_id, observed_on) DO UPDATE SET confidence = excluded.confidence, "
        "collaboration = excluded.collaboration, curiosity = excluded.curiosity, "
        "facilitator_id = excluded.facilitator_id",
        [learner_id, day, values["confidence"], values["collaboration"], values["curiosity"],
         facilitator_id, clock.iso()])


def observations(db: Database, learner_id: int) -> list[dict]:
    """Return a learner's observations, newest first."""
    rows = db.execute(
        "SELECT observed_on, confidence, collaboration, curiosity FROM observations "
        "WHERE learner_id = ? ORDER BY observed_on DESC", [learner_id])
    return [dict(zip(("observed_on",) + RUBRIC, row)) for row in rows]


def observation_averages(db: Database, start: str, end: str) -> dict:
    """Average rubric scores and the number of learners observed between two dates (inclusive)."""
    row = db.execute(
        "SELECT count(DISTINCT learner_id), avg(confidence), avg(collaboration), avg(curiosity) "
        "FROM observations WHERE observed_on BETWEEN ? AND ?", [start, end]).fetchone()
    return {"learners": row[0], **{name: row[i + 1] for i, name in enumerate(RUBRIC)}}
