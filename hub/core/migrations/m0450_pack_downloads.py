"""0450: packs being pulled from the centre or another hub, and the bytes fetched per day.

Owned by sync.pack_downloads. A row per pack id: the version and sha256 the catalog offered,
how far the download got (the staging file on disk is the truth; this is for the console),
and what went wrong. pack_bytes_daily keeps the daily byte budget of metered links.
"""
from hub.core.migrations import migrations


@migrations(name="0450_pack_downloads")
def pack_downloads(db):
    db.executescript(
        """
        CREATE TABLE pack_downloads (
            pack_id TEXT PRIMARY KEY,
            version TEXT NOT NULL,
            title TEXT NOT NULL DEFAULT '{}',   -- JSON map language -> text, from the catalog
            source TEXT NOT NULL,               -- the catalog's address
            url TEXT NOT NULL,                  -- the zip's absolute address
            sha256 TEXT NOT NULL,
            size INTEGER NOT NULL,
            received INTEGER NOT NULL DEFAULT 0,
            state TEXT NOT NULL CHECK (state IN ('downloading', 'downloaded', 'failed', 'installed')),
            error TEXT NOT NULL DEFAULT '',
            started_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );
        CREATE TABLE pack_bytes_daily (
            day TEXT PRIMARY KEY,               -- YYYY-MM-DD in the hub's time zone
            bytes INTEGER NOT NULL
        );
        """
    )
