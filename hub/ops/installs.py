"""Installing packs and ZIMs as a background job, and the disk arithmetic that decides if they fit.

No Flask: the facilitator pages queue `run_install` on hub.ops.jobs and show `disk_status`.
"""
from __future__ import annotations

import shutil
from pathlib import Path

from hub.catalog import zim
from hub.catalog.h5p import is_h5p_file
from hub.catalog.kolibri import is_kolibri_export
from hub.catalog.packs import install as pack_install
from hub.catalog.packs.errors import PackRefused
from hub.core.db import connect, db_path
from hub.ops import jobs


def disk_status(data_dir: str, reserve_bytes: int, extra_bytes: int = 0) -> dict:
    """Free space in the data dir, the reserve, and whether `extra_bytes` more would break it."""
    usage = shutil.disk_usage(data_dir)
    return {"free": usage.free, "total": usage.total, "reserve": reserve_bytes,
            "low": usage.free - extra_bytes < reserve_bytes}


def room_needed(items: list[dict], keep_mounted: set[str]) -> int:
    """Bytes installing these found items takes from the data dir (none for a ZIM left in place)."""
    return sum(0 if item["kind"] == "zim" and item["path"] in keep_mounted else item["size"]
               for item in items)


def install_one(db, data_dir: str, path: str, keep_mounted: bool, options: dict, step):
    """Install one pack .zip/folder, .zim, .h5p or Kolibri export; raise its refusal."""
    if is_kolibri_export(path) or is_h5p_file(path):
        from hub.catalog.formats import install_format

        return install_format(db, data_dir, path, allow_unsigned=options["allow_unsigned"],
                              reserve_bytes=options["reserve_bytes"], source=options["source"],
                              progress=step, name=options.get("names", {}).get(path))
    if zim.is_zim_file(path):
        from hub.catalog.zim import install as zim_install

        return zim_install.install(db, data_dir, path, keep_mounted=keep_mounted,
                                   usb_mounts=options["usb_mounts"], source=options["source"],
                                   reserve_bytes=options["reserve_bytes"], progress=step)
    return pack_install.install(db, data_dir, path, allow_unsigned=options["allow_unsigned"],
                                reserve_bytes=options["reserve_bytes"], source=options["source"],
                                progress=step)


def run_install(progress, data_dir: str, items: list[tuple[str, bool]], options: dict,
                delete_after: bool = False) -> dict:
    """Job body: install each (path, keep_mounted) in turn with its own database connection."""
    from hub.catalog.zim.install import ZimRefused

    database = connect(db_path(data_dir))
    installed, problems, skipped = [], [], []
    try:
        for index, (path, keep_mounted) in enumerate(items):
            name = options.get("names", {}).get(path) or Path(path).name

            def step(fraction, _message="", _i=index, _name=name):
                # The file's name only: the page says what is happening in the reader's language.
                progress((_i + max(0.0, min(1.0, fraction))) / len(items), _name)

            try:
                result = install_one(database, data_dir, path, keep_mounted, options, step)
            except (PackRefused, ZimRefused) as exc:
                problems.extend(f"{name}: {p}" for p in exc.problems)
                continue
            for pack in getattr(result, "packs", None) or [result]:
                installed.append({"id": pack.pack_id, "version": pack.version})
            skipped += getattr(result, "skipped", [])
    finally:
        database.conn.close()
        if delete_after:
            for path, _keep in items:
                Path(path).unlink(missing_ok=True)
    if problems:
        raise jobs.JobFailed("refused", problems)
    return {"installed": installed, "skipped": skipped}
