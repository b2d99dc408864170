"""The heartbeat sent with every push: that the hub lives, and what it runs. No learner data.

    {"schema": "hub-heartbeat/1", "hub_id", "sent_at", "version", "packs": [{"id", "version"}],
     "disk_free_mb", "last_event_day"}

It is signed like a report and posted to /api/v1/heartbeat. An older central answers 404;
that, and any other failure, never stops or fails a push: the next push sends a new one.
"""
from __future__ import annotations

import json
import logging
import shutil
from importlib import metadata
from zoneinfo import ZoneInfo

from sqlite_utils import Database

from hub.core.clock import hub_timezone
from sync import client, state, upstream
from sync.errors import SyncError

SCHEMA = "hub-heartbeat/1"
log = logging.getLogger("hub.sync")


def _version() -> str:
    try:
        return metadata.version("community-learning-hub")
    except metadata.PackageNotFoundError:
        return "unknown"


def build(db: Database, settings: dict, now=None) -> dict:
    """This hub's heartbeat as of now."""
    now = now or state.utc_now()
    packs = [{"id": p, "version": v} for p, v in db.execute("SELECT id, version FROM packs ORDER BY id")]
    newest = db.execute("SELECT max(received_at) FROM events").fetchone()[0]
    last_day = None
    if newest:
        last_day = state.parse_iso(newest).astimezone(ZoneInfo(hub_timezone(db, settings))).date().isoformat()
    free = shutil.disk_usage(settings["HUB_DATA_DIR"]).free
    return {"schema": SCHEMA, "hub_id": upstream.config(settings)["hub_id"], "sent_at": state.iso(now),
            "version": _version(), "packs": packs, "disk_free_mb": free // (1024 * 1024),
            "last_event_day": last_day}


def send(db: Database, settings: dict) -> str:
    """Send a heartbeat; "sent", "not supported" (an older central) or why it failed. Never raises."""
    up = upstream.config(settings)
    if not (up["url"] and up["hub_id"] and up["secret"]):
        return "not set up"
    body = json.dumps(build(db, settings), separators=(",", ":")).encode("utf-8")
    try:
        status = client.post_heartbeat(up["url"], up["hub_id"], up["secret"], body)
    except SyncError as exc:
        log.info("heartbeat: %s", exc)
        return str(exc)
    if status == 404:
        return "not supported"
    return "sent" if 200 <= status < 300 else f"refused ({status})"
