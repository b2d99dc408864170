"""The hub's SQLite database: one file in HUB_DATA_DIR, one connection per request."""
from __future__ import annotations

import sqlite3
from pathlib import Path

from sqlite_utils import Database
from sqlite_utils import plugins as _sqlite_utils_plugins

# sqlite-utils looks for plugins in the entry points of every installed package when it opens
# its first database: a tenth of a second of every start here (issue 22), and it would let any
# installed package hook the hub's connections. The hub uses no sqlite-utils plugins.
_sqlite_utils_plugins._plugins_loaded = True

DB_FILE_NAME = "hub.db"
BACKUP_DIR_NAME = "backups"  # nightly copies; named here so the restore hint needs no ops import
# Nightly backups: compressed since issue 17 (.db.gz); older hubs made plain .db copies.
NIGHTLY_PATTERNS = ("hub-????-??-??.db.gz", "hub-????-??-??.db")


class HubDatabase(Database):
    """sqlite-utils' Database, with scripts inside a transaction split in linear time."""

    def _executescript(self, sql: str) -> sqlite3.Cursor:
        # Inside a transaction sqlite-utils runs a script statement by statement, and finds
        # each end by joining the text again after every character and asking SQLite whether
        # it is complete: quadratic, two thirds of a first start's migrations (issue 22).
        # Asking only at each ';' finds the same ends: a complete statement ends with one.
        if not self.conn.in_transaction:
            return super()._executescript(sql)  # sqlite3's executescript, as before
        cursor = self.conn.cursor()
        for statement in split_statements(sql):  # the caller's script (literals), one by one
            cursor.execute(statement)
        return cursor


def split_statements(sql: str):
    """The complete SQL statements of a script, in order (what sqlite-utils would run)."""
    start, end = 0, sql.find(";")
    while end != -1:
        statement = sql[start:end + 1].strip()
        if statement and sqlite3.complete_statement(statement):
            yield statement
            start = end + 1
        end = sql.find(";", end + 1)
    rest = sql[start:].strip()
    if rest:
        yield rest


class DatabaseError(Exception):
    """The database file is missing, unreadable or corrupt; the message says how to restore."""


def db_path(data_dir: str | Path) -> Path:
    """Return the path of the hub database inside a data dir."""
    return Path(data_dir) / DB_FILE_NAME


def connect(path: str | Path, *, wal: bool = True) -> Database:
    """Open the database with the pragmas every connection needs.

    WAL lets readers run beside the one writer; synchronous=FULL makes every commit
    durable through a power cut (NORMAL may lose the last commits in WAL mode).
    isolation_level=None leaves transactions to db.atomic(), never implicit.
    journal_mode is stored in the file, so request connections skip setting it (wal=False).
    """
    conn = sqlite3.connect(str(path), isolation_level=None, check_same_thread=False, timeout=10)
    if wal:
        conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=FULL")
    conn.execute("PRAGMA foreign_keys=ON")
    conn.execute("PRAGMA busy_timeout=10000")
    return HubDatabase(conn)


def open_hub_db(data_dir: str | Path) -> Database:
    """Open the hub database and bring its schema up to date, or raise DatabaseError."""
    from hub.core.migrations import migrate

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
    newest = newest_backup(data_dir)
    if newest:
        return f"restore the newest backup with `hub restore {newest}`"
    return "restore a backup with `hub restore FILE`, or start empty with `hub restore --empty`"


def _missing_message(data_dir: Path) -> str:
    return (f"database {db_path(data_dir)} is missing but this hub has run before; "
            f"{_restore_hint(data_dir)}")


def newest_backup(data_dir: str | Path) -> Path | None:
    """The most recent nightly backup, if any."""
    folder = Path(data_dir) / BACKUP_DIR_NAME
    found = sorted((p for pattern in NIGHTLY_PATTERNS for p in folder.glob(pattern)),
                   key=lambda p: p.name) if folder.exists() else []
    return found[-1] if found else None
