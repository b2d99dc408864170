"""Where a Kolibri export is read from: a folder (a USB drive) or a .zip of one.

Both give the channel databases as files SQLite can open (a zip's are copied to a scratch
folder first) and the storage files as streams, never read whole.
"""
from __future__ import annotations

import re
import shutil
import zipfile
from pathlib import Path

from hub.catalog.packs.errors import PackRefused, Problem
from hub.catalog.packs.source import ZIP_ERRORS

DATABASES = "content/databases"
STORAGE = "content/storage"
CHANNEL_DB = re.compile(r"([0-9a-f]{32})\.sqlite3")
MD5_NAME = re.compile(r"[0-9a-f]{32}")
MAX_DB_BYTES = 4 * 1024 ** 3
COPY_CHUNK = 1024 * 1024


def export_root(path) -> Path | None:
    """The folder holding content/databases/*.sqlite3 at `path` or one level down, or None."""
    path = Path(path)
    if not path.is_dir():
        return None
    candidates = [path] + sorted(p for p in path.iterdir() if p.is_dir() and not p.name.startswith("."))
    for folder in candidates:
        databases = folder / DATABASES
        if databases.is_dir() and any(databases.glob("*.sqlite3")):
            return folder
    return None


def storage_name(md5: str, extension: str) -> str:
    """content/storage/<a>/<b>/<md5>.<ext>, as Kolibri lays out its files."""
    return f"{STORAGE}/{md5[0]}/{md5[1]}/{md5}.{extension}"


def zip_export_prefix(path) -> str | None:
    """The folder inside a zip that holds content/databases/ ('' for its root), or None."""
    try:
        with zipfile.ZipFile(path) as archive:
            names = archive.namelist()
    except ZIP_ERRORS:
        return None
    for name in sorted(names, key=len):
        head, sep, tail = name.partition(DATABASES + "/")
        if sep and CHANNEL_DB.fullmatch(tail) and (head == "" or head.endswith("/")) \
                and head.count("/") <= 1:
            return head
    return None


class FolderExport:
    """An export on disk: the channel databases are read where they lie."""

    def __init__(self, root: Path):
        self.root = root
        self.name = root.name

    def channel_dbs(self, scratch: Path) -> list[tuple[str, Path]]:
        """(channel id, database file) for every channel in the export, by id."""
        found = []
        for db in sorted((self.root / DATABASES).glob("*.sqlite3")):
            match = CHANNEL_DB.fullmatch(db.name)
            if match:
                found.append((match.group(1), db))
        return found

    def open_file(self, md5: str, extension: str):
        """A binary stream of one storage file, or None when the export lacks it."""
        path = self.root / storage_name(md5, extension)
        return open(path, "rb") if path.is_file() and not path.is_symlink() else None

    def close(self) -> None:
        """Nothing to release for a folder."""


class ZipExport:
    """A zip of an export (or of the folder holding it)."""

    def __init__(self, path: Path, prefix: str):
        self.name = path.name
        self.prefix = prefix
        try:
            self.zip = zipfile.ZipFile(path)
            self.names = set(self.zip.namelist())
        except ZIP_ERRORS as exc:
            raise PackRefused([Problem(path.name, f"is not a readable zip ({exc})")]) from None

    def channel_dbs(self, scratch: Path) -> list[tuple[str, Path]]:
        """Copy each channel database out of the zip into `scratch`; (channel id, copy) by id."""
        found = []
        base = self.prefix + DATABASES + "/"
        for name in sorted(n for n in self.names if n.startswith(base)):
            match = CHANNEL_DB.fullmatch(name[len(base):])
            if not match:
                continue
            info = self.zip.getinfo(name)
            if info.file_size > MAX_DB_BYTES:
                raise PackRefused([Problem(name, f"is larger than {MAX_DB_BYTES} bytes")])
            target = scratch / f"{match.group(1)}.sqlite3"
            try:
                with self.zip.open(info) as src, open(target, "wb") as dst:
                    shutil.copyfileobj(src, dst, COPY_CHUNK)
            except ZIP_ERRORS as exc:
                raise PackRefused([Problem(name, f"cannot be read ({exc}); the zip is damaged")]) from None
            found.append((match.group(1), target))
        return found

    def open_file(self, md5: str, extension: str):
        """A decompressing stream of one storage file, or None when the zip lacks it."""
        name = self.prefix + storage_name(md5, extension)
        if name not in self.names:
            return None
        try:
            return self.zip.open(name)
        except ZIP_ERRORS:
            return None

    def close(self) -> None:
        """Close the zip file."""
        self.zip.close()


def open_export(path):
    """A FolderExport or ZipExport for `path`; PackRefused when it holds no Kolibri channel."""
    path = Path(path)
    root = export_root(path)
    if root is not None:
        return FolderExport(root)
    if path.is_file():
        prefix = zip_export_prefix(path)
        if prefix is not None:
            return ZipExport(path, prefix)
    raise PackRefused([Problem(path.name, "holds no Kolibri channel (content/databases/<channel id>.sqlite3)")])
