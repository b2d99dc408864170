"""Request body limits per route, enforced by waitress before a body is spooled to disk.

Waitress reads a whole request body (spooling large ones to HUB_DATA_DIR/tmp) before the app
sees it, so a limit checked in a view comes too late: anyone on the Wi-Fi could fill the SD
card by POSTing gigabytes to any address. Here the limit is decided from the request line,
as soon as the headers are in: pack/ZIM uploads may be as large as the free disk allows
while keeping the reserve, every other request stays small.
"""
from __future__ import annotations

import copy
import shutil

from waitress.channel import HTTPChannel
from waitress.parser import HTTPRequestParser
from waitress.server import BaseWSGIServer
from waitress.utilities import RequestEntityTooLarge

SMALL_BODY_BYTES = 1024 * 1024  # forms and JSON (events take at most 256 KiB)
UPLOAD_ROUTES = {("POST", "/facilitator/content/upload")}


def body_limit(method: str, path: str, data_dir: str, reserve_bytes: int, ceiling: int) -> int:
    """The largest request body, in bytes, the hub accepts for `method path`."""
    if (method.upper(), path) not in UPLOAD_ROUTES:
        return SMALL_BODY_BYTES
    # The spooled body and the app's copy of it exist together, and the install then unpacks
    # about as much again while the upload is still on disk: each needs its own room.
    room = (shutil.disk_usage(data_dir).free - reserve_bytes) // 2
    return max(0, min(ceiling, room))


def channel_class(data_dir: str, reserve_bytes: int, ceiling: int) -> type:
    """A waitress channel whose parser applies `body_limit` to each request."""

    class LimitedParser(HTTPRequestParser):
        limit = None

        def parse_header(self, header_plus):
            super().parse_header(header_plus)
            self.limit = body_limit(self.command or "", self.path or "", data_dir, reserve_bytes,
                                    ceiling)
            self.adj = copy.copy(self.adj)  # waitress compares with >=: allow exactly `limit`
            self.adj.max_request_body_size = self.limit + 1

        def received(self, data):
            consumed = super().received(data)
            if isinstance(self.error, RequestEntityTooLarge) and self.limit is not None:
                self.error = RequestEntityTooLarge(
                    f"this address takes at most {self.limit} bytes"
                    if (self.command, self.path) not in UPLOAD_ROUTES else
                    f"the file is larger than the hub can store ({self.limit} bytes fit, "
                    f"keeping {reserve_bytes} bytes of disk in reserve)")
            return consumed

    class LimitedChannel(HTTPChannel):
        parser_class = LimitedParser

    return LimitedChannel


def apply(server, data_dir: str, reserve_bytes: int, ceiling: int) -> None:
    """Make `server` (a waitress server, single or multi-socket) apply the per-route limits."""
    channel = channel_class(data_dir, reserve_bytes, ceiling)
    servers = [server] if isinstance(server, BaseWSGIServer) else [
        s for s in getattr(server, "map", {}).values() if isinstance(s, BaseWSGIServer)]
    for one in servers:
        one.channel_class = channel
