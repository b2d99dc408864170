"""Install a Kolibri export (folder, its parent, or a zip): every channel in it becomes one pack.

All channels are converted and checked first (every file against its MD5), each into its
own folder under HUB_DATA_DIR/staging; only when all of them are sound is each installed
through the one pack install (validate, stage, swap atomically), so an export with a damaged
file changes nothing. Nodes that cannot be played come back in `skipped`, with a reason.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass, field

from hub.catalog import versions
from hub.catalog.kolibri import channel as channel_db
from hub.catalog.kolibri.convert import Converted, convert
from hub.catalog.kolibri.source import open_export
from hub.catalog.packs import install as pack_install
from hub.catalog.packs import store
from hub.catalog.packs.errors import PackRefused, Problem

log = logging.getLogger("hub.packs")


@dataclass
class ChannelsInstalled:
    """What install() did: one pack per channel, and the nodes left out (title, kind, reason)."""
    packs: list[pack_install.InstallResult] = field(default_factory=list)
    skipped: list[dict] = field(default_factory=list)


def _quiet(_fraction: float, _message: str = "") -> None:
    pass


def _check_newer(db, channel) -> None:
    """Refuse before anything is copied when this channel version is installed already (or newer)."""
    from hub.catalog import store as catalog
    from hub.catalog.kolibri.convert import pack_id_for

    installed = catalog.get_pack(db, pack_id_for(channel.id), manifest=False)
    if installed is None:
        return
    version = f"{max(channel.version, 0)}.0.0"
    if versions.compare(version, installed["version"]) != "newer":
        raise PackRefused([Problem(channel.name, f"channel version {channel.version} is installed already "
                                                 f"(pack {installed['id']} {installed['version']}); "
                                                 "only a newer channel version upgrades it")])


def install(db, data_dir, path, *, allow_unsigned: bool = True,
            reserve_bytes: int = pack_install.DEFAULT_RESERVE_BYTES, source: str = "kolibri",
            progress=None) -> ChannelsInstalled:
    """Install every channel of the export at `path`; PackRefused changes nothing."""
    progress = progress or _quiet
    export = open_export(path)
    scratch = store.new_staging(data_dir)
    folders = []
    try:
        converted: list[Converted] = []
        channels = export.channel_dbs(scratch)
        if not channels:
            raise PackRefused([Problem(export.name, "holds no Kolibri channel database")])
        for index, (channel_id, db_file) in enumerate(channels):
            progress(0.5 * index / len(channels), f"reading channel {channel_id}")
            channel = channel_db.read(db_file, channel_id)
            _check_newer(db, channel)
            folder = store.new_staging(data_dir)
            folders.append(folder)
            converted.append(convert(channel, export, folder, scratch))
        export.close()
        done = ChannelsInstalled()
        for index, item in enumerate(converted):
            done.skipped += item.skipped
            result = pack_install.install(
                db, data_dir, item.folder, allow_unsigned=allow_unsigned, reserve_bytes=reserve_bytes,
                source=source,
                progress=lambda f, m="", i=index: progress(0.5 + 0.5 * (i + f) / len(converted), m))
            done.packs.append(result)
            log.info("kolibri channel %s: %d resources, %d nodes not playable",
                     item.manifest["id"], len(item.manifest["resources"]), len(item.skipped))
        return done
    finally:
        export.close()
        for folder in [scratch, *folders]:
            store.remove_tree(folder)


def describe(path) -> dict:
    """id, version, title and languages of an export folder's first channel, for USB listings.

    Raises ValueError with a short reason. An export of several channels is named after the
    first, with the count of the others in its title.
    """
    from hub.catalog.kolibri.convert import pack_id_for
    from hub.catalog.kolibri.source import FolderExport, export_root

    root = export_root(path)
    if root is None:
        raise ValueError("no Kolibri channel database")
    channels = FolderExport(root).channel_dbs(root)
    if not channels:
        raise ValueError("no Kolibri channel database")
    first = channel_db.summary(channels[0][1], channels[0][0])
    title = first["name"] + (f" (+{len(channels) - 1})" if len(channels) > 1 else "")
    return {"id": pack_id_for(channels[0][0]), "version": f"{max(first['version'], 0)}.0.0",
            "title": {first["language"]: title}, "languages": [first["language"]]}
