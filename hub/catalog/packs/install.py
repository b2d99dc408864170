"""Install, upgrade, remove, enable and disable packs: stage, verify, then switch atomically.

Install streams the pack into HUB_DATA_DIR/staging/<random>/, checking every byte as it is
extracted; only a fully verified pack is moved to packs/<id>/<version>/ and written to the
catalog in one transaction; the old version's files go after the new one is live. Anything
refused or interrupted leaves the hub as it was (cleanup_staging sweeps the leftovers).
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from hub.catalog import store as catalog
from hub.core import settings
from hub.catalog.packs import store
from hub.catalog.packs.errors import PackRefused, Problem
from hub.catalog.versions import version_key
from hub.catalog.packs.source import open_source
from hub.catalog.packs.validate import SIGNATURE_FILE, check

log = logging.getLogger("hub.packs")
DEFAULT_RESERVE_BYTES = 200 * 1024 * 1024   # HUB_DISK_RESERVE_MB's default
MAX_PACK_BYTES = 64 * 1024 ** 3             # what a zip may claim to expand to, at most
BUNDLED_SETTING = "bundled_packs_installed"


@dataclass(frozen=True)
class InstallResult:
    """What install() did: the pack, its new version, the one it replaced, its trusted signer."""

    pack_id: str
    version: str
    previous_version: str | None
    signed_by: str | None


def _quiet(_fraction: float, _message: str = "") -> None:
    pass


def _installed(db, pack_id: str) -> dict | None:
    return catalog.get_pack(db, pack_id)


def _version_problems(manifest: dict, previous: dict | None) -> list[Problem]:
    if previous is None:
        return []
    new, old = manifest["version"], previous["version"]
    try:
        older_or_same = version_key(new) <= version_key(old)
    except ValueError:
        return [Problem("id", f"{manifest['id']} is the id of an installed pack of another kind "
                              f"(version {old}); remove it first")]
    if new == old:
        return [Problem("version", f"{manifest['id']} {old} is installed already")]
    if older_or_same:
        return [Problem("version", f"{new} is not newer than the installed {old}; "
                                   "an upgrade needs a higher version (remove the pack to go back)")]
    return []


def _signer_problems(pack_id: str, previous: dict | None, signed_by: str | None,
                     allow_new_signer: bool) -> list[Problem]:
    """An upgrade keeps its signer: a pack signed by a trusted key is replaced only by a pack
    signed by the same key (names of trusted keys are unique), never by an unsigned one,
    unless the facilitator allows a new signer for this install."""
    if previous is None or not previous.get("signed_by") or allow_new_signer:
        return []
    if signed_by == previous["signed_by"]:
        return []
    by = f"by {signed_by}" if signed_by else "unsigned"
    return [Problem("pack.sig", f"{pack_id} {previous['version']} is signed by "
                                f"{previous['signed_by']}; this version is {by}: an upgrade must be "
                                "signed by the same key (--allow-new-signer to accept another)")]


def install(db, data_dir, path, *, allow_unsigned: bool = True, reserve_bytes: int = DEFAULT_RESERVE_BYTES,
            source: str = "cli", progress=None, allow_new_signer: bool = False) -> InstallResult:
    """Install or upgrade the pack folder or .zip at `path`; PackRefused changes nothing."""
    progress = progress or _quiet
    data_dir = Path(data_dir)
    with store.install_lock(data_dir):
        progress(0.0, "reading the pack")
        pack = open_source(path, MAX_PACK_BYTES)
        staging = store.new_staging(data_dir)
        try:
            return _install(db, data_dir, pack, staging, allow_unsigned, reserve_bytes, source, progress,
                            allow_new_signer)
        finally:
            pack.close()
            store.remove_tree(staging)  # gone already when the pack was published


def _install(db, data_dir: Path, pack, staging: Path, allow_unsigned: bool, reserve_bytes: int,
             source: str, progress, allow_new_signer: bool = False) -> InstallResult:
    decided: dict = {}

    def gate(found) -> list[Problem]:
        """The install's own checks, before any file is copied: version, signature, disk."""
        from hub.catalog.packs import sign  # lazily: see validate.SIGNATURE_FILE

        decided["previous"] = _installed(db, found.manifest["id"])
        problems = _version_problems(found.manifest, decided["previous"])
        decided["signed_by"], refused = sign.check(db, found.raw, found.signature, allow_unsigned)
        problems += refused or _signer_problems(found.manifest["id"], decided["previous"],
                                                decided["signed_by"], allow_new_signer)
        room = store.free_bytes(data_dir) - reserve_bytes
        if found.size > room:
            problems.append(Problem(pack.name, f"needs {found.size} bytes but only {max(room, 0)} are "
                                               f"free beyond the {reserve_bytes}-byte reserve "
                                               "(HUB_DISK_RESERVE_MB)"))
        return problems

    found = check(pack, staging=staging, gate=gate,
                  progress=lambda f, m: progress(0.05 + 0.85 * f, m))
    if found.problems:
        raise PackRefused(found.problems)
    manifest, previous, signed_by = found.manifest, decided["previous"], decided["signed_by"]
    store.write_durably(staging / "pack.json", found.raw)
    if found.signature is not None:
        store.write_durably(staging / SIGNATURE_FILE, found.signature)
    progress(0.92, "switching to the new version")
    target = store.version_dir(data_dir, manifest["id"], manifest["version"])
    store.publish(staging, target)
    try:
        with db.atomic():
            catalog.replace_pack(db, manifest, storage_dir=str(target), signed_by=signed_by,
                                 source=source, size=found.size)
    except BaseException:
        store.remove_tree(target)
        raise
    if previous is not None and Path(previous["storage_dir"]) != target:
        store.remove_tree(Path(previous["storage_dir"]))
    progress(1.0, "installed")
    log.info("installed %s %s (%s, %s)", manifest["id"], manifest["version"],
             f"signed by {signed_by}" if signed_by else "unsigned",
             f"upgraded from {previous['version']}" if previous else "new")
    return InstallResult(manifest["id"], manifest["version"],
                         previous["version"] if previous else None, signed_by)


def _forget_zim(db, pack_id: str) -> str | None:
    """The archive path of a ZIM pack (its cached handle is dropped after removal), or None."""
    try:
        from hub.catalog.zim import store as zim_store
    except ImportError:
        return None
    row = zim_store.get(db, pack_id, enabled_only=False)
    return row["path"] if row else None


def remove(db, data_dir, pack_id: str) -> None:
    """Remove a pack: its catalog rows first (one transaction), then its files."""
    with store.install_lock(data_dir):
        pack = _installed(db, pack_id)
        if pack is None:
            raise PackRefused([Problem(pack_id, "no such pack is installed")])
        zim_path = _forget_zim(db, pack_id)
        with db.atomic():
            catalog.remove_pack(db, pack_id)
        store.remove_tree(store.packs_dir(data_dir) / pack_id)
        if zim_path:
            from hub.catalog.zim import archive as zim_archive
            zim_archive.forget(zim_path)
    log.info("removed %s %s", pack_id, pack["version"])


def set_enabled(db, pack_id: str, enabled: bool) -> None:
    """Show a pack to learners (enabled) or hide it; its rows, files and progress stay."""
    if _installed(db, pack_id) is None:
        raise PackRefused([Problem(pack_id, "no such pack is installed")])
    catalog.set_enabled(db, pack_id, enabled)
    log.info("%s %s", "enabled" if enabled else "disabled", pack_id)


def cleanup_staging(data_dir, db=None) -> list[str]:
    """Remove what a killed install left (staging, and with `db` unreferenced pack versions)."""
    if not Path(data_dir).is_dir():
        return []
    with store.install_lock(data_dir, wait=False) as locked:
        if not locked:
            return []  # an install is running right now: its staging is not stale
        referenced = None
        if db is not None:
            referenced = {row[0] for row in db.execute("SELECT storage_dir FROM packs")}
        removed = store.sweep(data_dir, referenced)
    if removed:
        log.warning("removed %d leftovers of interrupted installs", len(removed))
    return removed


def bundled_source(setting: str) -> Path:
    """HUB_PACKS_SOURCE as a folder; the default also finds the packs shipped with the hub."""
    from hub.core.config import ROOT, SETTINGS

    path = Path(setting)
    default = str(SETTINGS["HUB_PACKS_SOURCE"][0])
    # config.load makes the default absolute (<cwd>/content_packs): started from another folder
    # (a service, an installed hub), the default still means the packs shipped with the hub.
    if not path.is_dir() and (setting == default or path == Path(default).resolve()):
        return ROOT / "content_packs"
    return path


def install_bundled(db, data_dir, source_dir, allow_unsigned: bool = True,
                    reserve_bytes: int = DEFAULT_RESERVE_BYTES) -> list[InstallResult]:
    """Install every pack folder in `source_dir` once, on the hub's first start."""
    folder = bundled_source(str(source_dir))
    if settings.get(db, BUNDLED_SETTING) or not folder.is_dir():
        return []
    results = []
    for pack in sorted(p for p in folder.iterdir() if (p / "pack.json").is_file()):
        try:
            results.append(install(db, data_dir, pack, allow_unsigned=allow_unsigned,
                                   reserve_bytes=reserve_bytes, source="bundled"))
        except PackRefused as refused:
            # Installed already (same or newer), or broken: say so, and go on with the others.
            log.warning("bundled pack %s not installed: %s", pack.name, refused)
    settings.set(db, BUNDLED_SETTING, True)
    return results
