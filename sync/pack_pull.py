"""Pull packs from the centre or another hub: what is new, then download, verify, install.

    updates(db, conf, source)  -> packs the source has that this hub lacks or has older
    pull(db, conf, pack_id, source, ...) -> download (resumable), check the whole sha256,
                                  then the normal atomic install with its signature check

Nothing is trusted for where it came from: the downloaded zip goes through
hub.catalog.packs.install like an upload or a USB stick, under the same trust rules. A zip
whose bytes do not match the catalog's sha256 is deleted and nothing changes; a cut
connection keeps what arrived, and the next pull asks only for the rest.
"""
from __future__ import annotations

import fcntl
import logging
import os
from dataclasses import dataclass

from hub.catalog import store as catalog
from hub.catalog.packs.errors import PackRefused
from hub.catalog.versions import version_key
from hub.core import clock
from hub.core.digest import file_sha256
from sync import pack_downloads as downloads
from sync import upstream
from sync.pack_http import Changed, PullError, fetch_catalog

log = logging.getLogger("hub.packs.pull")
MIB = 1024 * 1024


@dataclass(frozen=True)
class PullResult:
    """What pull() did: 'installed', 'downloaded' (waits to be installed) or 'paused' (budget)."""

    pack_id: str
    version: str
    state: str
    fetched: int        # bytes fetched by this pull (what the link paid)
    resumed_from: int   # bytes already on disk when it started


def source_for(conf: dict, given: str | None) -> str:
    """The source to pull from: --from, else the registered centre; PullError when neither."""
    source = (given or upstream.config(conf)["url"] or "").strip()
    if not source:
        raise PullError("--from: no centre is registered (hub sync register) and no --from URL was given")
    return source


def _newer(entry: dict, installed: dict | None) -> bool:
    if installed is None:
        return True
    try:
        return version_key(entry["version"]) > version_key(installed["version"])
    except (TypeError, ValueError):
        return False


def updates(db, conf: dict, source: str | None = None, entries: list[dict] | None = None) -> list[dict]:
    """Packs the source has that this hub lacks or has in an older version (contract rows + title)."""
    entries = fetch_catalog(source_for(conf, source)) if entries is None else entries
    found = []
    for entry in entries:
        installed = catalog.get_pack(db, entry["id"], manifest=False)
        if _newer(entry, installed):
            found.append({"id": entry["id"], "version": entry["version"],
                          "installed_version": installed["version"] if installed else None,
                          "size": entry["size"], "title": entry["title"], "sha256": entry["sha256"],
                          "url": entry["url"]})
    return found


def _fetch(db, conf: dict, entry: dict, source: str, limit, rate, progress) -> tuple[int, int, bool]:
    """Download into the staging file: (bytes on disk at start, fetched now, complete)."""
    from sync.pack_http import download

    data_dir = conf["HUB_DATA_DIR"]
    part, sha, size = downloads.part_path(data_dir, entry["sha256"]), entry["sha256"], entry["size"]
    earlier = downloads.get(db, entry["id"])
    if earlier and earlier["sha256"] != sha:  # a newer version came out meanwhile: drop the old bytes
        downloads.part_path(data_dir, earlier["sha256"]).unlink(missing_ok=True)
        downloads.done_path(data_dir, earlier["sha256"]).unlink(missing_ok=True)
    with open(part, "a+b") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise PullError(f"{entry['id']} is being downloaded by another process right now") from None
        handle.seek(0, os.SEEK_END)
        start = handle.tell()
        downloads.start(db, entry, source, start)
        day = clock.local_today(clock.hub_timezone(db, conf)).isoformat()
        counted = [start]

        def on_bytes(total: int) -> None:
            downloads.add_bytes(db, day, total - counted[0])
            counted[0] = total
            downloads.progress(db, entry["id"], total)
            if progress:
                progress(total, size)

        try:
            with open(part, "r+b") as writer:
                total = download(entry["url"], writer, sha, size, limit=limit, rate=rate, on_bytes=on_bytes)
        except Changed as changed:
            part.unlink(missing_ok=True)
            downloads.finish(db, entry["id"], "failed", str(changed), received=0)
            raise
        except PullError as error:
            downloads.finish(db, entry["id"], "failed", str(error), received=part.stat().st_size)
            raise
    return start, total - start, total >= size


def _check_room(conf: dict, entry: dict) -> None:
    """Refuse before downloading a pack that could not be installed for want of disk space."""
    from hub.catalog.packs.store import free_bytes

    part = downloads.part_path(conf["HUB_DATA_DIR"], entry["sha256"])
    missing = entry["size"] - (part.stat().st_size if part.exists() else 0)
    # The zip, then its unpacked files beside it: about twice its size, plus the reserve.
    needed = missing + entry["size"] + conf["HUB_DISK_RESERVE_MB"] * MIB
    free = free_bytes(conf["HUB_DATA_DIR"])
    if needed > free:
        raise PullError(f"{entry['id']} needs about {needed // MIB} MB free but only {free // MIB} MB are "
                        "(HUB_DISK_RESERVE_MB included); remove packs you no longer use")


def _verified(db, conf: dict, entry: dict):
    """The staging file checked against the catalog's sha256, moved to <sha256>.zip."""
    data_dir = conf["HUB_DATA_DIR"]
    part, done = downloads.part_path(data_dir, entry["sha256"]), downloads.done_path(data_dir, entry["sha256"])
    if done.is_file():
        return done
    if file_sha256(part)[1] != entry["sha256"]:
        part.unlink(missing_ok=True)
        why = (f"the downloaded bytes do not match the catalog's sha256 for {entry['id']} "
               f"{entry['version']}; they were thrown away and nothing changed")
        downloads.finish(db, entry["id"], "failed", why, received=0)
        raise PullError(why)
    os.replace(part, done)
    return done


def install_downloaded(db, conf: dict, entry: dict, path) -> None:
    """Install a verified zip by the normal install (signature and trust rules); then drop it."""
    from hub.catalog.packs.install import install

    try:
        install(db, conf["HUB_DATA_DIR"], path, allow_unsigned=conf["HUB_ALLOW_UNSIGNED_PACKS"],
                reserve_bytes=conf["HUB_DISK_RESERVE_MB"] * MIB, source="pull")
    except PackRefused as refused:
        downloads.finish(db, entry["id"], "failed", "; ".join(str(p) for p in refused.problems))
        path.unlink(missing_ok=True)
        raise
    path.unlink(missing_ok=True)
    downloads.finish(db, entry["id"], "installed")


def pull(db, conf: dict, pack_id: str, source: str | None = None, *, install: bool = True,
         limit: int | None = None, rate: int | None = None, progress=None,
         entries: list[dict] | None = None) -> PullResult:
    """Download (resuming), verify and (unless install=False) install one pack from a catalog."""
    source = source_for(conf, source)
    entries = fetch_catalog(source) if entries is None else entries
    entry = next((e for e in entries if e["id"] == pack_id), None)
    if entry is None:
        raise PullError(f"{pack_id}: {source} does not offer this pack")
    installed = catalog.get_pack(db, pack_id, manifest=False)
    if not _newer(entry, installed):
        raise PullError(f"{pack_id}: {entry['version']} is installed already (or newer)")
    done = downloads.done_path(conf["HUB_DATA_DIR"], entry["sha256"])
    _check_room(conf, entry)
    start, fetched, complete = (done.stat().st_size, 0, True) if done.is_file() else \
        _fetch(db, conf, entry, source, limit, rate, progress)
    if not complete:
        downloads.finish(db, pack_id, "downloading")
        log.info("pull %s paused after %d bytes (daily budget)", pack_id, start + fetched)
        return PullResult(pack_id, entry["version"], "paused", fetched, start)
    path = _verified(db, conf, entry)
    if not install:
        downloads.finish(db, pack_id, "downloaded", received=entry["size"])
        return PullResult(pack_id, entry["version"], "downloaded", fetched, start)
    install_downloaded(db, conf, entry, path)
    log.info("pulled %s %s from %s (%d bytes fetched, resumed from %d)", pack_id, entry["version"],
             source, fetched, start)
    return PullResult(pack_id, entry["version"], "installed", fetched, start)
