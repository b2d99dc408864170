"""Small key/value state of the sync side (watermarks, last success, the push lease)."""
from __future__ import annotations

import contextlib
import datetime as dt
import json

from sqlite_utils import Database

from hub.core.clock import iso, now as utc_now  # noqa: F401 - the hub's one clock, as sync names it


def get(db: Database, key: str, default=None):
    """Return one state value (JSON-decoded), or `default`."""
    row = db.execute("SELECT value FROM sync_state WHERE key = ?", [key]).fetchone()
    return json.loads(row[0]) if row else default


def put(db: Database, key: str, value) -> None:
    """Store one state value (JSON-encoded)."""
    db.execute("INSERT INTO sync_state (key, value) VALUES (?, ?) "
               "ON CONFLICT(key) DO UPDATE SET value = excluded.value", [key, json.dumps(value)])


def delete(db: Database, key: str) -> None:
    """Forget one state value."""
    db.execute("DELETE FROM sync_state WHERE key = ?", [key])


@contextlib.contextmanager
def writing(db: Database):
    """A transaction that takes the write lock at once (BEGIN IMMEDIATE).

    For a step that reads, then writes what it read: in a deferred transaction (db.atomic)
    another connection's commit in between makes SQLite refuse the write at once with
    "database is locked", without waiting; IMMEDIATE waits its turn (busy_timeout) instead.
    Inside an open transaction it is a savepoint, like db.atomic.
    """
    if db.conn.in_transaction:
        with db.atomic():
            yield db
        return
    db.execute("BEGIN IMMEDIATE")
    try:
        yield db
    except BaseException:
        db.execute("ROLLBACK")
        raise
    db.execute("COMMIT")


def parse_iso(text: str | None) -> dt.datetime | None:
    """Parse a stored instant (None stays None)."""
    if not text:
        return None
    return dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
