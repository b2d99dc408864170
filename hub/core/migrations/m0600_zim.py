"""0600: Kiwix ZIM archives installed as packs, owned by hub.catalog.zim.

One row per ZIM pack beside its `packs` row (cascade on removal). `path` is the archive the
hub serves: inside HUB_DATA_DIR/packs/<id>/<version>/ when copied, on a USB drive the
facilitator keeps mounted when stored by reference (by_reference = 1).
"""
from hub.core.migrations import migrations


@migrations(name="0600_zim")
def zim(db):
    db.executescript(
        """
        CREATE TABLE zim_archives (
            pack_id TEXT PRIMARY KEY REFERENCES packs(id) ON DELETE CASCADE,
            path TEXT NOT NULL,             -- absolute path of the .zim file
            by_reference INTEGER NOT NULL,  -- 1: left on a USB drive, 0: copied into the data dir
            uuid TEXT NOT NULL,             -- the archive's own id (ETags)
            language TEXT NOT NULL,         -- BCP 47, from the ZIM's ISO 639-3 Language
            main_path TEXT NOT NULL,        -- the archive's main page: the pack's home
            size INTEGER NOT NULL,
            article_count INTEGER NOT NULL,
            has_fulltext INTEGER NOT NULL,  -- 1 when the archive carries a full-text index
            installed_at TEXT NOT NULL
        );
        """
    )
