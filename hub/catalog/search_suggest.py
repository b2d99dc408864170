"""Typo tolerance and suggestions: when a short query finds nothing, the words it was near.

The words come from the search index's own vocabulary (FTS5's fts5vocab over the titles,
tags and descriptions), so a suggestion always finds something. A word is near when at most
one edit (two for words of seven letters or more) turns one into the other; an edit is a
letter added, dropped, changed, or two neighbours swapped. Only words that begin with the
same letter are read: a child's typo is rarely the first letter, and the vocabulary of a
large catalog stays a range scan, not a full one.
"""
from __future__ import annotations

from sqlite_utils import Database

from hub.catalog import search

MAX_QUERY_WORDS = 3   # typo tolerance is for short queries; a long one has other words that match
MAX_CANDIDATES = 5000


def distance(a: str, b: str, bound: int) -> int:
    """Edit distance with swaps (optimal string alignment), or bound + 1 once it exceeds bound."""
    if abs(len(a) - len(b)) > bound:
        return bound + 1
    before, row = None, list(range(len(b) + 1))
    for i, char_a in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, char_b in enumerate(b, 1):
            cost = 0 if char_a == char_b else 1
            current[j] = min(row[j] + 1, current[j - 1] + 1, row[j - 1] + cost)
            if before is not None and i > 1 and j > 1 and char_a == b[j - 2] and a[i - 2] == char_b:
                current[j] = min(current[j], before[j - 2] + 1)
        if min(current) > bound:
            return bound + 1
        before, row = row, current
    return row[-1]


def _allowed(word: str) -> int:
    return 0 if len(word) < 3 else 1 if len(word) < 7 else 2


def near_words(db: Database, word: str, limit: int = 3) -> list[str]:
    """Indexed words within the allowed edits of `word`, nearest and commonest first."""
    bound = _allowed(word)
    if not bound:
        return []
    # The vocabulary of the titles/tags/descriptions index (hub.catalog.search.TABLE), one per
    # connection (a temp table); literal SQL, so no name is ever built into a statement.
    db.execute("CREATE VIRTUAL TABLE IF NOT EXISTS temp.resource_search_vocab "
               "USING fts5vocab(main, resource_search, row)")
    first = word[0]
    rows = db.execute("SELECT term, doc FROM temp.resource_search_vocab WHERE term >= ? "
                      "AND term < ? AND length(term) BETWEEN ? AND ? LIMIT ?",
                      [first, chr(ord(first) + 1), len(word) - bound, len(word) + bound,
                       MAX_CANDIDATES]).fetchall()
    scored = []
    for term, documents in rows:
        if term == word or term.isdigit():
            continue
        edits = distance(word, term, bound)
        if edits <= bound:
            scored.append((edits, -documents, term))
    return [term for _edits, _docs, term in sorted(scored)[:limit]]


def corrected(db: Database, query: str) -> str | None:
    """The query with each word that matches nothing replaced by its nearest indexed word.

    None when the query is long, every word already matches, or a word has no near one.
    """
    words = search.words(query)
    if not words or len(words) > MAX_QUERY_WORDS:
        return None
    fixed, changed = [], False
    for word in words:
        if search.matching_versions(db, word, limit=1):
            fixed.append(word)
            continue
        near = near_words(db, word, limit=1)
        if not near:
            return None
        fixed.append(near[0])
        changed = True
    return " ".join(fixed) if changed else None


def suggestions(db: Database, query: str, limit: int = 5) -> list[str]:
    """Words near the query's words that the index holds, for a page that found nothing."""
    found: dict[str, None] = {}
    for word in search.words(query)[:MAX_QUERY_WORDS]:
        for near in near_words(db, word, limit=limit):
            found.setdefault(near, None)
    return list(found)[:limit]
