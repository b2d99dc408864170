"""JSON API: sign up (/api/v1/learners), sign in and out (/api/v1/session), events.

A batch sent with `learner` (the offline queue) is taken only while that learner is signed in.
"""
from __future__ import annotations

import errno
import json
import sqlite3

from flask import Blueprint, jsonify, request

from hub.learning import activity
from hub.learning import learners
from hub.core import settings
from hub.web.db import get_db
from hub.web.http_errors import InsufficientStorage
from hub.web.security import csrf_exempt
from hub.web.views.learners import current_actor, sign_in, sign_out, signed_in_id, typed_name_fits

bp = Blueprint("api_activity", __name__, url_prefix="/api/v1")


def json_error(status: int, message: str, details: list | None = None, **headers):
    """A JSON error answer {"error", "details"?} with a status and headers."""
    body = {"error": message}
    if details is not None:
        body["details"] = details
    response = jsonify(body)
    response.status_code = status
    response.headers.update(headers)
    return response


_DISK_FULL = ("the hub's storage is full; nothing was stored. The events stay on the device "
              "and are sent again once a facilitator frees some space")


def _disk_full(exc: sqlite3.OperationalError) -> bool:
    # SQLITE_FULL ("database or disk is full"); a transaction refused whole, so nothing is half-written.
    return getattr(exc, "sqlite_errorcode", None) == sqlite3.SQLITE_FULL or "is full" in str(exc)


def json_body(limit: int):
    """The request's JSON (None when unreadable); a body over `limit` bytes is 413."""
    raw = request.stream.read(limit + 1)
    if len(raw) > limit:
        return None, json_error(413, f"the request body is larger than {limit} bytes")
    try:
        return json.loads(raw or b"null"), None
    except (ValueError, UnicodeDecodeError):
        return None, json_error(400, "the body must be JSON",
                            [{"index": None, "field": "body", "message": "is not valid JSON"}])


def _refused(exc: learners.LearnerError):
    field, _, message = str(exc).partition(": ")
    status = 409 if "taken" in message else 400
    return json_error(status, str(exc), [{"index": None, "field": field, "message": message}])


def owner_conflict(body: dict):
    """A 409 when queued items name a learner (`learner`, null: an anonymous session) other
    than the one signed in now: they are never recorded as someone else's; else None."""
    if not isinstance(body, dict) or "learner" not in body:
        return None  # a page that is open now sends for whoever is signed in
    if body["learner"] == signed_in_id():
        return None
    return json_error(409, "these were made by another learner than the one signed in now; "
                       "nothing was stored. They wait until that learner signs in again",
                  [{"index": None, "field": "learner",
                    "message": "is not the learner signed in on this browser"}])


@bp.post("/learners")
def create_learner():
    """Self sign-up: make a profile and sign it in (201 {"id"})."""
    db = get_db()
    if not settings.get(db, "self_signup"):
        return json_error(403, "self sign-up is switched off on this hub; ask a facilitator")
    body, problem = json_body(8192)
    if problem:
        return problem
    if not isinstance(body, dict):
        return json_error(400, "the body must be a JSON object",
                      [{"index": None, "field": "body", "message": "must be an object"}])
    unknown = sorted(set(body) - {"name", "pin", "avatar", "language"})
    if unknown:
        return json_error(400, "unknown fields", [{"index": None, "field": k,
                                               "message": "is not a known field"} for k in unknown])
    try:
        learner = learners.create_learner(db, body.get("name"), pin=body.get("pin"),
                                          avatar=body.get("avatar"), language=body.get("language"))
    except learners.LearnerError as exc:
        return _refused(exc)
    sign_in(learner)
    return jsonify({"id": learner["id"], "name": learner["name"],
                    "avatar": learner["avatar"]}), 201


@bp.post("/session")
def create_session():
    """Sign in as a learner, with the PIN when the profile has one (and the whole name where
    the hub lists no names)."""
    body, problem = json_body(4096)
    if problem:
        return problem
    learner_id = body.get("learner") if isinstance(body, dict) else None
    if isinstance(learner_id, str) and learner_id.isdigit():
        learner_id = int(learner_id)
    if (not isinstance(learner_id, int) or isinstance(learner_id, bool)
            or not 0 < learner_id < 2**63):  # SQLite integers are 64-bit (a bigger one was a 500)
        return json_error(400, "which learner?", [{"index": None, "field": "learner",
                                               "message": "must be a learner id"}])
    db = get_db()
    learner = learners.get_learner(db, learner_id)
    if learner is None or not typed_name_fits(learner, body.get("name")):
        return json_error(404, "no such learner")
    pin = body.get("pin")
    if learner["has_pin"] and pin is None:
        return json_error(401, "this profile needs its PIN")
    try:
        if not learners.check_pin(db, learner_id, pin):
            return json_error(401, "wrong PIN")
    except learners.PinLocked as exc:
        return json_error(429, "too many wrong PINs; try again later",
                      **{"Retry-After": str(exc.retry_after)})
    sign_in(learner)
    return jsonify({"id": learner["id"], "name": learner["name"], "avatar": learner["avatar"]})


@bp.delete("/session")
@csrf_exempt  # a browser cannot send a cross-site DELETE without a preflight we never grant
def delete_session():
    """Sign out (the browser goes back to an anonymous session)."""
    sign_out()
    return jsonify({"status": "signed out"})


@bp.post("/events")
def post_events():
    """Record a batch of events for the signed-in learner (or this anonymous session)."""
    payload, problem = json_body(activity.MAX_BODY_BYTES)
    if problem:
        return problem
    db = get_db()
    try:
        events = activity.parse_batch(db, payload)
        conflict = owner_conflict(payload)
        if conflict:
            return conflict
        recorded = activity.record(db, current_actor(), events)
    except activity.BatchRefused as exc:
        return json_error(exc.status, exc.error, exc.details)
    except sqlite3.OperationalError as exc:
        if _disk_full(exc):
            raise InsufficientStorage(_DISK_FULL) from None
        # The database stayed locked past busy_timeout: nothing was stored; the client retries.
        return json_error(503, "the hub is busy; nothing was stored, please retry", **{"Retry-After": "2"})
    except OSError as exc:
        if exc.errno != errno.ENOSPC:
            raise
        raise InsufficientStorage(_DISK_FULL) from None
    return jsonify({"accepted": recorded.accepted, "duplicates": recorded.duplicates})
