"""The best matches of each frequent word, ranked once per catalog version (issue 22).

A word in thousands of resources ("water" in 8,000 of 100,000) cost FTS5 10-20 ms a search to
rank, and ten such searches at once queued behind each other. Every word the index holds in at
least MIN_DOCS rows gets its KEPT_HITS best rows ranked once, over all its matches (a search
ranks only its first MAX_RANKED), and kept in the table search_best under the catalog version
they were ranked in; a search for one such word then reads one row. Owns the table search_best.

Never stale: a row of another catalog version is not used, and any change to the index
(hub.catalog.search.add/remove, in the install's own transaction) empties the table.
"""
from __future__ import annotations

import zlib

from sqlite_utils import Database

MIN_DOCS = 200      # a word in fewer rows ranks at search time in a few milliseconds
KEPT_HITS = 300     # best rows kept per word: 30 results of up to 10 languages each
WARMED = ""         # the row saying every frequent word of its catalog version is kept
# Each hit: [pack_id, group_id, resource_id, kind, language, score]; best (lowest) score first.
PACK, GROUP, RESOURCE, KIND, LANGUAGE = range(5)  # the score, last, only orders them
# Kept as text: fields apart by char(31), hits by char(30) (no id or tag holds either; the
# search already joins ids with char(31)).
_FIELD, _HIT = "\x1f", "\x1e"


def kept(db: Database, word: str, version: str) -> list[list] | None:
    """The kept best hits of `word` under catalog `version`, or None when there are none."""
    row = db.execute("SELECT hits FROM search_best WHERE word = ? AND catalog = ?",
                     [word, version]).fetchone()
    if row is None:
        return None
    text = zlib.decompress(row[0]).decode()
    # Fields apart by char(31), hits by char(30): splitting is several times faster than JSON.
    return [hit.split(_FIELD) for hit in text.split(_HIT)] if text else []


def has(db: Database, word: str, version: str) -> bool:
    """Whether `word`'s best hits are kept under catalog `version`."""
    return db.execute("SELECT 1 FROM search_best WHERE word = ? AND catalog = ?",
                      [word, version]).fetchone() is not None


def keep(db: Database, word: str, version: str, hits: list[list]) -> None:
    """Store `word`'s best hits under `version` (replacing what was kept for it)."""
    blob = zlib.compress(_HIT.join(_FIELD.join(str(field) for field in hit)
                                   for hit in hits).encode())
    db.execute("INSERT OR REPLACE INTO search_best (word, catalog, hits) VALUES (?, ?, ?)",
               [word, version, blob])


def clear(db: Database) -> None:
    """Forget every kept word (the index changed; inside the caller's transaction)."""
    db.execute("DELETE FROM search_best")


def drop_other_versions(db: Database, version: str) -> None:
    """Forget what was ranked under any other catalog version."""
    db.execute("DELETE FROM search_best WHERE catalog != ?", [version])


def is_warmed(db: Database, version: str) -> bool:
    """Whether every frequent word of catalog `version` is kept."""
    return has(db, WARMED, version)


def mark_warmed(db: Database, version: str) -> None:
    """Record that every frequent word of `version` is kept."""
    db.execute("INSERT OR REPLACE INTO search_best (word, catalog, hits) VALUES (?, ?, ?)",
               [WARMED, version, zlib.compress(b"")])


def frequent_words(db: Database) -> list[str]:
    """Words of the title/tags/description index in at least MIN_DOCS rows, commonest first."""
    # The index's own vocabulary, one per connection (a temp table, as hub.catalog.search_suggest).
    db.execute("CREATE VIRTUAL TABLE IF NOT EXISTS temp.resource_search_vocab "
               "USING fts5vocab(main, resource_search, row)")
    return [term for (term,) in db.execute(
        "SELECT term FROM temp.resource_search_vocab WHERE doc >= ? ORDER BY doc DESC",
        [MIN_DOCS]).fetchall()]


def _language_matches(tag: str, wanted: str) -> bool:
    # As hub.catalog.search.language_clause: the tag itself or one of its regional forms.
    tag, wanted = tag.lower(), wanted.lower()
    return tag == wanted or tag.startswith(wanted + "-")


def pick(hits: list[list], *, language: str | None = None, pack: str | None = None,
         kind: str | None = None, limit: int = 20) -> list[tuple[str, str, set[str]]] | None:
    """The best `limit` groups of kept hits, as search.matching_versions gives them, or None.

    None when the kept hits cannot say for sure (fewer than `limit` groups pass the filters
    and some matches were not kept): the caller then asks the index.
    """
    groups: dict[tuple[str, str], set[str]] = {}
    for hit in hits:  # best first, so a group's first hit is its best: groups come out in order
        if ((pack and hit[PACK] != pack) or (kind and hit[KIND] != kind)
                or (language and not _language_matches(hit[LANGUAGE], language))):
            continue
        key = (hit[PACK], hit[GROUP])
        if key in groups:
            groups[key].add(hit[RESOURCE])  # another language of a listed group that matches
        elif len(groups) < limit:
            groups[key] = {hit[RESOURCE]}
    # Fewer groups than asked: some matches were not kept, or the search would go on to
    # article text; either way the index answers.
    if len(groups) < limit:
        return None
    return [(key[0], key[1], ids) for key, ids in groups.items()]
