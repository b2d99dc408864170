"""A learner answers a question: checked by hub.learning.exercises, recorded as an event.

Checking (exercises) and recording (activity) stay apart: activity needs an exercise's mastery
rule to record an answer, so the one place that does both sits above them.
"""
from __future__ import annotations

from sqlite_utils import Database

from hub.learning import activity, exercises, progress


def answer(db: Database, actor: str, resource: dict, question_id: str, given, *,
           language: str, event_id: str | None = None, timestamp=None, sent_at=None) -> dict:
    """Check one answer, record it as an `answered` event, and say what to show next.

    Returns {correct, feedback, mastered, newly_mastered, next_id, duplicate}. Repeating
    `event_id` (a form posted twice) records nothing the second time. `timestamp` and
    `sent_at` (a phone's clock) date an answer that waited on the phone (hub.learning.event_time).
    """
    exercise = exercises.load(db, resource)
    q = exercises.question(exercise, question_id)
    correct = exercises.is_correct(q, given)
    pid, rid = resource["pack_id"], resource["id"]
    before = progress.resource_progress(db, actor, pid, rid)
    recorded = activity.record_one(db, actor, "answered", pid, rid, id=event_id,
                                   score=1.0 if correct else 0.0, data=exercises.answer_data(q, question_id, given),
                                   mastery=exercises.mastery_rule(db, resource),
                                   timestamp=timestamp, sent_at=sent_at)
    after = progress.resource_progress(db, actor, pid, rid)
    ids = [x["id"] for x in exercise["questions"]]
    position = ids.index(question_id)
    return {
        "correct": correct,
        "feedback": exercises.feedback(q, given, correct, language, exercise["languages"]),
        "mastered": bool(after and after["mastered_at"]),
        "newly_mastered": bool(after and after["mastered_at"]) and not (before and before["mastered_at"]),
        "next_id": ids[position + 1] if position + 1 < len(ids) else None,
        "duplicate": recorded.duplicates > 0,
    }
