"""Find content on USB sticks and folders: .zip packs, pack folders, .zim and .h5p files and
Kolibri channel exports under mount points."""
from __future__ import annotations

import json
import os
import zipfile
from pathlib import Path

from hub.catalog.versions import compare

MAX_DEPTH = 4            # /media/<user>/<stick>/<folder>/<pack>
MAX_ENTRIES = 20000      # stop walking a huge disk rather than hang the page
MAX_MANIFEST = 32 * 1024 * 1024
KOLIBRI_DATABASES = Path("content") / "databases"


def read_manifest(path: Path) -> dict:
    """Read pack.json from a pack folder or .zip; raise ValueError with a short reason."""
    try:
        if path.is_dir():
            manifest = path / "pack.json"
            if manifest.stat().st_size > MAX_MANIFEST:
                raise ValueError("pack.json is too large")
            data = manifest.read_bytes()
        else:
            with zipfile.ZipFile(path) as archive:
                info = archive.getinfo("pack.json")
                if info.file_size > MAX_MANIFEST:
                    raise ValueError("pack.json is too large")
                data = archive.read(info)
        manifest = json.loads(data)
    except KeyError:
        raise ValueError("no pack.json at the top of the .zip") from None
    except zipfile.BadZipFile:
        raise ValueError("not a readable .zip file") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ValueError(f"pack.json cannot be read ({exc})") from None
    if not isinstance(manifest, dict) or not isinstance(manifest.get("id"), str) \
            or not isinstance(manifest.get("version"), str):
        raise ValueError("pack.json has no id or version")
    return manifest


def _folder_size(path: Path) -> int:
    total = 0
    for root, _dirs, files in os.walk(path):
        for name in files:
            try:
                total += os.lstat(os.path.join(root, name)).st_size
            except OSError:
                pass
    return total


def _candidates(mount: Path):
    seen = 0
    stack = [(mount, 0)]
    while stack:
        folder, depth = stack.pop()
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError:
            continue  # unreadable folder: skip it, keep scanning the rest
        if any(e.name == "pack.json" and e.is_file() for e in entries) and folder != mount:
            yield folder
            continue
        if (folder / KOLIBRI_DATABASES).is_dir():
            yield folder  # a Kolibri export (KOLIBRI_DATA/content/databases/...): one item
            continue
        for entry in entries:
            seen += 1
            if seen > MAX_ENTRIES:
                return
            if entry.name.startswith("."):
                continue
            if entry.is_file(follow_symlinks=False) and entry.name.lower().endswith((".zip", ".zim", ".h5p")):
                yield Path(entry.path)
            elif entry.is_dir(follow_symlinks=False) and depth < MAX_DEPTH:
                stack.append((Path(entry.path), depth + 1))


def scan(mounts: list[Path], installed: dict[str, str]) -> list[dict]:
    """List packs found under the mount points, each compared with the installed version.

    `installed` maps pack id -> installed version. Each item: path, kind ('zip' | 'folder' | 'zim'
    | 'h5p' | 'kolibri'),
    id, version, title (map), languages, size, status ('new' | 'newer' | 'same' | 'older' |
    'unreadable'), problem (why unreadable). Zips that are not packs are left out.
    """
    found = []
    for mount in mounts:
        for path in _candidates(Path(mount)):
            kind = _kind(path)
            item = {"path": str(path), "kind": kind, "id": "", "version": "", "title": {},
                    "languages": [], "size": 0, "status": "unreadable", "problem": ""}
            try:
                manifest = _DESCRIBE.get(kind, read_manifest)(path)
            except ValueError as exc:
                if kind == "zip" and "no pack.json" in str(exc):
                    continue  # an ordinary .zip (photos, backups): not ours to list
                item["problem"] = str(exc)
                found.append(item)
                continue
            title = manifest.get("title")
            item.update(
                id=manifest["id"], version=manifest["version"],
                title=title if isinstance(title, (dict, str)) else {},
                languages=[x for x in manifest.get("languages") or [] if isinstance(x, str)],
                size=_folder_size(path) if kind == "folder" else path.stat().st_size,
                status=compare(manifest["version"], installed.get(manifest["id"])))
            found.append(item)
    return found


def _describe_zim(path: Path) -> dict:
    # Kiwix ZIM files are packs too (hub.catalog.zim); without libzim they are listed as unreadable.
    from hub.catalog.zim.install import describe

    return describe(path)


def _describe_h5p(path: Path) -> dict:
    from hub.catalog.h5p.install import describe

    return describe(path)


def _describe_kolibri(path: Path) -> dict:
    from hub.catalog.kolibri.install import describe

    return describe(path)


_DESCRIBE = {"zim": _describe_zim, "h5p": _describe_h5p, "kolibri": _describe_kolibri}


def _kind(path: Path) -> str:
    if path.is_dir():
        return "kolibri" if (path / KOLIBRI_DATABASES).is_dir() else "folder"
    suffix = path.suffix.lower()
    return "zim" if suffix == ".zim" else "h5p" if suffix == ".h5p" else "zip"
