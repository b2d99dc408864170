"""The report and heartbeat API as plain WSGI, in front of the Flask app (issue 16: ingest rate).

A hub's POST carries no cookie, no form and no page: Flask's request context, session, locale,
CSRF hook and routing were about a third of the central's CPU per report, and the central's
single Python process is what limits ingest on a small machine. So a POST to /api/v1/reports or
/api/v1/heartbeat is answered here (sync.central.receive), with the headers every Flask answer
carries; another method on those paths is a JSON 405 here too. Every other request goes to Flask.
"""
from __future__ import annotations

import json
import logging

from hub.web.security import SECURITY_HEADERS
from sync.central.receive import MAX_BODY_BYTES, receive, receive_heartbeat

log = logging.getLogger(__name__)
HANDLERS = {"/api/v1/reports": receive, "/api/v1/heartbeat": receive_heartbeat}
HEADERS = list(SECURITY_HEADERS)  # as hub.web.security sets them on every Flask response
REASONS = {200: "200 OK", 400: "400 BAD REQUEST", 401: "401 UNAUTHORIZED", 405: "405 METHOD NOT ALLOWED",
           413: "413 REQUEST ENTITY TOO LARGE", 500: "500 INTERNAL SERVER ERROR"}


class ReportAPI:
    """WSGI middleware: the hubs' POSTs answered without Flask, the rest passed to `app`."""

    def __init__(self, app, store):
        self.app, self.store = app, store

    def __call__(self, environ, start_response):
        path = environ.get("PATH_INFO", "")
        handler = HANDLERS.get(path)
        if handler is None:
            return self.app(environ, start_response)
        extra = []
        if environ.get("REQUEST_METHOD") == "POST":
            status, answer = self._answer(handler, environ)
        else:
            status, answer, extra = 405, {"error": f"use POST for {path}"}, [("Allow", "POST")]
        body = (json.dumps(answer, separators=(",", ":")) + "\n").encode()
        start_response(REASONS.get(status, f"{status} ERROR"), [
            ("Content-Type", "application/json"), ("Content-Length", str(len(body))), *extra, *HEADERS])
        return [body]

    def _answer(self, handler, environ) -> tuple[int, dict]:
        try:
            length = int(environ.get("CONTENT_LENGTH") or -1)
        except ValueError:
            length = -1
        if length > MAX_BODY_BYTES:
            return 413, {"error": f"the body is larger than {MAX_BODY_BYTES} bytes"}
        stream = environ["wsgi.input"]
        body = stream.read(length) if length >= 0 else stream.read(MAX_BODY_BYTES + 1)
        try:
            return handler(self.store, environ.get("HTTP_X_HUB_ID"), environ.get("HTTP_X_HUB_SIGNATURE"), body,
                           environ.get("HTTP_CONTENT_ENCODING", ""))
        except Exception:  # noqa: BLE001 - logged; the hub retries later, as after any 5xx
            log.exception("storing a hub's %s failed", environ.get("PATH_INFO"))
            return 500, {"error": "the central could not store this now; try again later"}
