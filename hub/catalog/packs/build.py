"""`hub packs build`: fill sizes and sha256 into pack.json, then write a reproducible zip.

The same folder always gives the same bytes: entries sorted (pack.json first), fixed
timestamps and permissions, fixed compression per kind of file. So a zip can be checked
against another build, and a signature made on the folder's pack.json holds in the zip.
"""
from __future__ import annotations

import json
import os
import shutil
import zipfile
from dataclasses import dataclass
from pathlib import Path

from hub.catalog.packs import manifest as manifest_mod
from hub.catalog.packs.errors import PackRefused, Problem
from hub.catalog.packs.validate import SIGNATURE_FILE, validate
from hub.core.digest import file_sha256

FIXED_TIME = (1980, 1, 1, 0, 0, 0)     # the earliest time a zip can record
FILE_MODE = 0o100644                   # a regular file, rw-r--r--
# Already-compressed media gain nothing from deflate; stored, they also read faster.
STORED = {".zip", ".mp4", ".m4v", ".webm", ".ogv", ".mp3", ".m4a", ".ogg", ".oga", ".opus",
          ".flac", ".png", ".jpg", ".jpeg", ".gif", ".webp", ".pdf"}
CHUNK = 1024 * 1024


@dataclass(frozen=True)
class Built:
    """What build() wrote: the zip, its size, how many files, and whether pack.json changed."""

    path: Path
    size: int
    files: int
    manifest_changed: bool
    signature_removed: bool


def fill(folder) -> bool:
    """Write each listed file's size and sha256 into pack.json; True when that changed it."""
    folder = Path(folder)
    raw = (folder / "pack.json").read_bytes() if (folder / "pack.json").is_file() else None
    if raw is None:
        raise PackRefused([Problem("pack.json", "is missing: a pack has pack.json at its root")])
    data, problems = manifest_mod.parse(raw)
    if data is None:
        raise PackRefused(problems)
    changed = False
    for res in data.get("resources") if isinstance(data.get("resources"), list) else []:
        file = res.get("file") if isinstance(res, dict) else None
        if not isinstance(file, str) or not manifest_mod.is_safe_relative_path(file):
            continue  # validation names the problem
        path = folder / file
        if path.is_file() and not path.is_symlink():
            size, sha = file_sha256(path)
            if (res.get("size"), res.get("sha256")) != (size, sha):
                res["size"], res["sha256"] = size, sha
                changed = True
    if changed:
        text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
        (folder / "pack.json").write_text(text, encoding="utf-8")
    return changed


def _entry(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=FIXED_TIME)
    info.create_system = 3   # Unix, so the mode below is what readers see
    info.external_attr = FILE_MODE << 16
    stored = os.path.splitext(name)[1].lower() in STORED
    info.compress_type = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
    return info


def write_zip(folder: Path, names: list[str], output: Path) -> None:
    """Write `names` from `folder` into a reproducible zip at `output` (atomically)."""
    partial = output.with_name(output.name + ".partial")
    try:
        with zipfile.ZipFile(partial, "w") as archive:
            for name in names:
                size = (folder / name).stat().st_size
                with open(folder / name, "rb") as src, \
                        archive.open(_entry(name), "w", force_zip64=size >= 2 ** 31) as dst:
                    shutil.copyfileobj(src, dst, CHUNK)
        os.replace(partial, output)
    finally:
        partial.unlink(missing_ok=True)


def build(folder, output) -> Built:
    """Fill pack.json, check the whole pack, and write it as a reproducible zip."""
    folder, output = Path(folder).resolve(), Path(output).resolve()
    if output.parent == folder or folder in output.parents:
        raise PackRefused([Problem(str(output), "must be outside the pack folder")])
    changed = fill(folder)
    signature = folder / SIGNATURE_FILE
    removed = changed and signature.exists()
    if removed:
        signature.unlink()  # it signed the old pack.json: sign again after building
    problems = validate(folder)
    if problems:
        raise PackRefused(problems)
    data = json.loads((folder / "pack.json").read_bytes())
    files = sorted({res["file"] for res in data["resources"]})
    names = ["pack.json"] + ([SIGNATURE_FILE] if signature.exists() else []) + files
    output.parent.mkdir(parents=True, exist_ok=True)
    write_zip(folder, names, output)
    return Built(output, output.stat().st_size, len(files), changed, removed)
