"""A pack being read, from a folder or a .zip: its file list, small reads and streams."""
from __future__ import annotations

import os
import stat
import zipfile
import zlib
from pathlib import Path

from hub.catalog.packs import zipsafe
from hub.catalog.packs.errors import PackRefused, Problem

# What zipfile raises on damaged or exotic archives (fuzzing found each): never a traceback.
ZIP_ERRORS = (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError, IndexError,
              RuntimeError, NotImplementedError)


class FolderSource:
    """A pack folder; symbolic links and special files are reported, never followed."""

    def __init__(self, root: Path):
        self.root = Path(root)
        self.name = self.root.name
        self.sizes: dict[str, int] = {}
        self.problems: list[Problem] = []
        self.flagged: set[str] = set()
        for folder, dirs, files in os.walk(self.root, followlinks=False):
            base = Path(folder)
            for name in sorted(dirs + files):
                path = base / name
                rel = path.relative_to(self.root).as_posix()
                mode = path.lstat().st_mode
                if stat.S_ISLNK(mode):
                    self.problems.append(Problem(zipsafe.shown(rel), "is a symbolic link; packs hold plain files only"))
                    if name in dirs:
                        dirs.remove(name)
                elif stat.S_ISREG(mode):
                    self.sizes[rel] = path.lstat().st_size
                elif not stat.S_ISDIR(mode):
                    self.problems.append(Problem(zipsafe.shown(rel), "is not a regular file"))

    def read(self, name: str, limit: int) -> bytes | None:
        """The bytes of a small file (at most limit + 1), or None when it is not there."""
        if name not in self.sizes:
            return None
        with open(self.root / name, "rb") as handle:
            return handle.read(limit + 1)

    def open(self, name: str):
        """A binary stream of one listed file."""
        return open(self.root / name, "rb")

    def close(self) -> None:
        """Nothing to release for a folder."""


class ZipSource:
    """A pack .zip; unsafe entries are reported and never opened."""

    def __init__(self, path: Path, max_total: int | None = None):
        self.name = Path(path).name
        try:
            self.zip = zipfile.ZipFile(path)
            infos = self.zip.infolist()
        except ZIP_ERRORS as exc:
            raise PackRefused([Problem(self.name, f"is not a readable zip ({exc})")]) from None
        self.problems = zipsafe.entry_problems(infos, "", max_total)
        # Entries with a problem are never opened; those with unsafe names are not even listed.
        self.flagged = {p.where for p in self.problems}
        # The name first: ZipInfo.is_dir() fails on an empty name (found by fuzzing).
        self.sizes = {i.filename: i.file_size for i in infos if zipsafe.name_problem(i.filename) is None
                      and not i.is_dir() and not zipsafe.is_symlink(i)}

    def read(self, name: str, limit: int) -> bytes | None:
        """The bytes of a small entry (at most limit + 1), or None when it is not there."""
        if name not in self.sizes:
            return None
        try:
            with self.zip.open(name) as handle:
                return handle.read(limit + 1)
        except ZIP_ERRORS as exc:
            raise PackRefused([Problem(name, f"cannot be read ({exc}); the zip is damaged")]) from None

    def open(self, name: str):
        """A decompressing stream of one entry (bytes are counted by the caller)."""
        try:
            return self.zip.open(name)
        except ZIP_ERRORS as exc:
            # A damaged local header fails here, before the stream is read (found by fuzzing).
            raise PackRefused([Problem(name, f"cannot be read ({exc}); the zip is damaged")]) from None

    def close(self) -> None:
        """Close the zip file."""
        self.zip.close()


def open_source(path, max_total: int | None = None):
    """A FolderSource or ZipSource for `path`; PackRefused when it is neither."""
    path = Path(path)
    if path.is_dir():
        return FolderSource(path)
    if path.is_file():
        return ZipSource(path, max_total)
    raise PackRefused([Problem(path.name or str(path), "no such pack folder or .zip file")])
