"""What the hub does once when it starts: schema up to date, leftovers cleaned, first packs."""
from __future__ import annotations

from pathlib import Path

from hub.core.db import open_hub_db

# Leftovers of requests and installs a stop cut short: no job runs yet at start, so nothing
# in them is in use (uploads/ holds spooled and queued uploads, tmp/ waitress's spooled bodies).
SPOOL_DIRS = ("uploads", "tmp")


def sweep_spools(data_dir) -> int:
    """Delete the files left in the upload and request spools; return how many bytes were freed."""
    freed = 0
    for name in SPOOL_DIRS:
        folder = Path(data_dir) / name
        for path in folder.glob("*") if folder.is_dir() else ():
            if path.is_file() and not path.is_symlink():
                freed += path.stat().st_size
                path.unlink(missing_ok=True)
    return freed


def run(app, bundled_later: bool = False) -> None:
    """Prepare the data dir for serving; fast when there is nothing to do.

    With `bundled_later` (hub serve), the first packs are left to hub.ops.bundled, which
    installs them in a child process once the server answers.
    """
    sweep_spools(app.config["HUB_DATA_DIR"])
    database = open_hub_db(app.config["HUB_DATA_DIR"])
    try:
        _search_index_current(database)
        from hub.catalog.packs import install as packs  # stale staging first, then the first packs
        packs.cleanup_staging(app.config["HUB_DATA_DIR"], database)
        if bundled_later:
            return
        packs.install_bundled(database, app.config["HUB_DATA_DIR"], app.config["HUB_PACKS_SOURCE"],
                              app.config["HUB_ALLOW_UNSIGNED_PACKS"],
                              app.config["HUB_DISK_RESERVE_MB"] * 1024 * 1024)
    finally:
        database.conn.close()


def _search_index_current(database) -> None:
    """Rebuild the search index once when it was made by an older word-forms rule."""
    from hub.catalog import search, store
    from hub.core import settings

    if settings.get(database, "search_index_version") != search.INDEX_VERSION:
        store.reindex(database)
        with database.atomic():
            settings.set(database, "search_index_version", search.INDEX_VERSION)
