"""Well-being check-ins: offered at most once a day, skippable, declinable for good.

No Flask here. A check-in is a `checked_in` event (data.mood 1..5) recorded through
hub.learning.activity; only whether and when it was offered lives on the learner's profile.
"""
from __future__ import annotations

from sqlite_utils import Database

from hub.learning import activity
from hub.learning import learners
from hub.learning import progress

MOODS = (1, 2, 3, 4, 5)  # 1 very sad ... 5 very happy


def due(db: Database, learner: dict, today: str, day_start_iso: str) -> bool:
    """True when a check-in may be offered: not declined, not offered or done today."""
    row = db.execute("SELECT checkin_declined, checkin_offered_on FROM learners WHERE id = ?",
                     [learner["id"]]).fetchone()
    if row is None or row[0] or row[1] == today:
        return False
    return not progress.checked_in_since(db, learner["actor"], day_start_iso)


def mark_offered(db: Database, learner_id: int, today: str) -> None:
    """Remember that today's check-in was offered (shown once, even if skipped)."""
    learners.mark_checkin_offered(db, learner_id, today)


def record(db: Database, learner: dict, mood: int) -> None:
    """Record a check-in as a `checked_in` event with data.mood."""
    if mood not in MOODS:
        raise ValueError("mood: must be a whole number from 1 to 5")
    activity.record_one(db, learner["actor"], "checked_in", data={"mood": mood})


def decline(db: Database, learner_id: int) -> None:
    """Never offer check-ins to this learner again (until they ask)."""
    learners.decline_checkins(db, learner_id, True)


def resume(db: Database, learner_id: int) -> None:
    """Offer check-ins again."""
    learners.decline_checkins(db, learner_id, False)
