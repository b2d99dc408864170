"""/content/<pack_id>/<path> for ZIM packs: articles straight from the archive (hub.catalog.zim).

Called by views/content.py when the pack is a ZIM; not a blueprint of its own. Opening an
article (HTML, not its images or scripts) records a `progressed` event on the pack's home
resource, so ZIM reading shows up in progress and the metrics.
"""
from __future__ import annotations

import logging
import sqlite3
import uuid
from urllib.parse import quote

from flask import abort, redirect, request

from hub.core import clock
from hub.web.db import get_db
from hub.web.ranges import partial_response  # the one Range/ETag/304 implementation
from hub.catalog.zim import serve as zim_serve
from hub.catalog.zim.blobs import BlobReader
from hub.catalog.zim.search import HOME_RESOURCE

# The archive's HTML is not ours: its scripts run in a sandbox (an opaque origin), so they
# cannot read the hub's cookies or call its API as the learner; links and media still work.
ZIM_CSP = ("sandbox allow-scripts allow-popups allow-forms allow-downloads; default-src 'self'; "
           "script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
           "img-src 'self' data:; media-src 'self'; font-src 'self' data:; frame-ancestors 'self'")
EVENT_WINDOW_S = 600   # one `progressed` event per learner, article and 10 minutes
EVENT_NAMESPACE = uuid.UUID("7f0c8a52-61a2-4d0f-9a53-7c1e6f0b2b10")


def serve(pack_id: str, path: str, row: dict | None = None):
    """The response for one path of a ZIM pack (row: its zim_archives row, if looked up)."""
    answer = zim_serve.resolve(get_db(), pack_id, path, row)
    if answer.status == 302:
        return redirect(f"/content/{pack_id}/{quote(answer.redirect)}", code=302)
    if answer.status != 200:
        abort(answer.status, description=answer.reason)
    if answer.blob is not None:  # a large uncompressed item: streamed from the file
        path, offset, size = answer.blob
        response = partial_response(None, answer.mimetype, etag=answer.etag, last_modified=answer.mtime,
                                    size=size, opener=lambda: BlobReader(path, offset, size))
    else:
        response = partial_response(answer.content, answer.mimetype, etag=answer.etag,
                                    last_modified=answer.mtime)
    response.headers["Content-Security-Policy"] = ZIM_CSP
    if answer.is_article and request.method == "GET" and response.status_code in (200, 304):
        _record_reading(pack_id, path)
    return response


def _record_reading(pack_id: str, path: str) -> None:
    """A `progressed` event on the pack's home; repeats within EVENT_WINDOW_S are duplicates."""
    from hub.learning import activity
    from hub.web.views.learners import page_actor

    actor = page_actor()
    if actor is None:
        return  # a browser that has not returned its session cookie yet adds no rows
    window = int(clock.now().timestamp()) // EVENT_WINDOW_S
    event_id = str(uuid.uuid5(EVENT_NAMESPACE, f"{actor}/{pack_id}/{path}/{window}"))
    try:
        activity.record_one(get_db(), actor, "progressed", pack_id, HOME_RESOURCE, id=event_id,
                            data={"path": path})
    except sqlite3.Error:
        # The article is still worth sending when the event cannot be written (disk full).
        logging.getLogger(__name__).exception("could not record reading %s/%s", pack_id, path)
