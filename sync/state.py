"""Small key/value state of the sync side (watermarks, last success, the push lease)."""
from __future__ import annotations

import datetime as dt
import json

from sqlite_utils import Database


def get(db: Database, key: str, default=None):
    """Return one state value (JSON-decoded), or `default`."""
    row = db.execute("SELECT value FROM sync_state WHERE key = ?", [key]).fetchone()
    return json.loads(row[0]) if row else default


def put(db: Database, key: str, value) -> None:
    """Store one state value (JSON-encoded)."""
    db.execute("INSERT INTO sync_state (key, value) VALUES (?, ?) "
               "ON CONFLICT(key) DO UPDATE SET value = excluded.value", [key, json.dumps(value)])


def utc_now() -> dt.datetime:
    """The hub's clock, in UTC, to the second."""
    return dt.datetime.now(dt.timezone.utc).replace(microsecond=0)


def iso(moment: dt.datetime) -> str:
    """An instant as stored everywhere on the hub: 2024-05-02T10:00:00Z."""
    return moment.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_iso(text: str | None) -> dt.datetime | None:
    """Parse a stored instant (None stays None)."""
    if not text:
        return None
    return dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
