"""A published pack zip as an HTTP answer: Range, If-Range and ETag (its sha256), for peers.

One answer for the centre (sync.central.packs_views) and for a hub serving its packs to other
hubs (hub.web.views.packs_peer), so a pull resumes the same way from either.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from hub.web import ranges

# A pack's URL names its newest version, which changes: caches must ask again every time, and
# the ETag (the zip's sha256) lets If-Range refuse to splice two versions together.
CACHE_CONTROL = "no-cache"


def zip_response(path: Path, sha256: str, modified: dt.datetime, download_name: str):
    """The zip at `path` with Range support; `sha256` is its strong ETag."""
    size = path.stat().st_size
    response = ranges.respond(size, lambda: open(path, "rb"), "application/zip", f'"{sha256}"',
                              modified.replace(microsecond=0), CACHE_CONTROL, plain=True)
    # A file to keep, never a page: a browser that opens the address saves it.
    response.headers["Content-Disposition"] = f'attachment; filename="{download_name}"'
    return response
