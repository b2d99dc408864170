"""H5P libraries kept once per version on the hub: HUB_DATA_DIR/h5p/libraries/<Name>-<major>.<minor>/.

H5P's own rule: a library's major.minor names its interface; a higher patch version is a
drop-in fix. So one folder per major.minor, and a package bringing a higher patch replaces
it (whole folder, by renames). Every package with that library then shares the one copy,
on disk and in the learner's browser cache. This module owns that folder.
"""
from __future__ import annotations

import json
import os
import shutil
import uuid
import zipfile
from pathlib import Path

from hub.catalog.files import safe_relative

FOLDER = Path("h5p") / "libraries"
COPY_CHUNK = 256 * 1024


def libraries_dir(data_dir) -> Path:
    """HUB_DATA_DIR/h5p/libraries."""
    return Path(data_dir) / FOLDER


def _patch(meta: dict) -> int:
    try:
        return int(meta.get("patchVersion") or 0)
    except (TypeError, ValueError):
        return 0


def shared(data_dir) -> dict[str, int]:
    """The shared libraries: folder name -> patch version."""
    found = {}
    base = libraries_dir(data_dir)
    if not base.is_dir():
        return found
    for folder in base.iterdir():
        meta = folder / "library.json"
        if folder.name.startswith(".") or not meta.is_file():
            continue
        try:
            found[folder.name] = _patch(json.loads(meta.read_text(encoding="utf-8-sig")))
        except (OSError, ValueError):
            continue
    return found


def _extract(archive: zipfile.ZipFile, folder: str, target: Path) -> None:
    prefix = folder + "/"
    for info in archive.infolist():
        if not info.filename.startswith(prefix) or info.is_dir():
            continue
        out = target / info.filename[len(prefix):]
        out.parent.mkdir(parents=True, exist_ok=True)
        with archive.open(info) as src, open(out, "wb") as dst:
            shutil.copyfileobj(src, dst, COPY_CHUNK)


def share(data_dir, archive: zipfile.ZipFile, libraries: dict[str, dict]) -> list[str]:
    """Keep the package's libraries that are new here or a higher patch; return their folders."""
    base = libraries_dir(data_dir)
    base.mkdir(parents=True, exist_ok=True)
    have = shared(data_dir)
    written = []
    for folder, meta in sorted(libraries.items()):
        if folder in have and have[folder] >= _patch(meta):
            continue
        staging = base / f".new-{uuid.uuid4().hex}"
        try:
            _extract(archive, folder, staging)
            old = base / folder
            trash = base / f".old-{uuid.uuid4().hex}"
            if old.exists():
                os.replace(old, trash)
            os.replace(staging, old)
            shutil.rmtree(trash, ignore_errors=True)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
        written.append(folder)
    return written


def file_path(data_dir, path: str) -> Path | None:
    """The shared library file a URL path names (`<folder>/<file>`), or None."""
    if not safe_relative(path) or "/" not in path or path.startswith("."):
        return None
    full = libraries_dir(data_dir) / path
    base = os.path.realpath(libraries_dir(data_dir))
    real = os.path.realpath(full)
    if not real.startswith(base + os.sep) or not os.path.isfile(real):
        return None
    return Path(real)
