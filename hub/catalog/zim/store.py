"""The zim_archives table: which packs are ZIM archives, and where their files are."""
from __future__ import annotations

import sqlite3

from sqlite_utils import Database

COLUMNS = ("pack_id", "path", "by_reference", "uuid", "language", "main_path", "size",
           "article_count", "has_fulltext", "installed_at")


def _has_table(db: Database) -> bool:
    return "zim_archives" in db.table_names()


def get(db: Database, pack_id: str, *, enabled_only: bool = True) -> dict | None:
    """The ZIM row of a pack (with its title), or None when the pack is not a ZIM."""
    sql = ("SELECT z.*, p.title AS pack_title, p.enabled FROM zim_archives z "
           "JOIN packs p ON p.id = z.pack_id WHERE z.pack_id = ?")
    if enabled_only:
        sql += " AND p.enabled = 1"
    # One statement, asked on every /content request: no table list, no savepoint.
    try:
        cursor = db.execute(sql, [pack_id])
    except sqlite3.OperationalError:
        if _has_table(db):
            raise
        return None  # a database from before the ZIM migration
    row = cursor.fetchone()
    return dict(zip([d[0] for d in cursor.description], row)) if row else None


def enabled(db: Database) -> list[dict]:
    """Every installed, enabled ZIM pack, in install order."""
    # One statement, asked on every search: no table list first (as `get`).
    try:
        cursor = db.execute(
            "SELECT z.*, p.title AS pack_title FROM zim_archives z JOIN packs p ON p.id = z.pack_id "
            "WHERE p.enabled = 1 ORDER BY z.installed_at, z.pack_id")
    except sqlite3.OperationalError:
        if _has_table(db):
            raise
        return []  # a database from before the ZIM migration
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row)) for row in cursor.fetchall()]


def put(db: Database, row: dict) -> None:
    """Insert or replace the ZIM row of a pack (inside the caller's transaction)."""
    db["zim_archives"].insert({k: row[k] for k in COLUMNS}, replace=True)
