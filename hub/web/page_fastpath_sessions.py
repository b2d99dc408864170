"""Kept pages of browsers with a session, and a first visit's new session, served below Flask.

hub.web.page_fastpath answers visitors who send no session cookie and whose page has nothing
to fill. This middleware, in front of it, answers the two other common GETs of a kept page
(hub.web.page_cache) without running Flask:

- A browser with a session cookie (a signed-in child, or an anonymous session it returned):
  keyed by the raw request, the whole Cookie header included, so each session has its own
  entry. The entry is made from what Flask answered for exactly that request, and answered
  again only while Flask would answer the same bytes:
    * the cookie is one the session interface verified and remembers (a tampered cookie never
      is; one of a sign-in that ended is refused: hub.web.security), young enough that
      Flask would neither sign it again nor find it expired, by the hub's one clock;
    * the catalog, lessons and actor versions are the ones it was made under, and the
      learner's row still holds the actor the session names (one indexed read): a completion,
      an answer, a check-in, a rename, a lesson, a pack disabled or a learner removed changes
      one of them in the transaction of the write, from any process;
    * the day it was made under (the check-in is offered once a day) has not ended, and no
      translation was edited since (page_cache.generation).
  Pages with one-time attempt ids get fresh ids per answer; the form token is the session's.
- A browser with no cookie at all, on a page whose forms need a session (a resource page):
  Flask would make a new anonymous session and sign its cookie; here the same is done with the
  same serializer and cookie attributes, the page's slots filled with the new token and fresh
  attempt ids. Nothing is written: a first visit counts for no one (page_actor).

Anything else (other methods, a facilitator or a flashed message in the session, the shared-
device setting on, a miss) goes to Flask, which answers and may make the entry.
"""
from __future__ import annotations

import datetime as dt
import secrets
from typing import NamedTuple

from flask import current_app, g, request, session
from werkzeug.http import dump_cookie

from hub.core import clock
from hub.core.bytecache import ByteBoundedCache
from hub.learning import page_versions
from hub.web import page_tokens
from hub.web import settings as web_settings
from hub.web.db import thread_db
from hub.web.page_fastpath import NOT_REPLAYED, SESSION_COOKIE, call_recording, joined, request_key
from hub.web.security import REFRESH_AFTER

SESSION_PAGES_BYTES = 4 * 1024 * 1024  # a class's pages: each child's home, packs, resources
FIRST_VISIT_BYTES = 1024 * 1024  # resource pages as a first visit sees them, per language
# The session keys of a browser whose kept page Flask would answer unchanged. A facilitator,
# flashed messages or the shared-device moment (learner_seen_at) send the request to Flask.
_PLAIN_SESSION = frozenset({"_permanent", "_csrf", "anon", "learner_id", "learner_actor",
                            "learner_key", "learner_signin"})
_FIRST_VISIT_SESSION = frozenset({"_permanent", "_csrf", "anon"})
# Headers never replayed: the visitors' list, and the ETag (each answer sets its own: tokens differ).
_NOT_REPLAYED = NOT_REPLAYED | {"etag"}
_MARK, _FIRST_MARK = "hub.session_page", "hub.first_visit_page"
_ENTRY_BYTES = 1024  # the key (a cookie), the headers and the tuple, besides the page


class SessionPage(NamedTuple):
    """What a kept page of one session needs to be answered again, and when it may not be."""
    generation: int
    cookie: str  # the session cookie's value Flask read
    actor: str | None  # whose page (None: it shows no one's progress)
    learner_id: int | None  # a signed-in learner, whose row must still hold `actor`
    versions: tuple  # (catalog,) or (catalog, lessons, actor's own)
    until: dt.datetime | None  # the end of the day it shows (a signed-in child's check-in)
    max_age: dt.timedelta  # older cookies go to Flask (signed again, or expired)
    body: bytes  # filled with this session's token; placeholders left when `etag` is None
    etag: str | None  # None: attempt ids to fill per answer
    csrf: str
    headers: list | None = None


class FirstVisitPage(NamedTuple):
    """A page as a browser without a cookie sees it, its token and ids still placeholders."""
    generation: int
    catalog: int
    body: bytes
    headers: list | None = None


def offer(key: tuple, raw: bytes, filled: bytes, etag: str) -> None:
    """After Flask answered kept page `key` (page_cache): say, in the WSGI environ, how this
    middleware may answer the same request again (`raw`: the kept bytes with placeholders,
    `filled`/`etag`: this answer's)."""
    generation, whose, versions = key[0], key[4], key[5]
    names = set(session.keys())
    cookie = request.cookies.get(current_app.config["SESSION_COOKIE_NAME"])
    if not cookie:
        # A first visit: this request made the session (anon, then the form token).
        if whose is None and names == _FIRST_VISIT_SESSION and session.permanent:
            request.environ[_FIRST_MARK] = FirstVisitPage(generation, versions[0], raw)
        return
    if not names <= _PLAIN_SESSION or "_csrf" not in names:
        return
    if web_settings.current().get("shared_device_idle_minutes"):
        return  # every page moves the moment of the last use: Flask's work
    learner = g.get("learner")
    if ("learner_id" in names) != bool(learner) or (learner and learner["actor"] != whose):
        return
    until = _day_end(versions[3]) if learner else None
    lifetime = current_app.permanent_session_lifetime
    max_age = (min(REFRESH_AFTER, lifetime) if session.permanent
               and current_app.config["SESSION_REFRESH_EACH_REQUEST"] else lifetime)
    attempts = page_tokens.ATTEMPT.encode() in raw
    request.environ[_MARK] = SessionPage(
        generation, cookie, whose, learner["id"] if learner else None,
        versions[:3] if whose is not None else versions[:1], until, max_age,
        raw if attempts else filled, None if attempts else etag, session["_csrf"])


def _day_end(day: str) -> dt.datetime:
    """The instant the hub's day `day` ends (its next midnight in the hub's zone), in UTC."""
    zone = clock.zone(web_settings.hub_timezone())
    midnight = dt.datetime.combine(dt.date.fromisoformat(day) + dt.timedelta(days=1), dt.time(0),
                                   tzinfo=zone)
    return midnight.astimezone(dt.timezone.utc)


class KeptSessionPages:
    """WSGI middleware in front of hub.web.page_fastpath (see the module docstring)."""

    def __init__(self, app, flask_app, generation, etag_of):
        self.app = app
        self.flask_app = flask_app
        self.data_dir = flask_app.config["HUB_DATA_DIR"]
        self.generation = generation  # page_cache.generation
        self.etag_of = etag_of
        self.pages = ByteBoundedCache(SESSION_PAGES_BYTES)
        self.first_visits = ByteBoundedCache(FIRST_VISIT_BYTES)
        self._serializer = None

    def __call__(self, environ, start_response):
        """Answer from a kept page of this session (or a first visit's), or pass it on."""
        if environ.get("REQUEST_METHOD") != "GET":
            return self.app(environ, start_response)
        cookie = environ.get("HTTP_COOKIE", "")
        key = request_key(environ)
        if SESSION_COOKIE in cookie:
            kept = self.pages.get(key)
            if kept is not None and self._still_true(kept):
                return self._answer_session(environ, start_response, kept)
        else:
            kept = self.first_visits.get(key)
            if (kept is not None and kept.generation == self.generation()
                    and kept.catalog == page_versions.catalog(thread_db(self.data_dir).conn)):
                return self._answer_first_visit(environ, start_response, kept)
        return self._pass_and_keep(environ, start_response, key)

    def _still_true(self, kept: SessionPage) -> bool:
        remembered = getattr(self.flask_app.session_interface, "remembered", None)
        seen = remembered(kept.cookie) if remembered else None
        if seen is None or kept.generation != self.generation():
            return False  # never verified here, forgotten, or signed out; or words edited
        now = clock.now()
        if now - seen[1] > kept.max_age or (kept.until is not None and now >= kept.until):
            return False
        conn = thread_db(self.data_dir).conn
        if kept.actor is None:
            return page_versions.catalog(conn) == kept.versions[0]
        *versions, holder = page_versions.for_page(conn, kept.actor, kept.learner_id)
        return tuple(versions) == kept.versions and (kept.learner_id is None or holder == kept.actor)

    def _answer_session(self, environ, start_response, kept: SessionPage):
        body, etag = kept.body, kept.etag
        if etag is None:
            body = page_tokens.fill(body, lambda: kept.csrf)
            etag = self.etag_of(body)
        elif etag in environ.get("HTTP_IF_NONE_MATCH", ""):
            start_response("304 NOT MODIFIED", [(k, v) for k, v in kept.headers
                                                if k.lower() in ("cache-control", "vary")]
                           + [("ETag", f'"{etag}"')])
            return [b""]
        start_response("200 OK", kept.headers + [("ETag", f'"{etag}"'),
                                                 ("Content-Length", str(len(body)))])
        return [body]

    def _answer_first_visit(self, environ, start_response, kept: FirstVisitPage):
        # The session Flask would make: the form token, lasting, the anonymous key (its order).
        csrf = secrets.token_urlsafe(32)
        data = {"_csrf": csrf, "_permanent": True, "anon": secrets.token_hex(12)}
        body = page_tokens.fill(kept.body, lambda: csrf)
        headers = kept.headers + [("Set-Cookie", self._cookie(environ, data)),
                                  ("ETag", f'"{self.etag_of(body)}"'),
                                  ("Content-Length", str(len(body)))]
        start_response("200 OK", headers)
        return [body]

    def _cookie(self, environ, data: dict) -> str:
        """The Set-Cookie header Flask's session interface would send for `data`."""
        app = self.flask_app
        interface = app.session_interface
        if self._serializer is None:
            self._serializer = interface.get_signing_serializer(app)
        return dump_cookie(
            interface.get_cookie_name(app), self._serializer.dumps(data),
            expires=clock.now() + app.permanent_session_lifetime,
            path=interface.get_cookie_path(app), domain=interface.get_cookie_domain(app),
            secure=bool(app.config["SESSION_COOKIE_SECURE"] or environ.get("wsgi.url_scheme") == "https"),
            httponly=interface.get_cookie_httponly(app), samesite=interface.get_cookie_samesite(app),
            partitioned=interface.get_cookie_partitioned(app))

    def _pass_and_keep(self, environ, start_response, key):
        seen, chunks = call_recording(self.app, environ, start_response)
        mark = environ.get(_MARK) or environ.get(_FIRST_MARK)
        if mark is None or not seen.get("status", "").startswith("200"):
            return chunks
        body = joined(chunks)
        headers = seen["headers"]
        sets_cookie = any(k.lower() == "set-cookie" for k, _ in headers)
        replayed = [(k, v) for k, v in headers if k.lower() not in _NOT_REPLAYED]
        if isinstance(mark, SessionPage) and not sets_cookie:
            # A session whose cookie stays as it is: the same answer while the checks hold.
            self.pages.put(key, mark._replace(headers=replayed), len(mark.body) + _ENTRY_BYTES)
        elif isinstance(mark, FirstVisitPage) and sets_cookie:
            self.first_visits.put(key, mark._replace(headers=replayed), len(mark.body) + _ENTRY_BYTES)
        return [body]
