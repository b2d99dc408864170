"""Full-text search over resources with SQLite FTS5: normalizing, indexing, matching.

The same folding (hub.core.text.fold) runs on indexed text and on queries, so what a
learner types finds what an author wrote. User text never reaches MATCH as syntax: every word
becomes a quoted string.
"""
from __future__ import annotations

import functools
import hashlib
import os
import re
import unicodedata

from sqlite_utils import Database

from hub.catalog import search_best, search_terms
from hub.core.bytecache import ByteBoundedCache
from hub.core.text import fold

TABLE = "resource_search"        # title, tags, description
TEXT_TABLE = "resource_text"     # article bodies
BODY_LIMIT = 200_000            # characters of an article indexed; keeps the index bounded
MAX_QUERY_WORDS = 12
HIT_WINDOW = 2000              # best index hits considered before grouping translations
# A window of `limit` x GROUP_SPAN hits holds the best `limit` groups exactly while no group
# has more than GROUP_SPAN matching versions (languages); it bounds the rows read and sorted.
GROUP_SPAN = 10
MAX_RANKED = 1000                # matches ranked per query at most (see _ranked_bound)
# A one-letter word is matched whole: as a prefix it stands for a 26th of every word indexed
# ("a"* read 30,000 rows of 100,000 resources) and finds nothing a child meant.
MIN_PREFIX = 2
WEIGHTS = (10.0, 4.0, 2.0)       # bm25 weights of title, tags, description
# Bumped whenever what is indexed for a word changes (search_terms): the hub then rebuilds the
# index once at start (hub.ops.startup), so an upgraded hub finds "mangos" in packs it had.
INDEX_VERSION = 2
RANK = "bm25({}, {}, {})".format(*WEIGHTS)  # FTS5 rank function with those weights

def words(text: str) -> list[str]:
    """The words of a query after normalizing: runs of letters, digits and marks."""
    return tokens(text)[:MAX_QUERY_WORDS]


# A word: letters and digits (not "_") and combining marks (categories M*, so that vowel signs
# never split a word). One regex: a loop over unicodedata.category took most of indexing time.
# Made at the first search or install, not at start-up: listing the marks costs about 20 ms.
@functools.cache
def _word_pattern() -> re.Pattern:
    marks = "".join(chr(c) for c in range(0x300, 0x10000) if unicodedata.category(chr(c))[0] == "M")
    return re.compile(f"(?:[^\\W_]|[{re.escape(marks)}])+")


def tokens(text: str) -> list[str]:
    """Every word of a text after normalizing, lower case: runs of letters, digits and marks."""
    return _word_pattern().findall(fold(text).casefold())


def _tokens_of_folded(folded: str) -> list[str]:
    return _word_pattern().findall(folded.casefold())


def word_expression(word: str) -> str:
    """One query word as FTS5: the word or any of its other forms, each prefix-matched."""
    variants = [word, *sorted(search_terms.forms(word, search_terms.query_languages()))]
    # Words never contain '"'; each is prefix-matched unless too short to mean anything.
    quoted = [f'"{variant}"' + ("*" if len(variant) >= MIN_PREFIX else "") for variant in variants]
    return quoted[0] if len(quoted) == 1 else "(" + " OR ".join(quoted) + ")"


def match_expression(query: str, operator: str = "AND") -> str | None:
    """A safe FTS5 expression: each word (or its forms) quoted, prefix-matched, joined."""
    terms = [word_expression(word) for word in words(query)]
    return f" {operator} ".join(terms) if terms else None


def indexed(text: str, language: str) -> str:
    """Text as indexed: folded, then the other forms of its words (stems, bare Arabic words)."""
    folded = fold(text)
    extra = search_terms.index_forms(_tokens_of_folded(folded), language)
    return folded + (" " + " ".join(extra) if extra else "")


_KEYS = "pack_id, resource_id, group_id, kind, language"


def index_rows(pack_id: str, resources: list[dict]) -> list[tuple]:
    """Rows for the title/tags/description index, one per resource."""
    return [(indexed(r.get("title", ""), r["language"]),
             indexed(" ".join(r.get("tags") or []), r["language"]),
             indexed(r.get("description", ""), r["language"]), *_keys(pack_id, r))
            for r in resources]


def text_rows(pack_id: str, resources: list[dict], bodies: dict[str, str]) -> list[tuple]:
    """Rows for the article text index (bodies: resource id -> Markdown text)."""
    return [(indexed(bodies[r["id"]][:BODY_LIMIT], r["language"]), *_keys(pack_id, r))
            for r in resources if bodies.get(r["id"])]


def _keys(pack_id: str, res: dict) -> tuple:
    return (pack_id, res["id"], res.get("group") or res["id"], res["kind"], res["language"])


def add(db: Database, rows: list[tuple], text: list[tuple]) -> None:
    """Insert index rows (inside the caller's transaction)."""
    search_best.clear(db)  # ranked on the old index: the next background round ranks again
    db.conn.executemany(f"INSERT INTO {TABLE} (title, tags, description, {_KEYS}) "
                        "VALUES (?,?,?,?,?,?,?,?)", rows)
    db.conn.executemany(f"INSERT INTO {TEXT_TABLE} (body, {_KEYS}) VALUES (?,?,?,?,?,?)", text)


def remove(db: Database, pack_id: str) -> None:
    """Drop a pack's index rows (inside the caller's transaction)."""
    search_best.clear(db)
    for table in (TABLE, TEXT_TABLE):
        db.execute(f"DELETE FROM {table} WHERE pack_id = ?", [pack_id])


def language_clause(column: str, language: str | None) -> tuple[str, list]:
    """SQL matching a language tag exactly or by base ('fr' matches 'fr' and 'fr-CA')."""
    if not language:
        return "", []
    tag = language.lower()
    return (f" AND (lower({column}) = ? OR lower({column}) LIKE ? ESCAPE '\\')",
            [tag, tag.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "-%"])


def _ranked_bound(db: Database, table: str, expression: str, filters: str, params: list) -> int:
    """The rowid of the MAX_RANKED-th match (in index order), or the largest rowid when fewer.

    Ranking reads every matching row's word positions: a word in 20,000 of 100,000 resources
    cost 100-300 ms a search here (2 shared cores). Finding the MAX_RANKED-th match walks the index
    without ranking (about a millisecond), and ranking stops there: a very common word is
    ranked among its first MAX_RANKED matches, in the order packs were installed.
    """
    row = db.execute(f"SELECT rowid FROM {table} WHERE {table} MATCH ?{filters} "
                     "LIMIT 1 OFFSET ?", [expression, *params, MAX_RANKED - 1]).fetchone()
    return row[0] if row else 2 ** 63 - 1


def matching_groups(db: Database, query: str, *, language: str | None = None,
                    pack: str | None = None, kind: str | None = None,
                    limit: int = 20) -> list[tuple[str, str]]:
    """(pack_id, group_id) of the best matches in enabled packs, best first."""
    return [(hit[0], hit[1]) for hit in matching_versions(
        db, query, language=language, pack=pack, kind=kind, limit=limit)]


def matching_versions(db: Database, query: str, *, language: str | None = None,
                      pack: str | None = None, kind: str | None = None,
                      limit: int = 20, version: str | None = None) -> list[tuple[str, str, set[str]]]:
    """(pack_id, group_id, ids of the versions that match) of the best matches, best first.

    All words must match; when that finds nothing, any word may (a learner's typo in one
    word should not hide everything). Translations share a group and count once; the ids
    say which language versions hold the words, so a page can show the one that matches.
    A frequent word's best matches come from search_best when they are kept for this
    catalog `version` (read here when not given).
    """
    query_words = words(query)
    if len(query_words) == 1:
        hits = search_best.kept(db, query_words[0], version or catalog_version(db))
        found = None if hits is None else search_best.pick(
            hits, language=language, pack=pack, kind=kind, limit=limit)
        if found is not None:
            return found
    for operator in ("AND", "OR"):
        expression = match_expression(query, operator)
        if expression is None:
            return []
        filters, params = "", []
        if pack:
            filters += " AND pack_id = ?"
            params.append(pack)
        if kind:
            filters += " AND kind = ?"
            params.append(kind)
        clause, extra = language_clause("language", language)
        filters += clause
        params += extra
        # Title/tags/description hits rank first, article-text-only hits after them. Each
        # arm keeps bm25 in its own query (its LIMIT stops flattening) and bounds the work.
        # FTS5's own `rank` column (bm25 with the given weights) lets it sort inside the
        # index and read the UNINDEXED columns of the best rows only: a third of the time.
        meta = (f"SELECT * FROM (SELECT pack_id, group_id, resource_id, rank AS score "
                f"FROM {TABLE} WHERE {TABLE} MATCH ? AND rank MATCH ?{filters} AND rowid <= ? "
                "ORDER BY rank LIMIT ?)")
        text = (f"SELECT * FROM (SELECT pack_id, group_id, resource_id, 1000000 + rank AS score "
                f"FROM {TEXT_TABLE} WHERE {TEXT_TABLE} MATCH ?{filters} AND rowid <= ? "
                "ORDER BY rank LIMIT ?)")
        grouped = (" h JOIN packs p ON p.id = h.pack_id AND p.enabled = 1 "
                   "GROUP BY h.pack_id, h.group_id ORDER BY best LIMIT ?")
        select = ("SELECT h.pack_id, h.group_id, min(h.score) AS best, "
                  "group_concat(h.resource_id, char(31)) FROM (")
        # Text-only hits rank after every title/tags/description hit, so when those fill the
        # list the article bodies need no ranking at all (over 100,000 resources most of a
        # search's time went to bm25 over bodies that could not make the list).
        window = min(HIT_WINDOW, limit * GROUP_SPAN)
        meta_bound = _ranked_bound(db, TABLE, expression, filters, params)
        meta_args = [expression, RANK, *params, meta_bound, window]
        rows = db.execute(select + f"{meta})" + grouped, meta_args + [limit]).fetchall()
        if len(rows) < limit:
            text_bound = _ranked_bound(db, TEXT_TABLE, expression, filters, params)
            args = meta_args + [expression, *params, text_bound, window, limit]
            rows = db.execute(select + f"{meta} UNION ALL {text})" + grouped, args).fetchall()
        if rows or len(words(query)) < 2:
            return [(row[0], row[1], set((row[3] or "").split("\x1f"))) for row in rows]
    return []


def rank_word(db: Database, word: str) -> list[list]:
    """`word`'s best search_best.KEPT_HITS rows in enabled packs, ranked over every match.

    As a search ranks them (the same expression and bm25 weights), without its MAX_RANKED
    bound: kept once per catalog version, so a common word is ranked over every pack.
    """
    rows = db.execute(
        f"SELECT pack_id, group_id, resource_id, kind, language, rank FROM {TABLE} "
        f"WHERE {TABLE} MATCH ? AND rank MATCH ? AND pack_id IN "
        "(SELECT id FROM packs WHERE enabled = 1) ORDER BY rank LIMIT ?",
        [word_expression(word), RANK, search_best.KEPT_HITS]).fetchall()
    return [list(row) for row in rows]


def warm_best(db: Database, stop=lambda: False) -> int:
    """Rank and keep every frequent word of the current catalog not kept yet; how many were.

    Runs in the background (sync.scheduler), one word at a time; it stops when `stop()` says
    so or the catalog changes meanwhile (the next round ranks the new one).
    """
    version = catalog_version(db)
    if search_best.is_warmed(db, version):
        return 0
    _write(db, version, lambda: search_best.drop_other_versions(db, version))
    done = 0
    for word in search_best.frequent_words(db):
        if stop():
            return done
        if words(word) != [word] or search_best.has(db, word, version):
            continue  # not a word a query reads as one, or kept by an earlier round
        hits = rank_word(db, word)
        if not _write(db, version, lambda: search_best.keep(db, word, version, hits)):
            return done
        done += 1
    _write(db, version, lambda: search_best.mark_warmed(db, version))
    return done


def _write(db: Database, version: str, change) -> bool:
    """Apply `change` in a write transaction if the catalog is still `version`."""
    db.execute("BEGIN IMMEDIATE")  # the write lock first: the version read stays true
    try:
        current = catalog_version(db) == version
        if current:
            change()
        db.execute("COMMIT")
    except BaseException:
        db.execute("ROLLBACK")
        raise
    return current


# Results kept per catalog version: a class searching the same words, or a learner paging
# back, costs one small query instead of an FTS ranking. The key holds the catalog's version
# (every pack's id, version, install time and enabled flag: an install, removal or switch in
# any process changes it), the normalized query and every argument that shapes the answer.
# HUB_SEARCH_CACHE_BYTES=0 turns it off (benchmarks measure the full-text work that way).
_SET_BYTES = os.environ.get("HUB_SEARCH_CACHE_BYTES", "").strip()
RESULTS_CACHE_BYTES = int(_SET_BYTES) if _SET_BYTES.isdigit() else 2 * 1024 * 1024
# One huge list of results should not push out the others.
_results = ByteBoundedCache(RESULTS_CACHE_BYTES, max_entry_bytes=RESULTS_CACHE_BYTES // 16)


def catalog_version(db: Database) -> str:
    """A short digest of the installed packs: changes whenever what search can find changes."""
    # The database's file too: one process may serve (or test) several data folders.
    packs, where = db.execute(
        "SELECT (SELECT group_concat(id || ':' || version || ':' || installed_at || ':' || enabled"
        " || ':' || resource_count || ':' || size, '|') FROM packs),"
        " (SELECT file FROM pragma_database_list WHERE name = 'main')").fetchone()
    return hashlib.blake2b(f"{where}\x00{packs}\x00{INDEX_VERSION}".encode(), digest_size=12).hexdigest()


def normalized(query: str) -> str:
    """The query as search reads it: folded words, in order ("Garden!" and "garden" are one)."""
    return " ".join(words(query or ""))


def cached_results(db: Database, key: tuple, compute, version: str | None = None) -> list[dict]:
    """`compute()`'s results under (catalog version, *key), kept up to RESULTS_CACHE_BYTES.

    Each caller gets its own copies of the result dicts, so a page that adds a field to one
    never changes what the next learner is given. `version`: the catalog's, when read already.
    """
    full = (version or catalog_version(db), *key)
    found = _results.get(full)
    if found is None:
        found = compute()
        if RESULTS_CACHE_BYTES:  # repr's length as the size: json.dumps cost 0.5 ms a search
            _results.put(full, found, len(repr(found)) + 200)
    return [dict(row) for row in found]


def forget_results() -> None:
    """Drop every kept result (after the index is rebuilt in place; tests)."""
    _results.clear()
