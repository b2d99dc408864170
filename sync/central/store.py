"""The central's storage, behind this one module: hubs, users, reports and their metric rows.

SQLite in HUB_CENTRAL_DATA_DIR today. A PostgreSQL backend implements the same Store methods
(the SQL is plain and parameterised); the views, the receiver and the CLI only call these.
Hub secrets are kept encrypted (Fernet, AES-128-CBC + HMAC) with a key file beside the
database: HMAC verification needs the secret itself, so a one-way hash cannot be used.
"""
from __future__ import annotations

import datetime as dt
import json
import os
import sqlite3
import threading
from pathlib import Path

from cryptography.fernet import Fernet

SCHEMA = """
CREATE TABLE IF NOT EXISTS hubs (
    hub_id TEXT PRIMARY KEY, secret_box BLOB NOT NULL, created_at TEXT NOT NULL, last_report_at TEXT);
CREATE TABLE IF NOT EXISTS users (
    username TEXT PRIMARY KEY, password_hash TEXT NOT NULL, created_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS reports (
    hub_id TEXT NOT NULL, report_id TEXT NOT NULL, revision INTEGER NOT NULL,
    period_start TEXT NOT NULL, period_end TEXT NOT NULL, generated_at TEXT NOT NULL,
    received_at TEXT NOT NULL, k_threshold INTEGER NOT NULL,
    PRIMARY KEY (hub_id, report_id));
CREATE TABLE IF NOT EXISTS metric_rows (
    hub_id TEXT NOT NULL, report_id TEXT NOT NULL, period_start TEXT NOT NULL,
    period_end TEXT NOT NULL, metric TEXT NOT NULL, dims TEXT NOT NULL, value REAL,
    suppressed INTEGER NOT NULL, revision INTEGER NOT NULL, received_at TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS metric_rows_report ON metric_rows (hub_id, report_id);
CREATE INDEX IF NOT EXISTS metric_rows_metric ON metric_rows (metric, period_start);
"""
DB_NAME = "central.db"
KEY_NAME = "hub-secrets.key"


def period_kind(start: str, end: str) -> str:
    """"week" for a Monday-to-Sunday report (second wave), "day" for a first-wave daily one."""
    first, last = dt.date.fromisoformat(start), dt.date.fromisoformat(end)
    return "week" if first.weekday() == 0 and (last - first).days == 6 else "day"


def _private_file(path: Path, data: bytes) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)


class Store:
    """One central database (thread-safe: one connection per thread)."""

    def __init__(self, data_dir: str | Path):
        self.dir = Path(data_dir)
        self.dir.mkdir(parents=True, exist_ok=True)
        self.path = self.dir / DB_NAME
        key = self.dir / KEY_NAME
        if not key.exists():
            try:
                _private_file(key, Fernet.generate_key())
            except FileExistsError:
                pass  # another process made it first
        self._box = Fernet(key.read_bytes().strip())
        self._local = threading.local()
        with self._conn() as conn:
            conn.execute("PRAGMA journal_mode=WAL")
            conn.executescript(SCHEMA)

    def _conn(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(self.path, timeout=30, isolation_level=None, check_same_thread=False)
            conn.execute("PRAGMA synchronous=FULL")
            conn.execute("PRAGMA busy_timeout=30000")
            self._local.conn = conn
        return conn

    def close(self) -> None:
        """Close this thread's connection."""
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            conn.close()
            self._local.conn = None

    # hubs ---------------------------------------------------------------------------------
    def add_hub(self, hub_id: str, secret: str, now: str) -> bool:
        """Register a hub with its secret (encrypted); False when the id is taken."""
        try:
            self._conn().execute("INSERT INTO hubs (hub_id, secret_box, created_at) VALUES (?, ?, ?)",
                                 [hub_id, self._box.encrypt(secret.encode()), now])
        except sqlite3.IntegrityError:
            return False
        return True

    def hub_secret(self, hub_id: str) -> str | None:
        """The secret of a registered hub, or None."""
        row = self._conn().execute("SELECT secret_box FROM hubs WHERE hub_id = ?", [hub_id]).fetchone()
        return self._box.decrypt(row[0]).decode() if row else None

    def hubs(self) -> list[dict]:
        """Every hub with when it registered and last reported, and its newest period."""
        cursor = self._conn().execute(
            "SELECT h.hub_id, h.created_at, h.last_report_at, max(r.period_end), count(r.report_id) "
            "FROM hubs h LEFT JOIN reports r ON r.hub_id = h.hub_id GROUP BY h.hub_id ORDER BY h.hub_id")
        return [{"hub_id": a, "created_at": b, "last_report_at": c, "newest_period": d, "reports": e}
                for a, b, c, d, e in cursor]

    # users --------------------------------------------------------------------------------
    def set_user(self, username: str, password_hash: str, now: str) -> None:
        """Create a dashboard user or change their password hash."""
        self._conn().execute("INSERT INTO users (username, password_hash, created_at) VALUES (?, ?, ?) "
                             "ON CONFLICT(username) DO UPDATE SET password_hash = excluded.password_hash",
                             [username, password_hash, now])

    def password_hash(self, username: str) -> str | None:
        """A user's password hash, or None."""
        row = self._conn().execute("SELECT password_hash FROM users WHERE username = ?", [username]).fetchone()
        return row[0] if row else None

    # reports ------------------------------------------------------------------------------
    def save_report(self, hub_id: str, report: dict, received_at: str) -> str:
        """Store a valid report: 'stored', 'duplicate' (same revision) or 'superseded' (older)."""
        conn = self._conn()
        conn.execute("BEGIN IMMEDIATE")
        try:
            row = conn.execute("SELECT revision FROM reports WHERE hub_id = ? AND report_id = ?",
                               [hub_id, report["report_id"]]).fetchone()
            if row and row[0] >= report["revision"]:
                conn.execute("ROLLBACK")
                return "duplicate" if row[0] == report["revision"] else "superseded"
            key = [hub_id, report["report_id"]]
            conn.execute("DELETE FROM metric_rows WHERE hub_id = ? AND report_id = ?", key)
            conn.execute("INSERT OR REPLACE INTO reports VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                         key + [report["revision"], report["period"]["start"], report["period"]["end"],
                                report["generated_at"], received_at, report["k_threshold"]])
            conn.executemany(
                "INSERT INTO metric_rows VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [key + [report["period"]["start"], report["period"]["end"], m["name"],
                        json.dumps(m["dims"], sort_keys=True), m["value"], int(m["suppressed"]),
                        report["revision"], received_at] for m in report["metrics"]])
            conn.execute("UPDATE hubs SET last_report_at = ? WHERE hub_id = ?", [received_at, hub_id])
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        return "stored"

    def rows(self, metric: str | None = None, hub_id: str | None = None) -> list[dict]:
        """Stored metric rows in the export shape, filtered by metric and hub."""
        sql = ("SELECT hub_id, period_start, period_end, metric, dims, value, suppressed, revision, received_at "
               "FROM metric_rows WHERE (? IS NULL OR metric = ?) AND (? IS NULL OR hub_id = ?) "
               "ORDER BY hub_id, period_start, metric, dims")
        cursor = self._conn().execute(sql, [metric, metric, hub_id, hub_id])
        return [{"hub_id": h, "period_start": s, "period_end": e, "period_kind": period_kind(s, e),
                 "metric": m, "dims": json.loads(d),
                 "value": (int(v) if v is not None and float(v).is_integer() else v),
                 "suppressed": bool(x), "revision": r, "received_at": t}
                for h, s, e, m, d, v, x, r, t in cursor]

    def series(self, metric: str, first: str, last: str, hub_id: str | None = None) -> list[dict]:
        """Per day, the metric's total across hubs (or one hub): shown sum, hubs reporting, hubs hidden."""
        cursor = self._conn().execute(
            "SELECT period_start, sum(value), count(*), sum(suppressed) FROM metric_rows "
            "WHERE metric = ? AND dims = '{}' AND period_start BETWEEN ? AND ? AND (? IS NULL OR hub_id = ?) "
            "GROUP BY period_start ORDER BY period_start", [metric, first, last, hub_id, hub_id])
        return [{"day": d, "value": v or 0, "hubs": n, "hidden": h} for d, v, n, h in cursor]

    def breakdown(self, metric: str, key: str, first: str, last: str, hub_id: str | None = None) -> list[dict]:
        """The metric summed by one breakdown (pack, language, kind, mood) over the days (one hub or all)."""
        cursor = self._conn().execute(
            "SELECT json_extract(dims, '$.' || ?), sum(value), sum(suppressed) FROM metric_rows "
            "WHERE metric = ? AND json_extract(dims, '$.' || ?) IS NOT NULL "
            "AND period_start BETWEEN ? AND ? AND (? IS NULL OR hub_id = ?) GROUP BY 1 ORDER BY 2 DESC",
            [key, metric, key, first, last, hub_id, hub_id])
        return [{"key": k, "value": v or 0, "hidden": h} for k, v, h in cursor]
