"""Learner pages as bytes: ETag and 304 for every learner page, whole pages kept by what they show.

Two savings, for two costs a phone and a Pi pay:
- Bandwidth: every learner page (HTML, GET, 200) carries a strong ETag of its bytes and asks
  the browser to revalidate (`Cache-Control: no-cache`), so a phone that comes back to a page
  it has gets a 304 of a few hundred bytes instead of the page again.
- CPU: the home, pack, search and resource pages are kept as bytes under a key of exactly
  what they show (hub.learning.page_versions, bumped by triggers in the transaction of every
  write, from any process, so a kept page is never stale):
    (endpoint, path and query, locale, whose page, versions)
  where "whose page" is None for a visitor whose page shows no progress, else the actor (a
  signed-in learner, or an anonymous session the browser returned, on a resource page), and
  the versions are the catalog's for a visitor, else (catalog, lessons, that actor's, today)
  for the actor. A learner's key holds their own actor: two children never share a page.
  One-time values (the session's form token, attempt ids) are placeholders in the kept bytes,
  filled per request (hub.web.page_tokens). A page whose rendering wrote (`started`, the
  check-in offer) is not kept: the write bumped the actor's version, the next page is new.
A visitor's page without placeholders is also kept below Flask for browsers that send no
session cookie (hub.web.page_fastpath).
"""
from __future__ import annotations

import hashlib
import threading

from flask import Response, current_app, g, request, session
from flask_babel import get_locale

from hub.core.bytecache import ByteBoundedCache
from hub.learning import page_versions
from hub.web import page_fastpath, page_fastpath_sessions, page_tokens
from hub.web.db import get_db
from hub.web.security import session_csrf_token
from hub.web.settings import catalog_version
from hub.web.views.learners import page_actor, today

# Endpoints whose pages are kept. A visitor's home, pack and search depend only on the
# catalog, the settings, the language and the address; a resource page also on its actor.
KEPT_PAGES = frozenset({"learn.home", "learn.pack", "learn.search", "learn.resource"})
# Blueprints whose HTML pages get an ETag (the learner side; the console changes too often
# to be worth it and is never on a slow phone link for long).
LEARNER_BLUEPRINTS = frozenset({"learn", "learners", "learner_lessons", "learner_resources"})
CACHE_BYTES = 4 * 1024 * 1024  # whole pages in memory, at most; a home page is about 20 KB
# Response headers a kept page is served with again (the rest are added per request).
_KEPT_HEADERS = ("Content-Type", "Content-Language", "Vary")

# (body, headers, etag) per key; one huge page (a big pack's overview) is not kept
_pages = ByteBoundedCache(CACHE_BYTES, max_entry_bytes=CACHE_BYTES // 8)
_lock = threading.Lock()  # clear() forgets the pages and moves the generation as one step
_generation = [0]  # bumped by clear(): part of every key, here and in the fast path


def generation() -> int:
    """The number of times every kept page was forgotten (a key part)."""
    return _generation[0]


def etag_of(body: bytes) -> str:
    """The strong ETag of a page's bytes."""
    return hashlib.blake2b(body, digest_size=16).hexdigest()


def _keepable() -> bool:
    # A facilitator on this browser, or a message waiting to be shown: rendered every time.
    return (request.method in ("GET", "HEAD") and request.endpoint in KEPT_PAGES
            and not session.get("facilitator_id") and "_flashes" not in session)


def _whose() -> str | None:
    learner = g.get("learner")
    if learner:
        return learner["actor"]
    if request.endpoint == "learn.resource":
        # Called as the rendering would: a first visit gets its anonymous session cookie.
        return page_actor()
    return None


def _key() -> tuple:
    db = get_db()
    whose = _whose()
    if whose is None:
        versions: tuple = (catalog_version(),)
    else:
        versions = page_versions.for_actor(db, whose)
        if g.get("learner"):
            versions += (today()[0],)  # the check-in is offered once a day
    return (generation(), request.endpoint, request.full_path, str(get_locale()), whose, versions,
            current_app.config["HUB_DATA_DIR"])


def serve_kept_page():
    """Before a request: answer from a kept page when there is one for this key."""
    if not _keepable():
        return None
    key = _key()
    g.page_key = key
    g.page_tokens = True  # a rendering from here on is for keeping: placeholders, not tokens
    kept = _pages.get(key)
    if kept is None:
        return None
    body, headers, etag = kept
    g.page_served = etag  # hashed once, when the page was kept (None: it has slots to fill)
    return Response(body, headers=headers)


def keep_and_tag(response):
    """After a request: keep a page, fill its one-time values, give it an ETag and a 304."""
    if response.direct_passthrough or response.is_streamed or response.mimetype != "text/html":
        return response
    tokens = g.get("page_tokens")
    if (response.status_code != 200 or request.method not in ("GET", "HEAD")
            or (request.blueprint or "") not in LEARNER_BLUEPRINTS):
        if tokens:  # an error page rendered in keeping mode still gets real tokens
            response.set_data(page_tokens.fill(response.get_data(), session_csrf_token))
        return response
    key = g.get("page_key")
    raw = response.get_data()  # the kept bytes: placeholders where the slots are
    if "page_served" in g:
        etag, kept = g.page_served, True
    else:
        etag = None if tokens and page_tokens.has_slots(raw) else etag_of(raw)
        kept = key is not None and _safe_to_keep(response, raw)
        if kept:
            _keep(key, raw, [(k, v) for k, v in response.headers.items() if k in _KEPT_HEADERS], etag)
    if kept and key[4] is None and etag is not None:
        # A visitor's page with nothing to fill: the fast path may keep it for this request's
        # exact headers too (it stores it only if no cookie is set on the way out).
        request.environ["hub.page_version"] = (key[0], key[5][0])
    if etag is None:
        body = page_tokens.fill(raw, session_csrf_token)
        response.set_data(body)
        etag = etag_of(body)  # the same for this session, unless it holds attempt ids
    if kept:  # sessions' pages and first visits below Flask too (page_fastpath_sessions)
        page_fastpath_sessions.offer(key, raw, response.get_data(), etag)
    response.set_etag(etag)
    # Revalidate every time: the page may change with the next pack or the next answer.
    response.headers["Cache-Control"] = "private, no-cache" if g.get("learner") else "no-cache"
    if "If-None-Match" in request.headers:
        return response.make_conditional(request)
    return response


def _safe_to_keep(response, body: bytes) -> bool:
    # A page that set a cookie itself, or whose rendering wrote, is not kept; and a page
    # holding the session's real form token (never: it is a placeholder) would be this
    # visitor's alone.
    if "Set-Cookie" in response.headers or g.get("page_wrote"):
        return False
    token = session.get("_csrf")
    return not (token and token.encode() in body)


def _keep(key: tuple, body: bytes, headers: list, etag: str | None) -> None:
    _pages.put(key, (body, headers, etag), len(body))


def clear() -> None:
    """Forget every kept page (a translation edited; tests). Versions keep them fresh otherwise."""
    with _lock:
        _pages.clear()
        _generation[0] += 1


def init_app(app) -> None:
    """Serve kept pages first and tag learner pages last (after every other hook); visitors',
    sessions' and first visits' pages below Flask."""
    app.before_request(serve_kept_page)
    app.after_request(keep_and_tag)
    app.wsgi_app = page_fastpath.KeptVisitorPages(app.wsgi_app, app.config["HUB_DATA_DIR"], generation)
    app.wsgi_app = page_fastpath_sessions.KeptSessionPages(app.wsgi_app, app, generation, etag_of)
