"""Backups of the hub database: consistent copies while serving, restore, nightly rotation."""
from __future__ import annotations

import datetime as dt
import os
import sqlite3
from pathlib import Path

from hub.core import clock
from hub.core.db import BACKUP_DIR_NAME, db_path

KEEP_NIGHTLY = 7


class BackupError(Exception):
    """A backup or restore could not be done; the message says why."""


def backup(data_dir: str | Path, dest: str | Path) -> Path:
    """Copy the live database to `dest` with SQLite's online backup API (safe while serving)."""
    source_path = db_path(data_dir)
    if not source_path.exists():
        raise BackupError(f"{source_path}: there is no database to back up")
    dest = Path(dest)
    dest.parent.mkdir(parents=True, exist_ok=True)
    partial = dest.with_name(dest.name + ".partial")
    source = sqlite3.connect(str(source_path), timeout=30)
    target = sqlite3.connect(str(partial))
    try:
        # Copy in steps so a busy writer is never blocked for long.
        source.backup(target, pages=1024)
        target.execute("PRAGMA journal_mode=DELETE")
    finally:
        target.close()
        source.close()
    _fsync(partial)
    os.replace(partial, dest)
    _fsync_dir(dest.parent)
    return dest


def check_file(path: str | Path) -> None:
    """Raise BackupError unless `path` is a readable SQLite database that passes integrity_check."""
    try:
        conn = sqlite3.connect(f"file:{Path(path)}?mode=ro", uri=True)
        try:
            result = conn.execute("PRAGMA integrity_check").fetchone()[0]
            conn.execute("SELECT count(*) FROM _sqlite_migrations").fetchone()
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"{path}: not a hub database ({exc})") from None
    if result != "ok":
        raise BackupError(f"{path}: damaged ({result})")


def restore(data_dir: str | Path, source: str | Path | None) -> Path:
    """Replace the database with a checked backup (or an empty one when source is None).

    The hub must be stopped: the old file and its WAL are set aside, never deleted, as
    hub.db.replaced-<time>, so a mistaken restore can itself be undone.
    """
    target = db_path(data_dir)
    Path(data_dir).mkdir(parents=True, exist_ok=True)
    if source is not None:
        check_file(source)
    stamp = clock.now().astimezone().strftime("%Y%m%d-%H%M%S")  # the device's local time, as its files
    for suffix in ("", "-wal", "-shm"):
        current = Path(str(target) + suffix)
        if current.exists():
            os.replace(current, Path(f"{target}.replaced-{stamp}{suffix}"))
    if source is not None:
        partial = target.with_name(target.name + ".partial")
        with open(source, "rb") as src, open(partial, "wb") as dst:
            while chunk := src.read(1 << 20):
                dst.write(chunk)
            dst.flush()
            os.fsync(dst.fileno())
        os.replace(partial, target)
    else:
        sqlite3.connect(str(target)).close()
    _fsync_dir(target.parent)
    return target


def nightly_backup(data_dir: str | Path, now: dt.datetime | None = None,
                   keep: int = KEEP_NIGHTLY) -> Path | None:
    """Make today's backup in HUB_DATA_DIR/backups if there is none yet; keep the newest `keep`."""
    now = now or clock.now().astimezone()
    folder = Path(data_dir) / BACKUP_DIR_NAME
    dest = folder / f"hub-{now:%Y-%m-%d}.db"
    made = None
    if not dest.exists() and db_path(data_dir).exists():
        made = backup(data_dir, dest)
    for old in sorted(folder.glob("hub-????-??-??.db"))[:-keep] if folder.exists() else []:
        old.unlink()
    return made


def _fsync(path: Path) -> None:
    with open(path, "rb") as handle:
        os.fsync(handle.fileno())


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
