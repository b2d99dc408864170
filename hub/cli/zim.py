"""`hub packs install FILE.zim`: the ZIM branch of pack installation (hub.catalog.zim)."""
from __future__ import annotations

from pathlib import Path

import click

from hub.cli.common import open_db, refuse, settings


def install_zim(path: str, keep_mounted: bool) -> None:
    """Add a .zim as a pack, or exit 1 with one `FILE.zim: WHY` line per problem."""
    from hub.catalog import zim

    if not zim.available():
        refuse([f"{Path(path).name}: {zim.MISSING}"])
    from hub.catalog.zim.install import ZimRefused, install

    conf = settings()
    db = open_db(conf)
    try:
        done = install(db, conf["HUB_DATA_DIR"], path, keep_mounted=keep_mounted,
                       usb_mounts=conf["HUB_USB_MOUNTS"], source="cli",
                       reserve_bytes=conf["HUB_DISK_RESERVE_MB"] * 1024 * 1024)
    except ZimRefused as exc:
        refuse(exc.problems)
    finally:
        db.conn.close()
    where = f"served from {done.path}" if done.by_reference else "copied into the hub"
    click.echo(f"installed {done.pack_id} {done.version} ({where})")
