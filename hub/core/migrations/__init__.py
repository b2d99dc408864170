"""Named, ordered schema steps, recorded in the database by sqlite-utils' Migrations.

Each step lives in its own module `mNNNN_name.py` and registers itself on `migrations`;
modules are imported in name order, so the number decides the order. Ranges by owner:
0001-0099 foundation, 0100 packs/catalog, 0200 learners/activity, 0300 facilitator,
0400 sync/metrics, 0500 device, 0600 zim. Never edit a released step: add a new one.
"""
from __future__ import annotations

import importlib
import pkgutil

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

migrations = Migrations("hub")

for _module in sorted(m.name for m in pkgutil.iter_modules(__path__) if m.name.startswith("m")):
    importlib.import_module(f"{__name__}.{_module}")


def migrate(db: Database, stop_before: str | None = None) -> None:
    """Apply every pending step (or those before `stop_before`) in order."""
    if db.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
        migrations.apply(db, stop_before=stop_before)
        return
    # Each step commits with its record. In WAL mode, synchronous=NORMAL leaves out the
    # fsync of each commit (17 on a first start: a third of a second on an SD card) and
    # never corrupts the file: a power cut can only undo the last steps, which are then
    # still pending and run again at the next start. The next commit at FULL (the
    # connection's setting, restored here) makes them durable with it.
    db.execute("PRAGMA synchronous=NORMAL")
    try:
        migrations.apply(db, stop_before=stop_before)
    finally:
        db.execute("PRAGMA synchronous=FULL")


def names() -> list[str]:
    """Return the names of all steps, in order."""
    return [m.name for m in migrations._migrations]
