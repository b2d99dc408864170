"""The central's schema as named, ordered migrations, the same for SQLite and PostgreSQL.

Each step runs once, in order, recorded in `central_migrations`; both engines read the same
SQL with two type names filled in ({blob}, {real}). Step 0001 is the schema the first central
created with CREATE IF NOT EXISTS, so an existing SQLite file is adopted as it is.
"""
from __future__ import annotations

import datetime as dt
import json

TYPES = {"sqlite": {"blob": "BLOB", "real": "REAL"},
         "postgresql": {"blob": "BYTEA", "real": "DOUBLE PRECISION"}}


def week_of(day: str) -> str:
    """The Monday (YYYY-MM-DD) of the ISO week a day falls in."""
    date = dt.date.fromisoformat(day)
    return (date - dt.timedelta(days=date.weekday())).isoformat()


def dim_parts(dims: dict) -> tuple[str, str]:
    """(breakdown key, value as text) of a row's dims; ('', '') for a total."""
    for key, value in dims.items():
        return key, str(value)
    return "", ""


BASE = """
CREATE TABLE IF NOT EXISTS hubs (
    hub_id TEXT PRIMARY KEY, secret_box {blob} NOT NULL, created_at TEXT NOT NULL, last_report_at TEXT);
CREATE TABLE IF NOT EXISTS users (
    username TEXT PRIMARY KEY, password_hash TEXT NOT NULL, created_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS reports (
    hub_id TEXT NOT NULL, report_id TEXT NOT NULL, revision INTEGER NOT NULL,
    period_start TEXT NOT NULL, period_end TEXT NOT NULL, generated_at TEXT NOT NULL,
    received_at TEXT NOT NULL, k_threshold INTEGER NOT NULL,
    PRIMARY KEY (hub_id, report_id));
CREATE TABLE IF NOT EXISTS metric_rows (
    hub_id TEXT NOT NULL, report_id TEXT NOT NULL, period_start TEXT NOT NULL,
    period_end TEXT NOT NULL, metric TEXT NOT NULL, dims TEXT NOT NULL, value {real},
    suppressed INTEGER NOT NULL, revision INTEGER NOT NULL, received_at TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS metric_rows_report ON metric_rows (hub_id, report_id)
"""

PROGRAM = """
ALTER TABLE hubs ADD COLUMN name TEXT NOT NULL DEFAULT '';
ALTER TABLE hubs ADD COLUMN region TEXT NOT NULL DEFAULT '';
ALTER TABLE hubs ADD COLUMN partner TEXT NOT NULL DEFAULT '';
ALTER TABLE hubs ADD COLUMN last_refused_at TEXT;
ALTER TABLE hubs ADD COLUMN last_refused_reason TEXT;
ALTER TABLE users ADD COLUMN region TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN partner TEXT NOT NULL DEFAULT '';
ALTER TABLE reports ADD COLUMN period_kind TEXT NOT NULL DEFAULT 'day';
ALTER TABLE metric_rows ADD COLUMN period_kind TEXT NOT NULL DEFAULT 'day';
ALTER TABLE metric_rows ADD COLUMN week TEXT NOT NULL DEFAULT '';
ALTER TABLE metric_rows ADD COLUMN dim_key TEXT NOT NULL DEFAULT '';
ALTER TABLE metric_rows ADD COLUMN dim_value TEXT NOT NULL DEFAULT '';
CREATE INDEX IF NOT EXISTS hubs_region ON hubs (region);
CREATE INDEX IF NOT EXISTS hubs_partner ON hubs (partner)
"""

HEARTBEATS = """
CREATE TABLE IF NOT EXISTS heartbeats (
    hub_id TEXT PRIMARY KEY, received_at TEXT NOT NULL, sent_at TEXT NOT NULL, version TEXT NOT NULL,
    packs TEXT NOT NULL, disk_free_mb {real}, last_event_day TEXT)
"""

WEEK_INDEX = """
DROP INDEX IF EXISTS metric_rows_metric;
CREATE INDEX IF NOT EXISTS metric_rows_week ON metric_rows (metric, dim_key, week, hub_id);
CREATE INDEX IF NOT EXISTS metric_rows_hub_week ON metric_rows (hub_id, week)
"""


# The by-hub table pages through a region's hubs ordered by their sums over the weeks: with value,
# suppressed and period_kind in the index those sums are read from it alone (an index-only scan),
# never from rows scattered over a year of reports (4.8 s for a 1,000-hub region on PostgreSQL).
# The first page's totals and "what was hidden" read the week sums of every metric the same way.
COVERING_WEEK_INDEX = """
CREATE INDEX IF NOT EXISTS metric_rows_week_cover
    ON metric_rows (metric, dim_key, week, hub_id, period_kind, value, suppressed);
DROP INDEX IF EXISTS metric_rows_week;
CREATE INDEX IF NOT EXISTS week_sums_cover
    ON week_sums (metric, dim_key, week, region, partner, dim_value, total, shown, hidden);
DROP INDEX IF EXISTS week_sums_metric
"""


def _backfill_weeks(db) -> None:
    """Rows stored before 0002 get their week and breakdown columns (SQLite files only)."""
    rows = db.execute("SELECT DISTINCT period_start FROM metric_rows WHERE week = ''")
    db.executemany("UPDATE metric_rows SET week = ? WHERE period_start = ? AND week = ''",
                   [[week_of(day), day] for (day,) in rows])
    dims = db.execute("SELECT DISTINCT dims FROM metric_rows WHERE dim_key = '' AND dims <> '{}'")
    db.executemany("UPDATE metric_rows SET dim_key = ?, dim_value = ? WHERE dims = ?",
                   [[*dim_parts(json.loads(text)), text] for (text,) in dims])


WEEK_SUMS = """
CREATE TABLE IF NOT EXISTS week_sums (
    week TEXT NOT NULL, metric TEXT NOT NULL, dim_key TEXT NOT NULL, dim_value TEXT NOT NULL,
    region TEXT NOT NULL, partner TEXT NOT NULL, total {real} NOT NULL, shown INTEGER NOT NULL,
    hidden INTEGER NOT NULL, PRIMARY KEY (week, metric, dim_key, dim_value, region, partner));
CREATE INDEX IF NOT EXISTS week_sums_metric ON week_sums (metric, dim_key, week)
"""


# Writers append here and sync.central.week_sums.fold adds the changes into week_sums: no index,
# so a report's changes cost one heap insert each, and no lock another writer waits on.
WEEK_SUM_CHANGES = """
CREATE TABLE IF NOT EXISTS week_sum_changes (
    week TEXT NOT NULL, metric TEXT NOT NULL, dim_key TEXT NOT NULL, dim_value TEXT NOT NULL,
    region TEXT NOT NULL, partner TEXT NOT NULL, total {real} NOT NULL, shown INTEGER NOT NULL,
    hidden INTEGER NOT NULL)
"""


def _backfill_week_sums(db) -> None:
    """Week sums of the rows stored before 0006 (see sync.central.week_sums)."""
    from sync.central.week_sums import BACKFILL

    db.execute(BACKFILL)


MIGRATIONS = [
    ("0001_hubs_users_reports", BASE),
    ("0002_program_regions_partners_weeks", PROGRAM),
    ("0003_backfill_weeks", _backfill_weeks),
    ("0004_heartbeats", HEARTBEATS),
    ("0005_week_indexes", WEEK_INDEX),
    ("0006_week_sums", WEEK_SUMS),
    ("0007_backfill_week_sums", _backfill_week_sums),
    ("0008_covering_week_index", COVERING_WEEK_INDEX),
    ("0009_week_sum_changes", WEEK_SUM_CHANGES),
]


def migrate(db, now: str) -> list[str]:
    """Apply the steps not yet applied, in order, each in its own transaction; their names."""
    db.execute("CREATE TABLE IF NOT EXISTS central_migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)")
    applied = []
    with db.lock_for_migrations():
        done = {name for (name,) in db.execute("SELECT name FROM central_migrations")}
        for name, step in MIGRATIONS:
            if name in done:
                continue
            if callable(step):
                step(db)
            else:
                for statement in step.format(**TYPES[db.dialect]).split(";"):
                    if statement.strip():
                        db.execute(statement)
            db.execute("INSERT INTO central_migrations (name, applied_at) VALUES (?, ?)", [name, now])
            applied.append(name)
    return applied
