"""What the hub does once when it starts: schema up to date, leftovers cleaned, first packs."""
from __future__ import annotations

from hub.db import open_hub_db


def run(app) -> None:
    """Prepare the data dir for serving; fast when there is nothing to do."""
    database = open_hub_db(app.config["HUB_DATA_DIR"])
    try:
        pass  # later steps (stale staging cleanup, bundled packs) are added by their owners
    finally:
        database.conn.close()
