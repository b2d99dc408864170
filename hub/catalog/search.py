"""Full-text search over resources with SQLite FTS5: normalizing, indexing, matching.

The same folding (hub.core.text.fold) runs on indexed text and on queries, so what a
learner types finds what an author wrote. User text never reaches MATCH as syntax: every word
becomes a quoted string.
"""
from __future__ import annotations

import unicodedata

from sqlite_utils import Database

from hub.core.text import fold

TABLE = "resource_search"        # title, tags, description
TEXT_TABLE = "resource_text"     # article bodies
BODY_LIMIT = 200_000            # characters of an article indexed; keeps the index bounded
MAX_QUERY_WORDS = 12
HIT_WINDOW = 2000              # best index hits considered before grouping translations
# A window of `limit` x GROUP_SPAN hits holds the best `limit` groups exactly while no group
# has more than GROUP_SPAN matching versions (languages); it bounds the rows read and sorted.
GROUP_SPAN = 10
WEIGHTS = (10.0, 4.0, 2.0)       # bm25 weights of title, tags, description
RANK = "bm25({}, {}, {})".format(*WEIGHTS)  # FTS5 rank function with those weights

def words(text: str) -> list[str]:
    """The words of a query after normalizing: runs of letters, digits and marks."""
    found, current = [], []
    for char in fold(text):
        if unicodedata.category(char)[0] in "LNM":
            current.append(char)
        elif current:
            found.append("".join(current))
            current = []
    if current:
        found.append("".join(current))
    return found[:MAX_QUERY_WORDS]


def match_expression(query: str, operator: str = "AND") -> str | None:
    """A safe FTS5 expression: each word quoted, prefix-matched, joined by AND or OR."""
    terms = [f'"{word}"*' for word in words(query)]  # words never contain '"'
    return f" {operator} ".join(terms) if terms else None


_KEYS = "pack_id, resource_id, group_id, kind, language"


def index_rows(pack_id: str, resources: list[dict]) -> list[tuple]:
    """Rows for the title/tags/description index, one per resource."""
    return [(fold(r.get("title", "")), fold(" ".join(r.get("tags") or [])),
             fold(r.get("description", "")), *_keys(pack_id, r)) for r in resources]


def text_rows(pack_id: str, resources: list[dict], bodies: dict[str, str]) -> list[tuple]:
    """Rows for the article text index (bodies: resource id -> Markdown text)."""
    return [(fold(bodies[r["id"]][:BODY_LIMIT]), *_keys(pack_id, r))
            for r in resources if bodies.get(r["id"])]


def _keys(pack_id: str, res: dict) -> tuple:
    return (pack_id, res["id"], res.get("group") or res["id"], res["kind"], res["language"])


def add(db: Database, rows: list[tuple], text: list[tuple]) -> None:
    """Insert index rows (inside the caller's transaction)."""
    db.conn.executemany(f"INSERT INTO {TABLE} (title, tags, description, {_KEYS}) "
                        "VALUES (?,?,?,?,?,?,?,?)", rows)
    db.conn.executemany(f"INSERT INTO {TEXT_TABLE} (body, {_KEYS}) VALUES (?,?,?,?,?,?)", text)


def remove(db: Database, pack_id: str) -> None:
    """Drop a pack's index rows (inside the caller's transaction)."""
    for table in (TABLE, TEXT_TABLE):
        db.execute(f"DELETE FROM {table} WHERE pack_id = ?", [pack_id])


def language_clause(column: str, language: str | None) -> tuple[str, list]:
    """SQL matching a language tag exactly or by base ('fr' matches 'fr' and 'fr-CA')."""
    if not language:
        return "", []
    tag = language.lower()
    return (f" AND (lower({column}) = ? OR lower({column}) LIKE ? ESCAPE '\\')",
            [tag, tag.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "-%"])


def matching_groups(db: Database, query: str, *, language: str | None = None,
                    pack: str | None = None, kind: str | None = None,
                    limit: int = 20) -> list[tuple[str, str]]:
    """(pack_id, group_id) of the best matches in enabled packs, best first.

    All words must match; when that finds nothing, any word may (a learner's typo in one
    word should not hide everything). Translations share a group and count once.
    """
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
        meta = (f"SELECT * FROM (SELECT pack_id, group_id, rank AS score FROM {TABLE} "
                f"WHERE {TABLE} MATCH ? AND rank MATCH ?{filters} ORDER BY rank LIMIT ?)")
        text = (f"SELECT * FROM (SELECT pack_id, group_id, 1000000 + rank AS score "
                f"FROM {TEXT_TABLE} WHERE {TEXT_TABLE} MATCH ?{filters} ORDER BY rank LIMIT ?)")
        grouped = (" h JOIN packs p ON p.id = h.pack_id AND p.enabled = 1 "
                   "GROUP BY h.pack_id, h.group_id ORDER BY best LIMIT ?")
        # Text-only hits rank after every title/tags/description hit, so when those fill the
        # list the article bodies need no ranking at all (over 100,000 resources most of a
        # search's time went to bm25 over bodies that could not make the list).
        window = min(HIT_WINDOW, limit * GROUP_SPAN)
        meta_args = [expression, RANK, *params, window]
        hits = [(row[0], row[1]) for row in
                db.execute(f"SELECT h.pack_id, h.group_id, min(h.score) AS best FROM ({meta})"
                           + grouped, meta_args + [limit]).fetchall()]
        if len(hits) < limit:
            args = meta_args + [expression, *params, window, limit]
            hits = [(row[0], row[1]) for row in
                    db.execute(f"SELECT h.pack_id, h.group_id, min(h.score) AS best FROM ({meta} "
                               f"UNION ALL {text})" + grouped, args).fetchall()]
        if hits or len(words(query)) < 2:
            return hits
    return []
