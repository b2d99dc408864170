"""Add a ZIM file as a pack: checked, then copied into the data dir or kept by reference.

A ZIM pack is one catalog resource, `home` (kind 'zim'), standing for the whole archive:
its articles are served and searched straight from the archive, never copied into the
catalog (see docs/zim.md). A refused file changes nothing.
"""
from __future__ import annotations

import os
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

from sqlite_utils import Database

from hub.catalog.zim import MISSING, ZimUnavailable, available, store
from hub.catalog.zim import archive as zim_archive
from hub.catalog import versions
from hub.catalog.zim.search import HOME_RESOURCE
from hub.core import clock, mounts

COPY_CHUNK = 4 * 1024 * 1024
ZIM_FILE = "archive.zim"          # the copied archive inside packs/<id>/<version>/
ICON_FILE = "illustration-48.png"


class ZimRefused(Exception):
    """The file cannot be added; `problems` are `WHERE: WHY` lines, nothing was written."""

    def __init__(self, problems: list[str]):
        super().__init__("; ".join(problems))
        self.problems = list(problems)


@dataclass(frozen=True)
class Installed:
    """What install() did."""
    pack_id: str
    version: str
    by_reference: bool
    path: str            # the archive the hub now serves


def pack_id_for(name: str, filename: str) -> str:
    """A pack id from the ZIM's Name ('wikipedia_en_all' -> 'zim.wikipedia-en-all')."""
    base = re.sub(r"[^a-z0-9.-]+", "-", (name or Path(filename).stem).lower()).strip(".-")
    base = re.sub(r"_\d{4}-\d{2}$", "", base) or "archive"
    return ("zim." + base)[:64].rstrip(".-")


def version_for(date: str) -> str:
    """A pack version from the ZIM's Date ('2024-01-15' -> '2024.01.15'); '0' when absent."""
    match = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", date or "")
    return ".".join(match.groups()) if match else "0"


def _check(path: Path) -> tuple[object, dict]:
    """Open and verify the archive; return (archive, metadata) or raise ZimRefused."""
    where = path.name
    try:
        archive = zim_archive.load(str(path))
    except ValueError as exc:
        raise ZimRefused([f"{where}: {exc}; the file is truncated or damaged, copy it again"]) from None
    try:
        # The MD5 over the whole file, written by the creator: catches truncation and bit rot.
        if archive.has_checksum and not archive.check():
            raise ZimRefused([f"{where}: checksum does not match; the file is damaged, copy it again"])
        meta = zim_archive.metadata(archive)
        if meta["main_path"]:
            bytes(archive.get_entry_by_path(meta["main_path"]).get_item().content[:1])
    except (RuntimeError, KeyError) as exc:
        raise ZimRefused([f"{where}: cannot read the archive ({exc}); the file is damaged"]) from None
    if not meta["main_path"]:
        raise ZimRefused([f"{where}: the archive has no main page to open it with"])
    return archive, meta


def manifest_for(meta: dict, pack_id: str, version: str, size: int, file: str) -> dict:
    """The pack.json-like description the catalog stores for a ZIM pack."""
    lang = meta["language"]
    title = meta["title"] or meta["name"] or pack_id
    description = meta["description"]
    return {
        "format": 1, "id": pack_id, "version": version,
        "title": {lang: title}, "description": {lang: description} if description else {},
        "publisher": meta["publisher"], "license": meta["license"],
        "languages": meta["languages"], "topics": [],
        "resources": [{
            "id": HOME_RESOURCE, "kind": "zim", "language": lang, "group": HOME_RESOURCE,
            "title": title, "description": description, "tags": meta["tags"][:20],
            "file": file, "sha256": "", "size": size}],
        "zim": {"uuid": meta["uuid"], "main_path": meta["main_path"], "name": meta["name"],
                "creator": meta["creator"], "date": meta["date"],
                "article_count": meta["article_count"], "icon": ICON_FILE if meta["illustration"] else ""},
    }


def _installed_version(db: Database, pack_id: str) -> str | None:
    rows = list(db.query("SELECT version FROM packs WHERE id = ?", [pack_id]))
    return rows[0]["version"] if rows else None


def _copy(source: Path, target: Path, progress) -> None:
    size = source.stat().st_size
    done = 0
    with open(source, "rb") as src, open(target, "wb") as dst:
        while chunk := src.read(COPY_CHUNK):
            dst.write(chunk)
            done += len(chunk)
            progress(0.1 + 0.8 * done / max(size, 1), "copying")
        dst.flush()
        os.fsync(dst.fileno())


def install(db: Database, data_dir, path, *, keep_mounted: bool = False, usb_mounts: str = "",
            reserve_bytes: int = 0, source: str = "zim", progress=None, **_ignored) -> Installed:
    """Check a .zim and add (or upgrade) it as a pack; raise ZimRefused, changing nothing.

    keep_mounted: the facilitator keeps this USB drive mounted, so a file under one of
    `usb_mounts` (HUB_USB_MOUNTS) is served in place; anything else is copied.
    """
    from hub.catalog.packs import store as pack_store

    # The packs' install lock: one install at a time (a pack and a ZIM may not race for an id),
    # and the start-up sweep never takes this install's folders for leftovers while it runs.
    with pack_store.install_lock(data_dir):
        staging = pack_store.new_staging(data_dir)
        try:
            return _install(db, data_dir, Path(path), keep_mounted, usb_mounts, reserve_bytes,
                            source, progress or (lambda fraction, message="": None), staging)
        finally:
            shutil.rmtree(staging, ignore_errors=True)  # moved into place, or not needed


def _install(db, data_dir, path: Path, keep_mounted, usb_mounts, reserve_bytes, source, progress,
             staging: Path) -> Installed:
    from hub.catalog import store as catalog

    if not available():
        raise ZimRefused([f"{path.name}: {MISSING}"])
    if not path.is_file():
        raise ZimRefused([f"{path.name}: no such file"])
    progress(0.0, "checking")
    archive, meta = _check(path)
    size = path.stat().st_size
    del archive
    pack_id, version = pack_id_for(meta["name"], path.name), version_for(meta["date"])
    old_version = _installed_version(db, pack_id)
    old_row = store.get(db, pack_id, enabled_only=False)
    if old_version is not None and old_row is None:
        raise ZimRefused([f"{path.name}: pack id {pack_id} belongs to an installed content pack"])
    if old_version is not None and versions.compare(version, old_version) != "newer":
        raise ZimRefused([f"{path.name}: {pack_id} {old_version} is installed; "
                          f"this archive ({version}) is not newer"])
    by_reference = False
    if keep_mounted:
        drives = mounts.mount_points(usb_mounts)
        if not mounts.is_under(str(path), drives):
            raise ZimRefused([f"{path.name}: only a file on a USB drive under HUB_USB_MOUNTS "
                              f"({usb_mounts}) can stay in place; install it without keep-mounted to copy it"])
        by_reference = True
    packs_dir = Path(data_dir) / "packs"
    storage = packs_dir / pack_id / version
    if not by_reference and shutil.disk_usage(Path(data_dir)).free - size < reserve_bytes:
        raise ZimRefused([f"{path.name}: not enough free space to copy {size} bytes "
                          f"and keep {reserve_bytes} bytes free"])

    # Staging lives in the packs' staging folder (same disk), which the start-up sweep empties
    # after a power cut; a hidden folder under packs/ would stay forever.
    try:
        if meta["illustration"]:
            (staging / ICON_FILE).write_bytes(meta["illustration"])
        if not by_reference:
            _copy(path, staging / ZIM_FILE, progress)
        progress(0.9, "adding to the catalog")
        storage.parent.mkdir(parents=True, exist_ok=True)
        if storage.exists():
            shutil.rmtree(storage)  # a leftover of an interrupted install of this version
        os.replace(staging, storage)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    served = str(path.resolve()) if by_reference else str(storage / ZIM_FILE)
    manifest = manifest_for(meta, pack_id, version, size, path.name if by_reference else ZIM_FILE)
    try:
        with db.atomic():
            catalog.replace_pack(db, manifest, storage_dir=str(storage), signed_by=None,
                                 source=source, size=size)
            store.put(db, {
                "pack_id": pack_id, "path": served, "by_reference": int(by_reference),
                "uuid": meta["uuid"], "language": meta["language"],
                "main_path": meta["main_path"], "size": size,
                "article_count": meta["article_count"], "has_fulltext": int(meta["has_fulltext"]),
                "installed_at": clock.iso()})
    except BaseException:
        shutil.rmtree(storage, ignore_errors=True)
        raise
    if old_row is not None:
        zim_archive.forget(old_row["path"])
        old_storage = packs_dir / pack_id / old_version
        if old_storage != storage:
            shutil.rmtree(old_storage, ignore_errors=True)
    progress(1.0, "installed")
    return Installed(pack_id, version, by_reference, served)


def require_libzim() -> None:
    """Raise ZimUnavailable when python-libzim is missing."""
    if not available():
        raise ZimUnavailable()


def describe(path) -> dict:
    """id, version, title (map) and languages of a .zim, for listings (USB scan); no checks.

    Raises ValueError with a short reason (libzim missing, not a readable ZIM).
    """
    if not available():
        raise ValueError(MISSING)
    meta = zim_archive.metadata(zim_archive.load(str(path)))
    pack_id = pack_id_for(meta["name"], Path(path).name)
    return {"id": pack_id, "version": version_for(meta["date"]),
            "title": {meta["language"]: meta["title"] or pack_id}, "languages": meta["languages"]}
