"""The central's database connection: SQLite (embedded default) or PostgreSQL (psycopg 3).

HUB_CENTRAL_DATABASE_URL unset: SQLite in HUB_CENTRAL_DATA_DIR; `postgresql://...`: PostgreSQL.
The store writes its SQL once, with `?` placeholders and the subset both engines share
(ON CONFLICT upserts, RETURNING); this module turns `?` into psycopg's `%s` and hands each
thread its own connection, as waitress serves a request per thread.
"""
from __future__ import annotations

import contextlib
import sqlite3
import threading
from pathlib import Path

DB_NAME = "central.db"


class DatabaseError(Exception):
    """The database cannot be reached or opened (a clear message for the operator)."""


def is_postgres_url(url: str | None) -> bool:
    """True when the URL names a PostgreSQL server."""
    return bool(url) and url.split(":", 1)[0] in ("postgresql", "postgres")


class Database:
    """One database, one connection per thread; `tx()` for a transaction, else autocommit."""

    dialect = "sqlite"
    integrity_errors: tuple = (sqlite3.IntegrityError,)

    def __init__(self, path: Path):
        self.path = path
        self._local = threading.local()
        self._all: list = []
        self._lock = threading.Lock()

    def _open(self):
        conn = sqlite3.connect(self.path, timeout=30, isolation_level=None, check_same_thread=False)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=FULL")
        conn.execute("PRAGMA busy_timeout=30000")
        return conn

    def conn(self):
        """This thread's connection (opened on first use)."""
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = self._open()
            self._local.conn = conn
            with self._lock:
                self._all.append(conn)
        return conn

    def sql(self, text: str) -> str:
        """The statement in this engine's placeholder style."""
        return text

    def execute(self, text: str, params=()) -> list[tuple]:
        """Run one statement; its rows (empty when it returns none)."""
        cursor = self.conn().execute(self.sql(text), list(params))
        return cursor.fetchall() if cursor.description else []

    def executemany(self, text: str, rows: list) -> None:
        """Run one statement for many parameter rows."""
        if rows:
            self.conn().executemany(self.sql(text), rows)

    @contextlib.contextmanager
    def tx(self):
        """A write transaction (SQLite: BEGIN IMMEDIATE, so writers queue instead of failing)."""
        conn = self.conn()
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield self
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")

    def lock_for_migrations(self):
        """Held while migrating, so two processes starting together migrate once."""
        return self.tx()

    def close(self) -> None:
        """Close every connection this database opened."""
        with self._lock:
            for conn in self._all:
                with contextlib.suppress(Exception):
                    conn.close()
            self._all.clear()
        self._local = threading.local()


class PostgresDatabase(Database):
    """PostgreSQL through psycopg 3: the same interface, autocommit unless in `tx()`."""

    dialect = "postgresql"

    def __init__(self, url: str):
        try:
            import psycopg
        except ImportError as exc:  # pragma: no cover - psycopg is a dependency
            raise DatabaseError("HUB_CENTRAL_DATABASE_URL names PostgreSQL but psycopg is not installed") from exc
        super().__init__(Path("."))
        self.url = url
        self._psycopg = psycopg
        self.integrity_errors = (psycopg.errors.IntegrityError,)

    def _open(self):
        try:
            return self._psycopg.connect(self.url, autocommit=True, connect_timeout=10)
        except self._psycopg.OperationalError as exc:
            raise DatabaseError(f"HUB_CENTRAL_DATABASE_URL: cannot connect ({str(exc).strip()})") from exc

    def conn(self):
        conn = super().conn()
        if conn.closed or conn.broken:  # a restarted server: open a fresh connection
            self._local.conn = None
            conn = super().conn()
        return conn

    def sql(self, text: str) -> str:
        return text.replace("%", "%%").replace("?", "%s")

    def execute(self, text: str, params=()) -> list[tuple]:
        # psycopg prepares a statement once it has run a few times (prepare_threshold): the
        # receiver's handful of statements are then planned once per connection, not per report.
        cursor = self.conn().execute(self.sql(text), list(params))
        return cursor.fetchall() if cursor.description else []

    def executemany(self, text: str, rows: list) -> None:
        if rows:
            with self.conn().cursor() as cursor:
                cursor.executemany(self.sql(text), rows)

    @contextlib.contextmanager
    def tx(self):
        with self.conn().transaction():
            yield self

    @contextlib.contextmanager
    def lock_for_migrations(self):
        with self.tx():
            self.execute("SELECT pg_advisory_xact_lock(7411602)")  # one migrator at a time
            yield self


def connect(data_dir: Path, url: str | None) -> Database:
    """The database the settings name: PostgreSQL for a postgresql:// URL, else SQLite in data_dir."""
    if url and not is_postgres_url(url):
        raise DatabaseError("HUB_CENTRAL_DATABASE_URL: only postgresql://... URLs are understood")
    if url:
        return PostgresDatabase(url)
    return Database(Path(data_dir) / DB_NAME)
