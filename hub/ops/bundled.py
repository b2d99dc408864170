"""The bundled packs on a hub's first start: installed in a process of their own, after it answers.

Installing the shipped packs takes seconds (unpacking, checking signatures, indexing for
search) and imports what only an install needs: `cryptography` (about 8 MB of native code),
every snowball stemmer, the zip and pack checkers. Done before the server listened, a child
waited that long for the first page, and the hub kept all of it in memory for as long as it
ran. So `hub serve` answers at once (the home page says the packs are being prepared) and a
child process, at low priority, installs them and exits, giving its memory back.
"""
from __future__ import annotations

import sys

if __name__ == "__main__":  # the child: keep numpy out, as hub.__main__ does (sqlite-utils)
    sys.modules.setdefault("numpy", None)

import logging  # noqa: E402
import os  # noqa: E402
import subprocess  # noqa: E402
import threading  # noqa: E402

from hub.core import settings  # noqa: E402
from hub.core.db import open_hub_db  # noqa: E402

log = logging.getLogger("hub.packs")
# Set while the child installs; the home page reads it (and the page cache's fingerprint
# includes every setting, so a kept home page changes when it does).
PREPARING_SETTING = "bundled_packs_preparing"
INSTALLED_SETTING = "bundled_packs_installed"  # hub.catalog.packs.install.BUNDLED_SETTING


def pending(db, source_setting: str) -> bool:
    """True when the bundled packs were never installed and the source folder holds some."""
    if settings.get(db, INSTALLED_SETTING):
        return False
    from hub.catalog.packs.install import bundled_source

    folder = bundled_source(str(source_setting))
    return folder.is_dir() and any((p / "pack.json").is_file() for p in folder.iterdir())


def start(conf: dict):
    """Mark the packs as being prepared and install them in a child process; return a stop function."""
    data_dir = str(conf["HUB_DATA_DIR"])
    database = open_hub_db(data_dir)
    try:
        if not pending(database, conf["HUB_PACKS_SOURCE"]):
            return lambda: None
        with database.atomic():
            settings.set(database, PREPARING_SETTING, True)
    finally:
        database.conn.close()
    argv = [sys.executable, "-m", "hub.ops.bundled", data_dir, str(conf["HUB_PACKS_SOURCE"]),
            "1" if conf["HUB_ALLOW_UNSIGNED_PACKS"] else "0",
            str(conf["HUB_DISK_RESERVE_MB"] * 1024 * 1024)]
    child = subprocess.Popen(argv)
    watcher = threading.Thread(target=_watch, args=(child, data_dir), name="bundled-packs",
                               daemon=True)
    watcher.start()

    def stop() -> None:
        # A stop cut the install short: the next start finds the staging leftovers, cleans
        # them (hub.ops.startup) and installs again, since the packs were never marked done.
        if child.poll() is None:
            child.terminate()
        watcher.join(10)

    return stop


def _watch(child: subprocess.Popen, data_dir: str) -> None:
    code = child.wait()
    if code != 0:
        log.warning("the bundled packs were not installed (exit %s); the next start tries again", code)
    database = open_hub_db(data_dir)
    try:
        with database.atomic():  # never leave the home page saying "being prepared" for good
            settings.set(database, PREPARING_SETTING, False)
    finally:
        database.conn.close()


def install(data_dir: str, source: str, allow_unsigned: bool, reserve_bytes: int) -> int:
    """Install the bundled packs into `data_dir` (the child's work); return how many were installed."""
    from hub.catalog.packs import install as packs

    database = open_hub_db(data_dir)
    try:
        results = packs.install_bundled(database, data_dir, source, allow_unsigned, reserve_bytes)
        with database.atomic():
            settings.set(database, PREPARING_SETTING, False)
        return len(results)
    finally:
        database.conn.close()


def main(argv: list[str]) -> int:
    """The child: `python -m hub.ops.bundled DATA_DIR SOURCE ALLOW_UNSIGNED RESERVE_BYTES`."""
    os.nice(10)  # the server's requests first: a child waiting for a page matters more
    data_dir, source, allow_unsigned, reserve = argv
    count = install(data_dir, source, allow_unsigned == "1", int(reserve))
    log.info("bundled packs installed: %s", count)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
