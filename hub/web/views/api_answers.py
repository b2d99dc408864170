"""POST /api/v1/answers: an exercise answer checked by the hub's own checker (contract, "Events").

The same checker answers the HTML question form (hub.web.views.learner_resources); the offline
queue replays the answers a phone kept through this endpoint. A repeated `id` is a duplicate
and changes nothing. Answers queued for another learner than the one signed in are refused
(409), never recorded as someone else's.
"""
from __future__ import annotations

import uuid

from flask import Blueprint, jsonify
from flask_babel import get_locale

from hub.core import clock
from hub.learning import activity, answers, event_time, exercises, hub_clock
from hub.web.db import get_db
from hub.web.views.api_activity import json_body, json_error, owner_conflict
from hub.web.views.learners import current_actor

bp = Blueprint("api_answers", __name__, url_prefix="/api/v1")
FIELDS = {"id", "resource", "question", "answer", "timestamp", "sent_at", "learner"}
MAX_BODY_BYTES = 16 * 1024


def _bad(field: str, message: str):
    return json_error(400, "the answer was refused; nothing was stored",
                  [{"index": None, "field": field, "message": message}])


def _given(value, kind: str):
    """The answer as the checker takes it, or None when it cannot be one for this question."""
    if kind == "multiple_choice":
        ok = isinstance(value, list) and value and all(isinstance(v, str) and v for v in value)
        return [v[:64] for v in value][:32] if ok else None
    if isinstance(value, bool):
        return None
    if kind == "numeric":
        return value if exercises.parse_number(value) is not None else None
    return value.strip()[:500] if isinstance(value, str) and value.strip() else None


@bp.post("/answers")
def post_answer():
    """Check one answer on the hub and record it: {"correct", "feedback", "mastered", "duplicate"}."""
    body, problem = json_body(MAX_BODY_BYTES)
    if problem:
        return problem
    if not isinstance(body, dict):
        return _bad("body", "must be a JSON object")
    for key in sorted(set(body) - FIELDS):
        return _bad(key, "is not a known field")
    for key in ("id", "resource", "question", "answer", "timestamp"):
        if body.get(key) is None:
            return _bad(key, "is required")
    try:
        answer_id = str(uuid.UUID(body["id"])) if isinstance(body["id"], str) else None
    except ValueError:
        answer_id = None
    if answer_id is None:
        return _bad("id", "must be a UUID made by the client, such as crypto.randomUUID()")
    resource_key = body["resource"]
    if not isinstance(resource_key, str) or resource_key.count("/") != 1 or len(resource_key) > 200:
        return _bad("resource", "must be 'pack_id/resource_id'")
    db = get_db()
    resource = activity.find_resource(db, *resource_key.split("/"))
    if resource is None or not resource.get("pack_enabled", True) or resource.get("kind") != "exercise":
        return _bad("resource", "no such exercise on this hub")
    try:
        exercise = exercises.load(db, resource)
        question = exercises.question(exercise, body["question"]) if isinstance(body["question"], str) else None
    except exercises.ExerciseError:
        question = None
    if question is None:
        return _bad("question", "no such question in this exercise")
    given = _given(body["answer"], question["type"])
    if given is None:
        return _bad("answer", "must be a choice id, a list of choice ids, a number or a text, "
                              "as the question asks")
    timestamp, why = event_time.parse_instant(body["timestamp"])
    if why:
        return _bad("timestamp", why)
    sent_at = None
    if body.get("sent_at") is not None:
        sent_at, why = event_time.parse_instant(body["sent_at"])
        if why:
            return _bad("sent_at", why)
    why = event_time.future_problem(timestamp, sent_at, clock.now(), hub_clock.offset_s(db))
    if why:
        return _bad("timestamp", why)
    owner = activity.owner_field_problem(body)
    if owner:
        return _bad(owner["field"], owner["message"])
    conflict = owner_conflict(body)
    if conflict:
        return conflict
    result = answers.answer(db, current_actor(), resource, question["id"], given,
                            language=str(get_locale()), event_id=answer_id,
                            timestamp=timestamp, sent_at=sent_at)
    return jsonify({"correct": result["correct"], "feedback": result["feedback"],
                    "mastered": result["mastered"], "duplicate": result["duplicate"]})
