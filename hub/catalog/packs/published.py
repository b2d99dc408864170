"""Installed packs as zips for other hubs: a reproducible rebuild of each installed version.

A hub serves its packs to its neighbours (GET /api/v1/packs/<id>.zip). The installed folder
holds pack.json exactly as it was signed, pack.sig, and every file listed with its sha256,
so a zip rebuilt from it (hub.catalog.packs.build.write_zip: sorted entries, fixed times)
carries the same signature and file hashes as the original, and the same folder always gives
the same bytes. It is built once per version into HUB_DATA_DIR/published/<id>/<version>.zip
with its sha256 beside it; older versions' zips go when a newer one is built.
"""
from __future__ import annotations

import json
import threading
from pathlib import Path

from hub.catalog import store as catalog
from hub.catalog.packs.build import write_zip
from hub.catalog.packs.manifest import PACK_ID
from hub.catalog.packs.store import remove_tree
from hub.catalog.packs.validate import SIGNATURE_FILE
from hub.core.digest import file_sha256

FOLDER = "published"
CHUNK = 1024 * 1024
_BUILDING = threading.Lock()  # one rebuild at a time in this process (they are rare and large)


def _names(folder: Path) -> list[str] | None:
    """The entries of the pack's zip, or None when the folder cannot be shared as a pack."""
    try:
        manifest = json.loads((folder / "pack.json").read_bytes())
    except (OSError, ValueError):
        return None  # a ZIM archive or another kind without a pack.json
    files = sorted({r["file"] for r in manifest.get("resources") or [] if r.get("file")})
    if not all((folder / name).is_file() for name in files):
        return None
    return ["pack.json"] + ([SIGNATURE_FILE] if (folder / SIGNATURE_FILE).is_file() else []) + files


def zip_for(db, data_dir, pack_id: str) -> tuple[Path, str, dict] | None:
    """(zip path, sha256, pack row) of an installed, enabled pack; built on first ask; else None."""
    if not PACK_ID.fullmatch(pack_id or ""):
        return None  # never a path made of what a URL said
    folder = Path(data_dir) / FOLDER / pack_id
    pack = catalog.get_pack(db, pack_id, enabled_only=True, manifest=False)
    if pack is None:
        with _BUILDING:
            remove_tree(folder)  # the zips of a removed or hidden pack
        return None
    target = folder / f"{pack['version']}.zip"
    stamp = folder / f"{pack['version']}.sha256"
    with _BUILDING:
        if not (target.is_file() and stamp.is_file()):
            names = _names(Path(pack["storage_dir"]))
            if names is None:
                return None
            folder.mkdir(parents=True, exist_ok=True)
            write_zip(Path(pack["storage_dir"]), names, target)
            stamp.write_text(file_sha256(target)[1] + "\n", encoding="ascii")
            for old in folder.iterdir():
                if old.stem != pack["version"]:
                    old.unlink(missing_ok=True)
    return target, stamp.read_text(encoding="ascii").strip(), pack


def catalog_entries(db, data_dir) -> list[dict]:
    """/api/v1/catalog rows for every installed, enabled pack that can be shared."""
    rows = []
    for pack in catalog.list_packs(db, enabled_only=True):
        found = zip_for(db, data_dir, pack["id"])
        if found is None:
            continue
        path, sha, _ = found
        rows.append({"id": pack["id"], "version": pack["version"], "title": pack["title"],
                     "languages": pack["languages"], "size": path.stat().st_size, "sha256": sha,
                     "url": f"packs/{pack['id']}.zip"})
    return rows
