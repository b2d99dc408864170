"""The versions a kept learner page is keyed by: the catalog's, the lessons', one actor's.

No Flask here. The page_versions table is written by the triggers of its migration
(hub/core/migrations/m0800_page_versions.py), in the transaction of the write it follows, so
every writer (pages, the API, the command line, another process) bumps it without knowing;
and by `bump`, which the one writer of events calls once per batch (m0810: a trigger per
event row cost a tenth of event ingest).
"""
from __future__ import annotations

from sqlite_utils import Database

CATALOG = "*catalog"  # packs, settings, whether a facilitator exists
LESSONS = "*lessons"  # lessons, items, assignments, groups and members


def bump(conn, actor: str) -> None:
    """Move one actor's version on (inside the caller's transaction)."""
    conn.execute("INSERT INTO page_versions (owner, version) VALUES (?, 1)"
                 " ON CONFLICT (owner) DO UPDATE SET version = version + 1", [actor])


def catalog(conn) -> int:
    """The catalog and settings version (conn: a sqlite3 connection or a Database)."""
    row = conn.execute("SELECT version FROM page_versions WHERE owner = ?", [CATALOG]).fetchone()
    return row[0] if row else 0


def for_actor(db: Database, actor: str) -> tuple[int, int, int]:
    """(catalog, lessons, the actor's own) versions, in one read."""
    found = db.execute("SELECT (SELECT version FROM page_versions WHERE owner = ?),"
                       " (SELECT version FROM page_versions WHERE owner = ?),"
                       " (SELECT version FROM page_versions WHERE owner = ?)",
                       [CATALOG, LESSONS, actor]).fetchone()
    return found[0] or 0, found[1] or 0, found[2] or 0


def for_page(conn, actor: str, learner_id: int | None) -> tuple[int, int, int, str | None]:
    """(catalog, lessons, the actor's own) versions and the actor of learner `learner_id` (None
    when there is no such learner, or no id), in one read: a kept page of a signed-in
    learner is answered only while their row still names the same actor."""
    found = conn.execute("SELECT (SELECT version FROM page_versions WHERE owner = ?),"
                         " (SELECT version FROM page_versions WHERE owner = ?),"
                         " (SELECT version FROM page_versions WHERE owner = ?),"
                         " (SELECT actor FROM learners WHERE id = ?)",
                         [CATALOG, LESSONS, actor, learner_id]).fetchone()
    return found[0] or 0, found[1] or 0, found[2] or 0, found[3]
