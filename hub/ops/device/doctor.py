"""`hub doctor`: one function per health check, each explained in plain words with a fix.

Messages are English msgids with %(name)s placeholders, marked with _l so the catalogs
carry them; the dashboard translates them, the command line prints them in English.
"""
from __future__ import annotations

import os
import shutil
import sqlite3
import sys
import tempfile
from datetime import datetime, timedelta, timezone
from pathlib import Path

from hub.core import clock
from hub.core.db import DB_FILE_NAME
from hub.learning import hub_clock
from hub.ops.device.checks import Check, _check, _l

MIN_PYTHON = (3, 11)
MIN_SQLITE = (3, 35, 0)  # RETURNING, DROP COLUMN, and a well-tested FTS5
# What Raspberry Pi OS Bookworm ships, named in the advice to upgrade.
BOOKWORM_PYTHON, BOOKWORM_SQLITE = "3.11", "3.40"
CLOCK_FLOOR = datetime(2025, 1, 1, tzinfo=timezone.utc)  # before this release: surely wrong
CLOCK_SLACK = timedelta(minutes=10)


def check_data_dir(settings: dict) -> Check:
    """The data folder exists (or can be made), is a folder, and this user can write to it."""
    title = _l("Data folder")
    path = Path(settings["HUB_DATA_DIR"])
    if not path.exists():
        parent = next((p for p in path.parents if p.exists()), None)
        if parent is not None and parent.is_dir() and not _mkdir_probe(parent):
            return _check("data_dir", title, "info",
                          _l("The data folder %(path)s does not exist yet. The hub creates it when it first starts."),
                          path=path)
        return _check("data_dir", title, "error",
                      _l("The data folder %(path)s does not exist and cannot be created here."),
                      _l("Create the folder and give it to the hub's user, for example: sudo mkdir -p %(path)s && sudo chown hub:hub %(path)s"),
                      path=path)
    if not path.is_dir():
        return _check("data_dir", title, "error",
                      _l("%(path)s should be the hub's data folder, but it is a file."),
                      _l("Move that file away, or set HUB_DATA_DIR to a folder."), path=path)
    problem = _write_probe(path)
    if problem:
        return _check("data_dir", title, "error",
                      _l("The hub cannot save anything in %(path)s (%(reason)s)."),
                      _l("Give the folder to the hub's user, for example: sudo chown -R hub:hub %(path)s"),
                      path=path, reason=problem)
    return _check("data_dir", title, "ok", _l("The hub can save its data in %(path)s."), path=path)


def _mkdir_probe(folder: Path) -> str:
    """'' when a folder can be made (and is removed again) in `folder`, else the reason."""
    try:
        os.rmdir(tempfile.mkdtemp(prefix=".doctor-", dir=folder))
    except OSError as exc:
        return exc.strerror or str(exc)
    return ""


def _write_probe(folder: Path) -> str:
    """'' when a file can be written and removed in `folder`, else the reason."""
    probe = folder / f".doctor-{os.getpid()}"
    try:
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as exc:
        return exc.strerror or str(exc)
    return ""


# --- disk --------------------------------------------------------------------------------


def check_disk(settings: dict) -> Check:
    """Free space on the data folder's disk compared with HUB_DISK_RESERVE_MB."""
    title = _l("Free space")
    path = Path(settings["HUB_DATA_DIR"])
    existing = next((p for p in (path, *path.parents) if p.exists()), Path("/"))
    free_mb = shutil.disk_usage(existing).free // (1024 * 1024)
    reserve_mb = int(settings["HUB_DISK_RESERVE_MB"])
    if free_mb < reserve_mb:
        return _check("disk", title, "error",
                      _l("Free space is down to %(free)s MB, below the %(reserve)s MB the hub keeps in reserve, so no new pack can be installed."),
                      _l("Remove packs nobody uses, or move the hub to a larger SD card or disk."),
                      free=free_mb, reserve=reserve_mb)
    if free_mb < 2 * reserve_mb:
        return _check("disk", title, "warning",
                      _l("Free space is down to %(free)s MB, close to the %(reserve)s MB the hub keeps in reserve."),
                      _l("Remove packs nobody uses before installing big new ones."),
                      free=free_mb, reserve=reserve_mb)
    return _check("disk", title, "ok",
                  _l("Free space: %(free)s MB (the hub keeps %(reserve)s MB in reserve)."),
                  free=free_mb, reserve=reserve_mb)


# --- clock -------------------------------------------------------------------------------


def check_clock(settings: dict, db=None, now: datetime | None = None) -> Check:
    """The clock is not earlier than this release, the newest pack, event or sync answer."""
    title = _l("Date and time")
    now = now or clock.now()
    fix = _l("Set the right date and time: connect the device to the internet for a minute, or run: sudo date -s 'YYYY-MM-DD HH:MM'")
    shown = now.strftime("%Y-%m-%d %H:%M UTC")
    if now < CLOCK_FLOOR:
        return _check("clock", title, "error",
                      _l("The device's clock says %(now)s, which is too early: dates of learning activity will be wrong."),
                      fix, now=shown)
    seen = _latest_recorded(settings, db)
    if seen is not None and seen - CLOCK_SLACK > now:
        return _check("clock", title, "error",
                      _l("The device's clock says %(now)s, earlier than things the hub already recorded (%(seen)s). The clock has gone back."),
                      fix, now=shown, seen=seen.strftime("%Y-%m-%d %H:%M UTC"))
    off = _phones_consensus(settings, db)
    if off:
        message = (_l("The phones that sent activity lately agree that the device's clock is %(amount)s behind theirs. Until it is set right, activity is dated by the phones' time.")
                   if off < 0 else
                   _l("The phones that sent activity lately agree that the device's clock is %(amount)s ahead of theirs. Until it is set right, activity is dated by the phones' time."))
        return _check("clock", title, "warning", message, fix, amount=clock_amount(off))
    return _check("clock", title, "ok", _l("The device's clock says %(now)s."), now=shown)


def clock_amount(offset_s: float) -> str:
    """How far off a clock is, in the units a person reads: '3 h' or '25 min'."""
    minutes = round(abs(offset_s) / 60)
    return f"{round(minutes / 60)} h" if minutes >= 90 else f"{minutes} min"


def _phones_consensus(settings: dict, db) -> float:
    """Seconds the device's clock is ahead of the phones' consensus (0: they agree with it)."""
    conn, close = _read_connection(settings, db)
    if conn is None:
        return 0.0
    try:
        return hub_clock.offset_s(conn)
    except sqlite3.DatabaseError:
        return 0.0  # not migrated yet: the database check says so
    finally:
        if close:
            conn.close()


def _parse_time(value) -> datetime | None:
    if not value or not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def _latest_recorded(settings: dict, db) -> datetime | None:
    """The newest time the hub wrote down: packs installed, events received, sync answers."""
    conn, close = _read_connection(settings, db)
    if conn is None:
        return None
    try:
        times = [_parse_time(conn.execute(query).fetchone()[0]) for query in (
            "SELECT max(installed_at) FROM packs",
            "SELECT max(received_at) FROM events",
            # sync/state.py keeps JSON values: the last acknowledgement from the central.
            "SELECT max(json_extract(value, '$')) FROM sync_state "
            "WHERE key IN ('last_success', 'last_ack_central_time')",
        )]
        times = [t for t in times if t is not None]
        return max(times) if times else None
    except sqlite3.DatabaseError:
        return None  # a database not yet migrated, or damaged: the database check reports that
    finally:
        if close:
            conn.close()


def _read_connection(settings: dict, db):
    """(connection, whether to close it): the given database, or the file opened read-only."""
    if db is not None:
        return db.conn, False
    path = Path(settings["HUB_DATA_DIR"]) / DB_FILE_NAME
    if not path.is_file():
        return None, False
    try:
        return sqlite3.connect(f"file:{path}?mode=ro", uri=True), True
    except sqlite3.Error:
        return None, False


# --- database ----------------------------------------------------------------------------


def check_database(settings: dict, thorough: bool = True) -> Check:
    """SQLite's own integrity check (quick_check when `thorough` is False) on the hub database."""
    title = _l("Database")
    path = Path(settings["HUB_DATA_DIR"]) / DB_FILE_NAME
    if not path.exists():
        return _check("database", title, "info",
                      _l("There is no database yet. The hub creates it when it first starts."))
    fix = _l("Stop the hub and restore the newest backup: hub restore FILE (backups are made with hub backup FILE).")
    pragma = "integrity_check" if thorough else "quick_check"
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            rows = [row[0] for row in conn.execute(f"PRAGMA {pragma}")]
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        rows = [str(exc)]
    finally:
        _keep_owner(path)
    if rows != ["ok"]:
        return _check("database", title, "error",
                      _l("The database %(path)s is damaged: %(detail)s"), fix,
                      path=path, detail=rows[0][:200])
    return _check("database", title, "ok", _l("The database is in good health."))


def _keep_owner(db_file: Path) -> None:
    """Give -wal/-shm files made by root back to the database's owner (the hub's user)."""
    if not hasattr(os, "geteuid") or os.geteuid() != 0 or not db_file.exists():
        return
    owner = db_file.stat()
    for suffix in ("-wal", "-shm"):
        side = db_file.with_name(db_file.name + suffix)
        try:
            if side.exists() and side.stat().st_uid != owner.st_uid:
                os.chown(side, owner.st_uid, owner.st_gid)
        except OSError:
            pass


# --- software ----------------------------------------------------------------------------


def check_software(python: tuple | None = None, sqlite_version: str | None = None,
                   fts5: bool | None = None) -> Check:
    """Python and SQLite are new enough and SQLite has full-text search (FTS5)."""
    title = _l("Software")
    python = tuple(python or sys.version_info[:3])
    sqlite_version = sqlite_version or sqlite3.sqlite_version
    fts5 = fts5_available() if fts5 is None else fts5
    params = {"python": ".".join(map(str, python)), "sqlite": sqlite_version}
    if python[:2] < MIN_PYTHON:
        return _check("software", title, "error",
                      _l("Python %(python)s is too old; the hub needs Python %(needed)s or newer."),
                      _l("Use a newer system (Raspberry Pi OS Bookworm or later has Python %(version)s)."),
                      needed=".".join(map(str, MIN_PYTHON)), version=BOOKWORM_PYTHON, **params)
    if tuple(int(p) for p in sqlite_version.split(".")[:3]) < MIN_SQLITE:
        return _check("software", title, "error",
                      _l("SQLite %(sqlite)s is too old; the hub needs SQLite %(needed)s or newer."),
                      _l("Use a newer system (Raspberry Pi OS Bookworm or later has SQLite %(version)s)."),
                      needed=".".join(map(str, MIN_SQLITE)).removesuffix(".0"), version=BOOKWORM_SQLITE, **params)
    if not fts5:
        return _check("software", title, "error",
                      _l("SQLite %(sqlite)s has no full-text search (FTS5), so search cannot work."),
                      _l("Use the Python that comes with the system, whose SQLite has FTS5."), **params)
    return _check("software", title, "ok",
                  _l("Python %(python)s and SQLite %(sqlite)s with full-text search."), **params)


def fts5_available() -> bool:
    """Whether this Python's SQLite can create an FTS5 table."""
    conn = sqlite3.connect(":memory:")
    try:
        conn.execute("CREATE VIRTUAL TABLE probe USING fts5(body)")
        return True
    except sqlite3.OperationalError:
        return False
    finally:
        conn.close()


# --- all of them -------------------------------------------------------------------------


def run_checks(settings: dict, db=None, *, thorough: bool = False,
               upstream_timeout: float = 2.0) -> list:
    """Run every check, in the order a person would look; never raises."""
    from hub.ops.device.netcheck import check_addresses, check_upstream

    steps = [
        lambda: check_data_dir(settings),
        lambda: check_disk(settings),
        lambda: check_database(settings, thorough=thorough),
        lambda: check_clock(settings, db),
        lambda: check_addresses(settings),
        lambda: check_upstream(settings, timeout=upstream_timeout),
        lambda: check_software(),
    ]
    results = []
    for step in steps:
        try:
            results.append(step())
        except Exception as exc:  # a broken check must not hide the others
            results.append(_check("internal", _l("Health check"), "warning",
                                  _l("A check could not run: %(detail)s"), detail=exc))
    return results


def needs_fixing(checks: list) -> bool:
    """True when any check is a warning or an error."""
    return any(not check.ok for check in checks)
