"""/content/<pack_id>/<path>: pack files with Range, ETag, Last-Modified, 304 and 416.

Plain files go out as waitress' `wsgi.file_wrapper` (no Flask send_file: 2-4x slower, see
docs/performance.md). Several ranges come back as multipart/byteranges. Files of html5 apps
are read from their zip and carry a sandbox CSP: an opaque origin that cannot read the hub's
cookies, and connect-src 'none' so the app cannot call the hub's API as the learner.
"""
from __future__ import annotations

from flask import Blueprint, abort, request

from hub.catalog import files
from hub.web.db import get_db
from hub.web.ranges import IMMUTABLE, REVALIDATE, respond
from hub.web.views import content_zim

bp = Blueprint("content", __name__)

# html5 apps: scripts run, in an opaque origin, with no network beyond their own files.
APP_CSP = ("sandbox allow-scripts; default-src 'self' 'unsafe-inline' data: blob:; "
           "connect-src 'none'; form-action 'none'; frame-ancestors 'self'")
# Any other pack file opened on its own (an SVG, a text file) runs nothing at all.
FILE_CSP = ("sandbox; default-src 'none'; img-src 'self' data:; media-src 'self'; "
            "style-src 'unsafe-inline'; frame-ancestors 'self'")
# Browsers refuse to show a PDF in a sandboxed document, so PDFs keep a plain, strict policy.
PDF_CSP = "default-src 'self'; object-src 'self'; script-src 'none'; frame-ancestors 'self'"


@bp.route("/content/<pack_id>/<path:path>", methods=["GET", "HEAD"], merge_slashes=False)
def serve(pack_id: str, path: str):
    """One file of an enabled pack (or of an html5 app inside it)."""
    db = get_db()
    zim_row = _zim_row(db, pack_id)
    if zim_row is not None:
        return content_zim.serve(pack_id, path, zim_row)
    target = files.resolve(db, pack_id, path)
    if target is None:
        abort(404)
    immutable = files.content_addressed(target, request.args.get("v"))
    if target.in_app:
        csp = APP_CSP
    else:
        csp = PDF_CSP if target.mimetype == "application/pdf" else FILE_CSP
    response = respond(target.size, lambda: files.open_target(target), target.mimetype,
                        target.etag, target.last_modified,
                        IMMUTABLE if immutable else REVALIDATE, plain=target.member is None)
    response.headers["Content-Security-Policy"] = csp
    if target.in_app:
        # An opaque-origin app loading its own modules or fonts needs CORS; these files are
        # public and no credentials are ever honoured for them.
        response.headers["Access-Control-Allow-Origin"] = "*"
    return response


@bp.route("/content/<pack_id>/", methods=["GET", "HEAD"])
def pack_home(pack_id: str):
    """A ZIM pack's home: a redirect to the archive's main page (other packs have none)."""
    zim_row = _zim_row(get_db(), pack_id)
    if zim_row is None:
        abort(404)
    return content_zim.serve(pack_id, "", zim_row)


def _zim_row(db, pack_id: str):
    try:
        from hub.catalog.zim import store
    except ImportError:
        return None
    return store.get(db, pack_id)
