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
    try:
        db = connect(path)
        migrate(db)
    except sqlite3.DatabaseError as exc:
        raise DatabaseError(
            f"database {path} cannot be read ({exc}); restore a backup with "
            f"`hub restore {Path(data_dir) / 'backups'}/<newest>.db`"
        ) from None
    return db


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
