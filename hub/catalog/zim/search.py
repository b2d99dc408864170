"""Full-text and title search inside installed ZIM archives, safe under waitress threads.

libzim's searchers are not thread-safe, so each archive gets one lock: searches in one archive
run one at a time (as in kiwix-serve), searches in different archives run side by side.
"""
from __future__ import annotations

import json
import threading
from urllib.parse import quote

from sqlite_utils import Database

from hub.catalog.zim import archive as zim_archive
from hub.catalog.zim import available, store

HOME_RESOURCE = "home"
_guard = threading.Lock()
_searchers: dict[str, tuple[object, threading.Lock, dict]] = {}  # path -> (archive, lock, searchers)


def _slot(path: str):
    """The archive at `path` with its lock and lazily made searchers (remade if reopened)."""
    archive = zim_archive.open_archive(path)
    with _guard:
        slot = _searchers.get(path)
        if slot is None or slot[0] is not archive:
            slot = (archive, threading.Lock(), {})
            _searchers[path] = slot
        return slot


def fulltext(path: str, q: str, limit: int) -> list[tuple[str, str]]:
    """(entry path, title) of the articles whose text matches `q`, best first."""
    from libzim.search import Query, Searcher

    archive, lock, made = _slot(path)
    if not archive.has_fulltext_index:
        return []
    with lock:
        searcher = made.get("text") or made.setdefault("text", Searcher(archive))
        paths = list(searcher.search(Query().set_query(q)).getResults(0, limit))
        return [(p, _title(archive, p)) for p in paths]


def suggest(path: str, q: str, limit: int) -> list[tuple[str, str]]:
    """(entry path, title) of the articles whose title starts like `q`, redirects resolved."""
    from libzim.suggestion import SuggestionSearcher

    archive, lock, made = _slot(path)
    with lock:
        suggester = made.get("title") or made.setdefault("title", SuggestionSearcher(archive))
        paths = list(suggester.suggest(q).getResults(0, limit))
        found = []
        for p in paths:
            hit = zim_archive.lookup(archive, p)
            target = hit.redirect if hit and hit.redirect else p
            found.append((target, _title(archive, target)))
        return found


def _title(archive, path: str) -> str:
    try:
        return archive.get_entry_by_path(path).title or path
    except KeyError:
        return path


def _matches(pack_lang: str, lang: str | None) -> bool:
    if not lang:
        return True
    return pack_lang.split("-")[0].lower() == lang.split("-")[0].lower()


def _pack_title(row: dict, lang: str) -> str:
    try:
        titles = json.loads(row["pack_title"])
    except (TypeError, ValueError):
        return str(row["pack_title"])
    if isinstance(titles, dict):
        return titles.get(lang) or next(iter(titles.values()), row["pack_id"])
    return str(titles)


def _result(row: dict, path: str, title: str, match: str) -> dict:
    url = f"/content/{row['pack_id']}/{quote(path)}"
    return {"id": HOME_RESOURCE, "pack_id": row["pack_id"], "kind": "zim",
            "language": row["language"], "title": title,
            "description": _pack_title(row, row["language"]), "url": url, "file_url": url,
            "path": path, "match": match, "source": "zim"}


def search_pack(row: dict, q: str, limit: int) -> list[dict]:
    """Title suggestions, then full-text hits, of one ZIM pack row; each article once."""
    results, seen = [], set()
    try:
        hits = [(p, t, "title") for p, t in suggest(row["path"], q, limit)]
        hits += [(p, t, "text") for p, t in fulltext(row["path"], q, limit)]
    except (OSError, RuntimeError):
        return []  # drive unplugged, or a query libzim cannot parse: no hits, not an error page
    for path, title, match in hits:
        if path not in seen:
            seen.add(path)
            results.append(_result(row, path, title, match))
    return results[:limit]


def search_all(db: Database, q: str, lang: str | None = None, limit: int = 20, *,
               pack: str | None = None, prefer: str | None = None) -> list[dict]:
    """Search every enabled ZIM pack (in `lang`'s language when given); results interleaved.

    Each result is shaped like a catalog resource (id, pack_id, kind 'zim', language, title,
    url, file_url) plus `path` and `match` ('title' | 'text'). `pack` keeps one pack; archives
    in the `prefer` language come first. [] without libzim or a query.
    """
    q = (q or "").strip()
    if not q or limit <= 0 or not available():
        return []
    rows = [row for row in store.enabled(db)
            if _matches(row["language"], lang) and pack in (None, row["pack_id"])]
    rows.sort(key=lambda row: not _matches(row["language"], prefer))  # stable: install order
    per_pack = [search_pack(row, q, limit) for row in rows]
    merged = []
    for rank in range(limit):  # round robin: one archive's many hits do not bury another's
        for hits in per_pack:
            if rank < len(hits):
                merged.append(hits[rank])
    return merged[:limit]
