"""H5P: the player page the resource page frames, and the libraries shared between packages.

The player page and every file it loads run in the html5 apps' sandbox: an opaque origin
(no cookies of the hub, cannot act as the learner), and it may fetch only its own package's
files and the shared libraries. Its xAPI statements reach the resource page by postMessage;
the hub's own bridge (static/h5p-bridge.js) turns them into events.
"""
from __future__ import annotations

import datetime as dt
from urllib.parse import quote

from flask import Blueprint, abort, current_app, render_template, request, url_for

from hub.catalog import files
from hub.catalog import store as catalog
from hub.catalog.h5p import libraries
from hub.catalog.h5p.package import main_library
from hub.web.db import get_db
from hub.web.ranges import REVALIDATE, respond

bp = Blueprint("h5p", __name__, url_prefix="/h5p")

VENDOR = "vendor/h5p-standalone"
PLAYER_CSP = ("sandbox allow-scripts; default-src 'self' 'unsafe-inline' data: blob:; "
              "connect-src {allowed}; form-action 'none'; frame-ancestors 'self'")
LIBRARY_CSP = ("sandbox allow-scripts; default-src 'self' 'unsafe-inline' data: blob:; "
               "connect-src 'none'; form-action 'none'; frame-ancestors 'self'")


def content_base(resource: dict) -> str:
    """The address of the package's files (h5p.json, content/...) inside its .h5p."""
    return f"/content/{quote(resource['pack_id'])}/{quote(resource['file'])}"


@bp.get("/play/<pack_id>/<resource_id>")
def play(pack_id: str, resource_id: str):
    """The standalone H5P player for one h5p resource (framed by its resource page)."""
    db = get_db()
    if catalog.get_pack(db, pack_id, enabled_only=True, manifest=False) is None:
        abort(404)
    resource = catalog.get_resource(db, pack_id, resource_id)
    if resource is None or resource["kind"] != "h5p" or resource["path"] is None:
        abort(404)
    main, bundled = main_library(resource["path"])
    if main is None:
        abort(404)
    base = content_base(resource)
    shared = url_for("h5p.library", path="").rstrip("/")
    origin = request.host_url.rstrip("/")
    response = current_app.make_response(render_template(
        "learn/h5p_player.html", resource=resource, content_path=base,
        libraries_path=base if bundled else shared, vendor=VENDOR))
    allowed = f"{origin}{base}/" + ("" if bundled else f" {origin}{shared}/")
    response.headers["Content-Security-Policy"] = PLAYER_CSP.format(allowed=allowed)
    response.headers["Cache-Control"] = "no-cache"
    return response


@bp.route("/libraries/<path:path>", methods=["GET", "HEAD"])
def library(path: str):
    """One file of a shared H5P library (scripts, styles, fonts, library.json)."""
    full = libraries.file_path(current_app.config["HUB_DATA_DIR"], path)
    if full is None:
        abort(404)
    stat = full.stat()
    etag = f'"{int(stat.st_mtime_ns):x}-{stat.st_size:x}"'
    modified = dt.datetime.fromtimestamp(int(stat.st_mtime), dt.timezone.utc)
    response = respond(stat.st_size, lambda: open(full, "rb"), files.mimetype_for(full.name), etag,
                       modified, REVALIDATE, plain=True)
    response.headers["Content-Security-Policy"] = LIBRARY_CSP
    response.headers["Access-Control-Allow-Origin"] = "*"   # the player's opaque origin loads them
    return response
