"""The hub's SQLite database: one file in HUB_DATA_DIR, one connection per request."""
from __future__ import annotations

import sqlite3
from pathlib import Path

from sqlite_utils import Database

DB_FILE_NAME = "hub.db"


class DatabaseError(Exception):
    """The database file is missing, unreadable or corrupt; the message says how to restore."""


def db_path(data_dir: str | Path) -> Path:
    """Return the path of the hub database inside a data dir."""
    return Path(data_dir) / DB_FILE_NAME


def connect(path: str | Path) -> Database:
    """Open the database with the pragmas every connection needs.

    WAL lets readers run beside the one writer; synchronous=FULL makes every commit
    durable through a power cut (NORMAL may lose the last commits in WAL mode).
    isolation_level=None leaves transactions to db.atomic(), never implicit.
    """
    conn = sqlite3.connect(str(path), isolation_level=None, check_same_thread=False, timeout=10)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=FULL")
    conn.execute("PRAGMA foreign_keys=ON")
    conn.execute("PRAGMA busy_timeout=10000")
    return Database(conn)


def open_hub_db(data_dir: str | Path) -> Database:
    """Open the hub database and bring its schema up to date, or raise DatabaseError."""
    from hub.migrations import migrate

    path = db_path(data_dir)
    if not path.exists() and _has_run_before(Path(data_dir)):
        raise DatabaseError(_missing_message(Path(data_dir)))
    try:
        db = connect(path)
        migrate(db)
    except sqlite3.DatabaseError as exc:
        raise DatabaseError(f"database {path} cannot be read ({exc}); {_restore_hint(Path(data_dir))}") from None
    return db


def _has_run_before(data_dir: Path) -> bool:
    # Installed packs or backups without a database mean the database was lost, not new.
    return any((data_dir / name).is_dir() and any((data_dir / name).iterdir())
               for name in ("packs", "backups"))


def _restore_hint(data_dir: Path) -> str:
    from hub.backup import newest_backup

    newest = newest_backup(data_dir)
    if newest:
        return f"restore the newest backup with `hub restore {newest}`"
    return "restore a backup with `hub restore FILE`, or start empty with `hub restore --empty`"


def _missing_message(data_dir: Path) -> str:
    return (f"database {db_path(data_dir)} is missing but this hub has run before; "
            f"{_restore_hint(data_dir)}")


def init_app(app) -> None:
    """Wire a per-request connection into the Flask app (opened lazily, closed on teardown)."""
    from flask import g

    def close_db(_exc=None):
        db = g.pop("db", None)
        if db is not None:
            db.conn.close()

    app.teardown_appcontext(close_db)


def get_db() -> Database:
    """Return this request's connection, opening it on first use."""
    from flask import current_app, g

    if "db" not in g:
        g.db = connect(db_path(current_app.config["HUB_DATA_DIR"]))
    return g.db
