"""Pack files on disk: HUB_DATA_DIR/packs/<id>/<version>/, staging, the install lock, cleanup.

One install at a time holds HUB_DATA_DIR/staging/.lock (an flock, so a killed process
releases it by dying). Cleanup runs only when it can take that lock: it never touches the
staging folder of an install that is still running.
"""
from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import uuid
from pathlib import Path

PACKS = "packs"
STAGING = "staging"
LOCK_FILE = ".lock"


def packs_dir(data_dir) -> Path:
    """HUB_DATA_DIR/packs."""
    return Path(data_dir) / PACKS


def version_dir(data_dir, pack_id: str, version: str) -> Path:
    """Where one version of a pack lives once installed."""
    return packs_dir(data_dir) / pack_id / version


def _lock_file(data_dir) -> Path:
    folder = Path(data_dir) / STAGING
    folder.mkdir(parents=True, exist_ok=True)
    return folder / LOCK_FILE


@contextlib.contextmanager
def install_lock(data_dir, *, wait: bool = True):
    """Hold the install lock (waiting for another install); yields False if wait=False and busy."""
    with open(_lock_file(data_dir), "a+b") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def new_staging(data_dir) -> Path:
    """A fresh, private staging folder inside the data dir (same disk as packs/)."""
    path = Path(data_dir) / STAGING / uuid.uuid4().hex
    path.mkdir(parents=True)
    return path


def free_bytes(data_dir) -> int:
    """Free bytes on the data dir's disk."""
    return shutil.disk_usage(Path(data_dir)).free


def fsync_dir(path: Path) -> None:
    """Make a rename or new entry in `path` durable."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_durably(path: Path, data: bytes) -> None:
    """Write a small file and fsync it."""
    with open(path, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())


def publish(staging: Path, target: Path) -> None:
    """Move a verified staging folder to its final place in one rename."""
    target.parent.mkdir(parents=True, exist_ok=True)
    if target.exists():
        shutil.rmtree(target)  # a leftover of an install killed before its commit
    os.replace(staging, target)
    fsync_dir(target.parent)


def remove_tree(path: Path) -> None:
    """Delete a folder and everything in it, or a file (quietly when it is gone already)."""
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)


def sweep(data_dir, referenced: set[str] | None) -> list[str]:
    """Remove staging leftovers and, given the storage dirs the catalog uses, orphan versions.

    Call with the install lock held. Hidden folders under packs/ belong to other installers.
    """
    removed = []
    staging = Path(data_dir) / STAGING
    if staging.is_dir():
        for entry in staging.iterdir():
            if entry.name != LOCK_FILE:
                remove_tree(entry)
                removed.append(str(entry))
    packs = packs_dir(data_dir)
    if referenced is None or not packs.is_dir():
        return removed
    keep = {os.path.realpath(p) for p in referenced}
    for pack in packs.iterdir():
        if pack.name.startswith(".") or not pack.is_dir():
            continue
        for version in pack.iterdir():
            if os.path.realpath(version) not in keep:
                remove_tree(version)
                removed.append(str(version))
        if not any(pack.iterdir()):
            pack.rmdir()
    return removed
