"""Receiving one report (a POST or a bundle entry): verify, validate, store. No Flask here."""
from __future__ import annotations

import hmac
import json
import zlib

from sync import client, report, state
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


def receive(store: Store, hub_id: str | None, signature: str | None, body: bytes,
            encoding: str = "", received_at: str | None = None) -> tuple[int, dict]:
    """(HTTP status, JSON answer) for a report body exactly as sent."""
    if len(body) > MAX_BODY_BYTES:
        return 413, {"error": f"the body is larger than {MAX_BODY_BYTES} bytes"}
    secret = store.hub_secret(hub_id) if hub_id else None
    if secret is None:
        return 401, {"error": "unknown hub: register it with `hub-central hubs add`"}
    # Hex digits may come in either case; bytes, since compare_digest refuses non-ASCII text.
    given = (signature or "").strip().lower().encode("utf-8", "replace")
    if not given or not hmac.compare_digest(client.sign(secret, body).encode("ascii"), given):
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
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError) as exc:
        return 400, {"error": "invalid report", "details": [{"field": "(body)", "message": f"not JSON: {exc}"}]}
    problems = report.validate(data)
    if problems:
        return 400, {"error": "invalid report", "details": problems}
    if data["hub_id"] != hub_id:
        return 400, {"error": "invalid report", "details": [
            {"field": "hub_id", "message": "the report names another hub than X-Hub-Id"}]}
    status = store.save_report(hub_id, data, received_at or state.iso(state.utc_now()))
    return 200, {"status": status}
