"""Visitors' kept pages served below Flask: no session, no hooks, one small read.

A browser that sends no session cookie and asks for a page hub.web.page_cache kept for
visitors (home, a pack, search results: nothing to fill in) gets the very bytes and headers
Flask answered the last time, as long as the catalog version is still the one they were made
under. The key is the raw request: address, query, Accept-Language and the whole Cookie
header (the language cookie), so no negotiation runs here and nothing differs from what
Flask would answer. Everything else (any session cookie, other methods, a miss) goes to Flask.
"""
from __future__ import annotations

from hub.core.bytecache import ByteBoundedCache
from hub.learning import page_versions
from hub.web.db import thread_db

MAX_BYTES = 2 * 1024 * 1024  # visitors' pages: a few languages x home, packs, common searches
SESSION_COOKIE = "hub_session="
# Headers never replayed: the server's own, and anything tied to one response.
NOT_REPLAYED = frozenset({"date", "server", "set-cookie", "content-length"})


def request_key(environ) -> tuple:
    """What a kept page is kept under: the raw request, the whole Cookie header included."""
    return (environ.get("PATH_INFO", ""), environ.get("QUERY_STRING", ""),
            environ.get("HTTP_ACCEPT_LANGUAGE", ""), environ.get("HTTP_COOKIE", ""),
            environ.get("wsgi.url_scheme"), environ.get("HTTP_HOST", ""))


def call_recording(app, environ, start_response) -> tuple[dict, object]:
    """Pass the request on; ({"status", "headers"} it answered with, its body chunks)."""
    seen = {}

    def recording_start(status, headers, exc_info=None):
        seen["status"], seen["headers"] = status, headers
        return start_response(status, headers, exc_info)

    return seen, app(environ, recording_start)


def joined(chunks) -> bytes:
    """A WSGI body as one bytes, closed as WSGI asks."""
    try:
        return b"".join(chunks)
    finally:
        if hasattr(chunks, "close"):
            chunks.close()


class KeptVisitorPages:
    """WSGI middleware in front of the Flask app (see the module docstring)."""

    def __init__(self, app, data_dir, generation):
        self.app = app
        self.data_dir = data_dir
        self.generation = generation  # page_cache.generation: bumped when all pages are forgotten
        self.pages = ByteBoundedCache(MAX_BYTES)

    def __call__(self, environ, start_response):
        """Answer from a kept visitor's page, or pass the request on (and keep its answer)."""
        cookie = environ.get("HTTP_COOKIE", "")
        if environ.get("REQUEST_METHOD") != "GET" or SESSION_COOKIE in cookie:
            return self.app(environ, start_response)
        key = request_key(environ)
        kept = self.pages.get(key)
        if kept is not None:
            generation, version, headers, body, etag = kept
            if (generation == self.generation()
                    and version == page_versions.catalog(thread_db(self.data_dir).conn)):
                return self._answer(environ, start_response, headers, body, etag)
        return self._pass_and_keep(environ, start_response, key)

    @staticmethod
    def _answer(environ, start_response, headers, body, etag):
        if etag in environ.get("HTTP_IF_NONE_MATCH", ""):
            start_response("304 NOT MODIFIED", [(k, v) for k, v in headers
                                                if k.lower() in ("etag", "cache-control", "vary")])
            return [b""]
        start_response("200 OK", headers + [("Content-Length", str(len(body)))])
        return [body]

    def _pass_and_keep(self, environ, start_response, key):
        seen, chunks = call_recording(self.app, environ, start_response)
        marked = environ.get("hub.page_version")
        if marked is None or not seen.get("status", "").startswith("200"):
            return chunks
        body = joined(chunks)
        headers = seen["headers"]
        if any(k.lower() == "set-cookie" for k, _ in headers):
            return [body]
        etag = next((v.strip('"') for k, v in headers if k.lower() == "etag"), None)
        if etag:
            replayed = [(k, v) for k, v in headers if k.lower() not in NOT_REPLAYED]
            self.pages.put(key, (marked[0], marked[1], replayed, body, etag), len(body))
        return [body]
