"""0160: each frequent word's best matches, ranked once per catalog version (hub.catalog.search_best).

A word in thousands of resources cost FTS5 10-20 ms of ranking per search (issue 22); its best
rows are ranked once in the background and read here in one lookup. `catalog` is the catalog
version they were ranked under (hub.catalog.search.catalog_version); a row of another version
is never used. `hits` is zlib-compressed text (hub.catalog.search_best.keep).
"""
from hub.core.migrations import migrations


@migrations(name="0160_search_best")
def search_best(db):
    db.executescript(
        """
        CREATE TABLE search_best (
            word TEXT PRIMARY KEY,
            catalog TEXT NOT NULL,
            hits BLOB NOT NULL
        ) WITHOUT ROWID;
        """
    )
