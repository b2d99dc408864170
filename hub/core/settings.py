"""Hub settings chosen by facilitators at run time (hub name, sign-up, ...), kept in SQLite."""
from __future__ import annotations

import json

from sqlite_utils import Database

# The longest hub name, in characters (the setup and settings forms refuse longer ones).
HUB_NAME_MAX = 80

DEFAULTS = {
    "hub_name": "Community Learning Hub",
    "self_signup": True,
    "community_page": False,
    "bundled_packs_installed": False,
    # True while a first start's child process installs the bundled packs (hub.ops.bundled).
    "bundled_packs_preparing": False,
    # A facilitator session ends after this many minutes without a request (hub.web.guard).
    "facilitator_idle_minutes": 30,
    # What /signin shows: "groups" (a class picks its group, then a name) or "typed" (no
    # names at all: a child types their own name).
    "signin_list": "groups",
    # How many nightly backups HUB_DATA_DIR/backups keeps (hub.ops.backup).
    "backup_keep": 7,
    # Shared phones: sign a child out after this many idle minutes (0: never).
    "shared_device_idle_minutes": 0,
    # Show a child's repeated very sad check-ins on that child's facilitator page.
    "show_very_sad_checkins": False,
}
BACKUP_KEEP_RANGE = (1, 60)
SIGNIN_LISTS = ("groups", "typed")
IDLE_MINUTES_RANGE = (5, 480)


def get(db: Database, key: str):
    """Return one setting, or its default."""
    row = db.execute("SELECT value FROM settings WHERE key = ?", [key]).fetchone()
    return json.loads(row[0]) if row else DEFAULTS.get(key)


def set(db: Database, key: str, value) -> None:  # noqa: A001 - reads well as settings.set
    """Store one setting (JSON-encoded)."""
    db.execute(
        "INSERT INTO settings (key, value) VALUES (?, ?) "
        "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        [key, json.dumps(value)],
    )


def all_settings(db: Database) -> dict:
    """Return every setting with defaults filled in."""
    values = dict(DEFAULTS)
    for key, value in db.execute("SELECT key, value FROM settings"):
        values[key] = json.loads(value)
    return values
