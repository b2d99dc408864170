"""0100: the catalog of installed packs, owned by hub.catalog.store (written by hub.catalog.packs.install)."""
from hub.core.migrations import migrations


@migrations(name="0100_catalog")
def catalog(db):
    db.executescript(
        """
        CREATE TABLE packs (
            id TEXT PRIMARY KEY,
            version TEXT NOT NULL,
            title TEXT NOT NULL,            -- JSON map language -> text
            description TEXT NOT NULL DEFAULT '{}',
            publisher TEXT NOT NULL DEFAULT '',
            license TEXT NOT NULL DEFAULT '',
            languages TEXT NOT NULL,        -- JSON list of BCP 47 tags, first = the pack's own
            enabled INTEGER NOT NULL DEFAULT 1,
            signed_by TEXT,                 -- trusted key name, NULL when unsigned
            source TEXT NOT NULL DEFAULT 'cli',
            storage_dir TEXT NOT NULL,      -- absolute folder of the installed files
            size INTEGER NOT NULL DEFAULT 0,
            resource_count INTEGER NOT NULL DEFAULT 0,
            installed_at TEXT NOT NULL,
            manifest TEXT NOT NULL          -- the pack.json as installed
        );
        CREATE TABLE topics (
            pack_id TEXT NOT NULL REFERENCES packs(id) ON DELETE CASCADE,
            id TEXT NOT NULL,
            parent_id TEXT,
            position INTEGER NOT NULL,
            title TEXT NOT NULL,            -- JSON map language -> text
            PRIMARY KEY (pack_id, id)
        );
        CREATE TABLE topic_resources (
            pack_id TEXT NOT NULL REFERENCES packs(id) ON DELETE CASCADE,
            topic_id TEXT NOT NULL,
            resource_id TEXT NOT NULL,
            position INTEGER NOT NULL,
            PRIMARY KEY (pack_id, topic_id, resource_id)
        );
        CREATE TABLE resources (
            pack_id TEXT NOT NULL REFERENCES packs(id) ON DELETE CASCADE,
            id TEXT NOT NULL,
            kind TEXT NOT NULL,
            language TEXT NOT NULL,
            group_id TEXT NOT NULL,
            title TEXT NOT NULL,
            description TEXT NOT NULL DEFAULT '',
            tags TEXT NOT NULL DEFAULT '[]', -- JSON list
            file TEXT NOT NULL,
            sha256 TEXT NOT NULL,
            size INTEGER NOT NULL,
            duration INTEGER,
            position INTEGER NOT NULL,
            PRIMARY KEY (pack_id, id)
        );
        CREATE INDEX resources_group ON resources (pack_id, group_id);
        CREATE INDEX resources_kind_language ON resources (kind, language);
        """
    )
