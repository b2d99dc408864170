"""0150: the full-text index of resources (owned by hub.catalog.store) and listing indexes."""
from hub.core.migrations import migrations


@migrations(name="0150_search")
def search(db):
    # Text is normalized in Python first (hub.catalog.search.normalize: Arabic harakat, tatweel and
    # alef forms, Latin accents); marks stay inside tokens (categories M*) so Devanagari
    # vowel signs do not split words. The UNINDEXED columns filter and group hits without
    # a join; rows are keyed by (pack_id, resource_id), not rowid, which VACUUM may renumber.
    db.executescript(
        """
        CREATE VIRTUAL TABLE resource_search USING fts5(
            title, tags, description,
            pack_id UNINDEXED, resource_id UNINDEXED, group_id UNINDEXED,
            kind UNINDEXED, language UNINDEXED,
            tokenize = "unicode61 remove_diacritics 2 categories 'L* N* Co M*'"
        );
        -- Article text apart: bm25 normalizes by a row's whole length, so a long body in
        -- the same row would push a resource whose title matches below a short one.
        CREATE VIRTUAL TABLE resource_text USING fts5(
            body,
            pack_id UNINDEXED, resource_id UNINDEXED, group_id UNINDEXED,
            kind UNINDEXED, language UNINDEXED,
            tokenize = "unicode61 remove_diacritics 2 categories 'L* N* Co M*'"
        );
        CREATE INDEX resources_pack_position ON resources (pack_id, position);
        CREATE INDEX topics_pack_parent ON topics (pack_id, parent_id, position);
        CREATE INDEX resources_file ON resources (pack_id, file);
        CREATE INDEX topic_resources_resource ON topic_resources (pack_id, resource_id);
        """
    )
