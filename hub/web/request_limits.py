"""Request body limits per route, enforced by waitress before a body is spooled to disk.

Waitress reads a whole request body (spooling large ones to HUB_DATA_DIR/tmp) before the app
sees it, so a limit checked in a view comes too late: anyone on the Wi-Fi could fill the SD
card by POSTing gigabytes to any address. Here the limit is decided from the request line and
headers, as soon as they are in:
- every request but a pack/ZIM upload stays small;
- an upload needs a session cookie that names a facilitator (signed by this hub): a stranger
  or a learner is answered 403 before a byte of the body is read (the app then checks the
  whole session, role and idle time, before it reads the body itself);
- an upload reserves twice its size (the spooled body and the app's copy exist together) in
  `hub.ops.disk_room` before it is read, so parallel uploads cannot share the disk reserve.
"""
from __future__ import annotations

import copy
import weakref

from itsdangerous import BadSignature
from waitress.channel import HTTPChannel
from waitress.parser import HTTPRequestParser
from waitress.server import BaseWSGIServer
from waitress.utilities import Error, RequestEntityTooLarge
from werkzeug.http import parse_cookie

from hub.ops.disk_room import RESERVATIONS

SMALL_BODY_BYTES = 1024 * 1024  # forms and JSON (events take at most 256 KiB)
UPLOAD_ROUTES = {("POST", "/facilitator/content/upload")}
SEND_CHUNK_BYTES = 256 * 1024  # the most waitress reads from a file per send (below)


class Forbidden(Error):
    """An upload without a facilitator's session, refused before its body is read."""

    code = 403
    reason = "Forbidden"


def body_limit(method: str, path: str, data_dir: str, reserve_bytes: int, ceiling: int) -> int:
    """The largest request body, in bytes, the hub accepts for `method path`."""
    if (method.upper(), path) not in UPLOAD_ROUTES:
        return SMALL_BODY_BYTES
    # The spooled body and the app's copy of it exist together, and the install then unpacks
    # about as much again while the upload is still on disk: each needs its own room.
    room = RESERVATIONS.room(data_dir, reserve_bytes) // 2
    return max(0, min(ceiling, room))


def facilitator_cookie(app):
    """A check of a Cookie header: True when it carries this hub's session of a facilitator."""
    serializer = app.session_interface.get_signing_serializer(app)
    name = app.config["SESSION_COOKIE_NAME"]
    max_age = int(app.permanent_session_lifetime.total_seconds())

    def check(cookie_header: str) -> bool:
        value = parse_cookie(cookie_header or "").get(name)
        if not value or serializer is None:
            return False
        try:
            data = serializer.loads(value, max_age=max_age)
        except (BadSignature, ValueError):
            return False
        return isinstance(data, dict) and data.get("facilitator_id") is not None

    return check


def channel_class(data_dir: str, reserve_bytes: int, ceiling: int, may_upload=None) -> type:
    """A waitress channel whose parser applies `body_limit` and the upload checks to each request."""

    class LimitedParser(HTTPRequestParser):
        limit = None
        refused = None
        reservation = None

        def parse_header(self, header_plus):
            super().parse_header(header_plus)
            self.limit = body_limit(self.command or "", self.path or "", data_dir, reserve_bytes,
                                    ceiling)
            if (self.command, self.path) in UPLOAD_ROUTES:
                self._reserve_upload()
            self.adj = copy.copy(self.adj)  # waitress compares with >=: allow exactly `limit`
            self.adj.max_request_body_size = self.limit + 1

        def _reserve_upload(self):
            if may_upload is not None and not may_upload(self.headers.get("COOKIE", "")):
                self.limit, self.refused = 0, "forbidden"
                return
            wanted = self.content_length if not self.chunked else self.limit
            if wanted > self.limit:
                return  # refused as too large by waitress, nothing reserved
            token = RESERVATIONS.take(data_dir, reserve_bytes, 2 * wanted)
            if token is None:  # a parallel upload took the room since body_limit looked
                self.limit, self.refused = 0, "full"
                return
            self.reservation = token
            # Given back when the request is done, or when a dropped connection lets it go.
            self._release = weakref.finalize(self, RESERVATIONS.release, token)

        def received(self, data):
            consumed = super().received(data)
            if isinstance(self.error, RequestEntityTooLarge) and self.limit is not None:
                if self.refused == "forbidden":
                    self.error = Forbidden("sign in as a facilitator to upload a pack")
                elif (self.command, self.path) not in UPLOAD_ROUTES:
                    self.error = RequestEntityTooLarge(f"this address takes at most {self.limit} bytes")
                else:
                    self.error = RequestEntityTooLarge(
                        f"the file is larger than the hub can store ({self.limit} bytes fit, "
                        f"keeping {reserve_bytes} bytes of disk in reserve)")
            return consumed

        def close(self):
            super().close()
            if self.reservation is not None:
                self._release()

    class LimitedChannel(HTTPChannel):
        parser_class = LimitedParser

        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            # Waitress sends a file (wsgi.file_wrapper: ZIM videos, content files) by reading
            # the socket's whole send buffer from it twice per send, and a loopback or fast
            # link's buffer is 4 MB: 8 readers held 60 MB in flight (issue 22). A bounded
            # read is sent just as fast; the kernel still queues what the buffer holds.
            self.sendbuf_len = min(self.sendbuf_len, SEND_CHUNK_BYTES)

    return LimitedChannel


def apply(server, data_dir: str, reserve_bytes: int, ceiling: int, app=None) -> None:
    """Make `server` (a waitress server, single or multi-socket) apply the per-route limits.

    With `app`, an upload also needs the session cookie of a facilitator of that app."""
    channel = channel_class(data_dir, reserve_bytes, ceiling,
                            facilitator_cookie(app) if app is not None else None)
    servers = [server] if isinstance(server, BaseWSGIServer) else [
        s for s in getattr(server, "map", {}).values() if isinstance(s, BaseWSGIServer)]
    for one in servers:
        one.channel_class = channel
