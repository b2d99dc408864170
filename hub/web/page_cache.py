"""Learner pages as bytes: ETag and 304 for every learner page, whole pages kept for visitors.

Two savings, for two costs a phone and a Pi pay:
- Bandwidth: every learner page (HTML, GET, 200) carries a strong ETag of its bytes and asks
  the browser to revalidate (`Cache-Control: no-cache`), so a phone that comes back to a page
  it has gets a 304 of a few hundred bytes instead of the page again.
- CPU: the pages of a visitor who is not signed in (home, a pack, search results) depend only
  on the catalog, the hub's settings, the language and the address. They are kept, as bytes,
  under a key made of exactly those, so a class opening the home page renders it once. A
  signed-in child's pages hold their own progress, lessons and check-in offers: those are
  rendered every time (and still get their ETag).

The catalog and settings fingerprint is one small query per request (the packs and settings
tables have a row per pack and per setting), so a pack installed from the command line, in
another process, is seen by the next request: no cache is ever stale.
"""
from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict

from flask import Response, g, request, session
from flask_babel import get_locale

from hub.web.db import get_db

# Endpoints whose anonymous pages depend only on the catalog, settings, locale and address.
SHARED_PAGES = frozenset({"learn.home", "learn.pack", "learn.search"})
# Blueprints whose HTML pages get an ETag (the learner side; the console changes too often
# to be worth it and is never on a slow phone link for long).
LEARNER_BLUEPRINTS = frozenset({"learn", "learners", "learner_lessons", "learner_resources"})
CACHE_BYTES = 4 * 1024 * 1024  # whole pages in memory, at most; a home page is about 20 KB
# Response headers a kept page is served with again (the rest are added per request).
_KEPT_HEADERS = ("Content-Type", "Content-Language", "Vary")

_pages: OrderedDict[tuple, tuple[bytes, list[tuple[str, str]], str]] = OrderedDict()
_size = 0
_lock = threading.Lock()


def fingerprint(db) -> str:
    """A short digest of everything a visitor's page shows besides the address and language."""
    packs, values = db.execute(
        "SELECT (SELECT group_concat(id || ':' || version || ':' || installed_at || ':' || enabled"
        " || ':' || storage_dir || ':' || resource_count, '|') FROM packs),"
        " (SELECT group_concat(key || '=' || value, '|') FROM settings)").fetchone()
    return hashlib.blake2b(f"{packs}\x00{values}".encode(), digest_size=12).hexdigest()


def _shareable() -> bool:
    # Signed in (learner or facilitator), or a message waiting to be shown: not shared.
    return (request.method in ("GET", "HEAD") and request.endpoint in SHARED_PAGES
            and not session.get("learner_id") and not session.get("facilitator_id")
            and "_flashes" not in session)


def serve_kept_page():
    """Before a request: answer from a kept page when the visitor's page is one."""
    if not _shareable():
        return None
    key = (request.endpoint, request.full_path, str(get_locale()), fingerprint(get_db()))
    g.page_key = key
    with _lock:
        kept = _pages.get(key)
        if kept is not None:
            _pages.move_to_end(key)
    if kept is None:
        return None
    body, headers, etag = kept
    response = Response(body, headers=headers)
    g.page_etag = etag  # hashed once, when the page was kept
    return response


def keep_and_tag(response):
    """After a request: keep a shareable page, and give learner pages an ETag and a 304."""
    if (response.status_code != 200 or response.direct_passthrough or response.is_streamed
            or request.method not in ("GET", "HEAD") or response.mimetype != "text/html"
            or (request.blueprint or "") not in LEARNER_BLUEPRINTS):
        return response
    etag = g.get("page_etag")
    if etag is None:
        body = response.get_data()
        etag = hashlib.blake2b(body, digest_size=16).hexdigest()
        key = g.get("page_key")
        if key is not None and _safe_to_share(response, body):
            _keep(key, body, [(k, v) for k, v in response.headers.items() if k in _KEPT_HEADERS], etag)
    response.set_etag(etag)
    # Revalidate every time: the page may change with the next pack or the next answer.
    response.headers["Cache-Control"] = "private, no-cache" if session.get("learner_id") else "no-cache"
    return response.make_conditional(request)


def _safe_to_share(response, body: bytes) -> bool:
    # A page that set a cookie, or that holds this visitor's form token, is theirs alone.
    if "Set-Cookie" in response.headers or session.modified:
        return False
    token = session.get("_csrf")
    return not (token and token.encode() in body)


def _keep(key: tuple, body: bytes, headers: list, etag: str) -> None:
    global _size
    if len(body) > CACHE_BYTES // 8:
        return  # one huge page (a big pack's overview) should not push out all the others
    with _lock:
        if key in _pages:
            return
        _pages[key] = (body, headers, etag)
        _size += len(body)
        while _size > CACHE_BYTES and _pages:
            _, (old, _, _) = _pages.popitem(last=False)
            _size -= len(old)


def clear() -> None:
    """Forget every kept page (tests; the fingerprint already keeps pages from going stale)."""
    global _size
    with _lock:
        _pages.clear()
        _size = 0


def init_app(app) -> None:
    """Serve kept pages first and tag learner pages last (after every other hook)."""
    app.before_request(serve_kept_page)
    app.after_request(keep_and_tag)
