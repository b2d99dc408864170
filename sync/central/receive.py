"""Receiving one report or heartbeat (a POST or a bundle entry): verify, validate, store. No Flask here.

A body signed by a registered hub but refused (invalid, wrong week) is remembered on the hub,
so that the alerts can say "its last report was refused".
"""
from __future__ import annotations

import datetime as dt
import hmac
import json
import zlib

from sync import client, state
from sync.central import validation
from sync.central.store import Store

MAX_BODY_BYTES = 1024 * 1024          # as sent (gzip or not)
MAX_REPORT_BYTES = 8 * 1024 * 1024    # once unpacked: a gzip bomb stops here


def _inflate(body: bytes) -> bytes | None:
    inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
    try:
        out = inflater.decompress(body, MAX_REPORT_BYTES + 1)
    except zlib.error:
        return None
    return None if len(out) > MAX_REPORT_BYTES or not inflater.eof else out


def _no_constant(name: str):
    # JSON has no NaN or Infinity; Python's reader takes them, and no column or sum can hold them.
    raise ValueError(f"{name} is not a JSON number")


LARGEST_INTEGER = 2**31 - 1  # revision and k: an INTEGER column on both engines
LARGEST_VALUE = 2**53        # above it a value is no longer exact in the REAL column


def storable_problems(report: dict) -> list[dict]:
    """Numbers the schema takes but no column holds (a revision of 2**31, a value of 10**400):
    refused in words, not a database error."""
    found = [{"field": field, "message": f"must be at most {LARGEST_INTEGER}"}
             for field in ("revision", "k_threshold") if report[field] > LARGEST_INTEGER]
    for index, row in enumerate(report["metrics"]):
        if row["value"] is not None and row["value"] > LARGEST_VALUE:
            found.append({"field": f"metrics[{index}].value", "message": f"must be at most {LARGEST_VALUE}"})
    return found


def week_problems(report: dict) -> list[dict]:
    """A weekly period must be one closed ISO week: Monday to the Sunday after it."""
    period = report["period"]
    if period.get("kind") != "week":
        return []
    start, end = dt.date.fromisoformat(period["start"]), dt.date.fromisoformat(period["end"])
    if start.weekday() != 0 or end - start != dt.timedelta(days=6):
        return [{"field": "period", "message": "a week runs from a Monday to the Sunday after it"}]
    return []


def _verified(store: Store, hub_id: str | None, signature: str | None, body: bytes,
              encoding: str) -> tuple[int, dict] | dict:
    """The JSON a hub signed, or (status, answer) refusing it."""
    if len(body) > MAX_BODY_BYTES:
        return 413, {"error": f"the body is larger than {MAX_BODY_BYTES} bytes"}
    secret = store.hub_secret(hub_id) if hub_id else None
    if secret is None:
        return 401, {"error": "unknown hub: register it with `hub-central hubs add`"}
    # Hex digits may come in either case; bytes, since compare_digest refuses non-ASCII text.
    given = (signature or "").strip().lower().encode("utf-8", "replace")
    if not given:
        return 401, {"error": "bad signature: the body was not signed with this hub's secret"}
    if not hmac.compare_digest(client.sign(secret, body).encode("ascii"), given):
        # The secret may have come from memory while the hub's key changed: read it once more.
        secret = store.hub_secret(hub_id, fresh=True)
        if secret is None or not hmac.compare_digest(client.sign(secret, body).encode("ascii"), given):
            return 401, {"error": "bad signature: the body was not signed with this hub's secret"}
    encoding = (encoding or "").strip().lower()
    if encoding == "gzip":
        body = _inflate(body)
        if body is None:
            return 400, {"error": "invalid report", "details": [
                {"field": "(body)", "message": "not a complete gzip stream, or too large unpacked"}]}
    elif encoding not in ("", "identity"):
        return 400, {"error": "invalid report", "details": [
            {"field": "Content-Encoding", "message": "only gzip is accepted"}]}
    try:
        data = json.loads(body, parse_constant=_no_constant)
    except (ValueError, UnicodeDecodeError) as exc:
        return 400, {"error": "invalid report", "details": [{"field": "(body)", "message": f"not JSON: {exc}"}]}
    return data


def _refuse(store: Store, hub_id: str, answer: tuple[int, dict], at: str, what: str) -> tuple[int, dict]:
    status, body = answer
    if status == 400:  # signed by the hub, so its own fault: worth an alert
        details = "; ".join(f"{d['field']}: {d['message']}" for d in body.get("details", []))
        store.note_refusal(hub_id, at, f"{what}: {details or body['error']}")
    return answer


def receive(store: Store, hub_id: str | None, signature: str | None, body: bytes,
            encoding: str = "", received_at: str | None = None) -> tuple[int, dict]:
    """(HTTP status, JSON answer) for a report body exactly as sent."""
    at = received_at or state.iso(state.utc_now())
    data = _verified(store, hub_id, signature, body, encoding)
    if isinstance(data, tuple):
        return _refuse(store, hub_id, data, at, "report")
    problems = validation.problems(data)
    problems = problems or storable_problems(data) or week_problems(data)
    if not problems and data["hub_id"] != hub_id:
        problems = [{"field": "hub_id", "message": "the report names another hub than X-Hub-Id"}]
    if problems:
        return _refuse(store, hub_id, (400, {"error": "invalid report", "details": problems}), at, "report")
    return 200, {"status": store.save_report(hub_id, data, at)}


def receive_heartbeat(store: Store, hub_id: str | None, signature: str | None, body: bytes,
                      encoding: str = "", received_at: str | None = None) -> tuple[int, dict]:
    """(HTTP status, JSON answer) for a heartbeat body exactly as sent (signed like a report)."""
    from sync.central import heartbeat

    at = received_at or state.iso(state.utc_now())
    data = _verified(store, hub_id, signature, body, encoding)
    if isinstance(data, tuple):
        status, answer = data
        return status, ({**answer, "error": "invalid heartbeat"} if status == 400 else answer)
    problems = heartbeat.validate(data, hub_id)
    if problems:
        return 400, {"error": "invalid heartbeat", "details": problems}
    store.save_heartbeat(hub_id, data, at)
    return 200, {"status": "stored"}
