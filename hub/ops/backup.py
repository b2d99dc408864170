"""Backups of the hub database: consistent copies while serving, restore, nightly rotation.

A backup is written under a temporary name in its folder and renamed when whole (a failed one
leaves nothing), gzip-compressed when its name ends in .gz (nightly ones do), and only when
the disk keeps its reserve afterwards. How many nightly backups are kept is the hub setting
`backup_keep`.
"""
from __future__ import annotations

import datetime as dt
import gzip
import os
import shutil
import sqlite3
import uuid
from pathlib import Path

from hub.core import clock, settings
from hub.core.db import BACKUP_DIR_NAME, NIGHTLY_PATTERNS, connect, db_path

KEEP_NIGHTLY = 7
USB_FOLDER = "hub-backups"  # where a copy goes on a USB stick
CHUNK = 1 << 20


class BackupError(Exception):
    """A backup or restore could not be done; the message says why."""


def _size_of_database(source_path: Path) -> int:
    return sum(p.stat().st_size for p in (source_path, Path(f"{source_path}-wal")) if p.exists())


def _check_room(dest: Path, need: int, data_dir: Path, reserve_bytes: int) -> None:
    """Refuse when `need` bytes in dest's folder would eat the reserve (on the data disk) or
    more than is free (elsewhere: a USB stick)."""
    free = shutil.disk_usage(dest.parent).free
    same_disk = os.stat(dest.parent).st_dev == os.stat(data_dir).st_dev
    keep = reserve_bytes if same_disk else 0
    if free - need < keep:
        raise BackupError(f"{dest}: a backup needs about {need} bytes but {free} are free"
                          + (f", keeping {reserve_bytes} in reserve (HUB_DISK_RESERVE_MB)" if keep else ""))


def backup(data_dir: str | Path, dest: str | Path, reserve_bytes: int = 0) -> Path:
    """Copy the live database to `dest` with SQLite's online backup API (safe while serving)."""
    source_path = db_path(data_dir)
    if not source_path.exists():
        raise BackupError(f"{source_path}: there is no database to back up")
    dest = Path(dest)
    dest.parent.mkdir(parents=True, exist_ok=True)
    compress = dest.suffix == ".gz"
    size = _size_of_database(source_path)
    _check_room(dest, 2 * size if compress else size, Path(data_dir), reserve_bytes)
    temp = dest.with_name(f".{dest.name}.{uuid.uuid4().hex[:8]}.partial")
    packed = temp.with_name(temp.name + ".gz")
    try:
        source = sqlite3.connect(str(source_path), timeout=30)
        target = sqlite3.connect(str(temp))
        try:
            # Copy in steps so a busy writer is never blocked for long.
            source.backup(target, pages=1024)
            target.execute("PRAGMA journal_mode=DELETE")
        finally:
            target.close()
            source.close()
        if compress:
            with open(temp, "rb") as plain, gzip.open(packed, "wb", compresslevel=6) as out:
                shutil.copyfileobj(plain, out, CHUNK)
            temp.unlink()
            temp = packed
        _fsync(temp)
        os.replace(temp, dest)
    except (OSError, sqlite3.Error) as exc:
        raise BackupError(f"{dest}: the backup failed ({exc}); nothing was left behind") from None
    finally:
        for leftover in (temp, packed):
            leftover.unlink(missing_ok=True)
    _fsync_dir(dest.parent)
    return dest


def _materialize(source: Path, target: Path) -> None:
    """Write `source` (plain or .gz) to `target`, durably."""
    opener = gzip.open if source.suffix == ".gz" else open
    try:
        with opener(source, "rb") as src, open(target, "wb") as dst:
            shutil.copyfileobj(src, dst, CHUNK)
            dst.flush()
            os.fsync(dst.fileno())
    except (OSError, EOFError, gzip.BadGzipFile) as exc:
        target.unlink(missing_ok=True)
        raise BackupError(f"{source}: cannot be read ({exc})") from None


def _check_plain(path: Path, name: Path) -> None:
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            result = conn.execute("PRAGMA integrity_check").fetchone()[0]
            conn.execute("SELECT count(*) FROM _sqlite_migrations").fetchone()
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"{name}: not a hub database ({exc})") from None
    if result != "ok":
        raise BackupError(f"{name}: damaged ({result})")


def check_file(path: str | Path) -> None:
    """Raise BackupError unless `path` (plain or .gz) is a hub database passing integrity_check."""
    path = Path(path)
    if path.suffix != ".gz":
        return _check_plain(path, path)
    temp = path.with_name(f".{path.name}.{uuid.uuid4().hex[:8]}.check")
    try:
        _materialize(path, temp)
        _check_plain(temp, path)
    finally:
        temp.unlink(missing_ok=True)
    return None


def restore(data_dir: str | Path, source: str | Path | None) -> Path:
    """Replace the database with a checked backup (or an empty one when source is None).

    The hub must be stopped: the old file and its WAL are set aside, never deleted, as
    hub.db.replaced-<time>, so a mistaken restore can itself be undone.
    """
    target = db_path(data_dir)
    Path(data_dir).mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partial")
    if source is not None:
        _materialize(Path(source), partial)
        try:
            _check_plain(partial, Path(source))
        except BackupError:
            partial.unlink(missing_ok=True)
            raise
    stamp = clock.now().astimezone().strftime("%Y%m%d-%H%M%S")  # the device's local time, as its files
    for suffix in ("", "-wal", "-shm"):
        current = Path(str(target) + suffix)
        if current.exists():
            os.replace(current, Path(f"{target}.replaced-{stamp}{suffix}"))
    if source is not None:
        os.replace(partial, target)
    else:
        sqlite3.connect(str(target)).close()
    _fsync_dir(target.parent)
    return target


def _nightly(folder: Path) -> list[Path]:
    found = [p for pattern in NIGHTLY_PATTERNS for p in folder.glob(pattern)] if folder.exists() else []
    return sorted(found, key=lambda p: p.name)


def kept_backups(data_dir: str | Path) -> int:
    """How many nightly backups to keep: the hub setting `backup_keep`."""
    try:
        db = connect(db_path(data_dir), wal=False)
    except sqlite3.Error:
        return KEEP_NIGHTLY
    try:
        return int(settings.get(db, "backup_keep") or KEEP_NIGHTLY)
    except (sqlite3.Error, TypeError, ValueError):
        return KEEP_NIGHTLY
    finally:
        db.conn.close()


def nightly_backup(data_dir: str | Path, now: dt.datetime | None = None,
                   keep: int | None = None, reserve_bytes: int = 0) -> Path | None:
    """Make today's backup in HUB_DATA_DIR/backups if there is none yet; keep the newest `keep`
    (the `backup_keep` setting when not given). Stale temporary files are removed."""
    now = now or clock.now().astimezone()
    keep = keep or kept_backups(data_dir)
    folder = Path(data_dir) / BACKUP_DIR_NAME
    day = f"hub-{now:%Y-%m-%d}"
    dest = folder / f"{day}.db.gz"
    for stale in folder.glob(".*.partial*") if folder.exists() else []:
        stale.unlink(missing_ok=True)
    made = None
    if not dest.exists() and not (folder / f"{day}.db").exists() and db_path(data_dir).exists():
        made = backup(data_dir, dest, reserve_bytes)
    for old in _nightly(folder)[:-keep]:
        old.unlink()
    return made


def copy_newest(data_dir: str | Path, drive: str | Path, reserve_bytes: int = 0) -> Path:
    """Copy the newest nightly backup (made now if there is none today) to DRIVE/hub-backups/."""
    nightly_backup(data_dir, reserve_bytes=reserve_bytes)
    found = _nightly(Path(data_dir) / BACKUP_DIR_NAME)
    if not found:
        raise BackupError(f"{db_path(data_dir)}: there is no backup to copy")
    newest = found[-1]
    folder = Path(drive) / USB_FOLDER
    dest = folder / newest.name
    temp = folder / f".{newest.name}.{uuid.uuid4().hex[:8]}.partial"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        _check_room(dest, newest.stat().st_size, Path(data_dir), reserve_bytes)
        with open(newest, "rb") as src, open(temp, "wb") as dst:
            shutil.copyfileobj(src, dst, CHUNK)
            dst.flush()
            os.fsync(dst.fileno())
        os.replace(temp, dest)
        _fsync_dir(folder)
    except OSError as exc:
        raise BackupError(f"{dest}: the copy failed ({exc.strerror or exc})") from None
    finally:
        temp.unlink(missing_ok=True)
    return dest


def _fsync(path: Path) -> None:
    with open(path, "rb") as handle:
        os.fsync(handle.fileno())


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
