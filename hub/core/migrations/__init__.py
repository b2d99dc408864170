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
    migrations.apply(db, stop_before=stop_before)


def names() -> list[str]:
    """Return the names of all steps, in order."""
    return [m.name for m in migrations._migrations]
