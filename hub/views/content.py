"""/content/<pack_id>/<path>: pack files with Range, ETag, Last-Modified, 304 and 416.

Plain files go out as waitress' `wsgi.file_wrapper` (no Flask send_file: 2-4x slower, see
docs/performance.md). Several ranges come back as multipart/byteranges. Files of html5 apps
are read from their zip and carry a sandbox CSP: an opaque origin that cannot read the hub's
cookies, and connect-src 'none' so the app cannot call the hub's API as the learner.
"""
from __future__ import annotations

import datetime as dt
import io
import secrets

from flask import Blueprint, abort, request
from werkzeug.wrappers import Response

from hub import content_files as files
from hub.db import get_db

bp = Blueprint("content", __name__)

CHUNK = 64 * 1024
IMMUTABLE = "public, max-age=31536000, immutable"
REVALIDATE = "public, max-age=300, must-revalidate"
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
        from hub.views import content_zim

        return content_zim.serve(pack_id, path, zim_row)
    target = files.resolve(db, pack_id, path)
    if target is None:
        abort(404)
    immutable = files.content_addressed(target, request.args.get("v"))
    if target.in_app:
        csp = APP_CSP
    else:
        csp = PDF_CSP if target.mimetype == "application/pdf" else FILE_CSP
    response = _respond(target.size, lambda: files.open_target(target), target.mimetype,
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
    from hub.views import content_zim

    return content_zim.serve(pack_id, "", zim_row)


def _zim_row(db, pack_id: str):
    try:
        from hub.zim import store
    except ImportError:
        return None
    return store.get(db, pack_id)


def partial_response(content, mimetype: str, *, etag: str, last_modified: float | None = None,
                     cache_control: str = REVALIDATE) -> Response:
    """A response for bytes in memory (used for ZIM items) with the same Range/304 rules."""
    data = bytes(content)
    if etag and not etag.startswith(('"', "W/")):
        etag = f'"{etag}"'
    modified = dt.datetime.fromtimestamp(last_modified or 0, dt.timezone.utc)
    return _respond(len(data), lambda: io.BytesIO(data), mimetype, etag, modified, cache_control,
                    plain=False)


def _respond(size: int, opener, mimetype: str, etag: str, modified: dt.datetime,
             cache_control: str, *, plain: bool) -> Response:
    """Apply conditional and Range headers; stream the body (file_wrapper for plain files)."""
    headers = {"ETag": etag, "Last-Modified": files.http_date(modified),
               "Cache-Control": cache_control, "Accept-Ranges": "bytes"}
    if files.not_modified(_target_like(etag, modified), request.headers.get("If-None-Match"),
                          request.headers.get("If-Modified-Since")):
        return Response(status=304, headers=headers)
    ranges = None
    if files.if_range_allows(_target_like(etag, modified), request.headers.get("If-Range")):
        ranges = files.parse_ranges(request.headers.get("Range"), size)
    if ranges is False:
        headers["Content-Range"] = f"bytes */{size}"
        return Response(status=416, headers=headers)
    if ranges and len(ranges) > 1:
        return _multipart(size, opener, mimetype, ranges, headers)
    start, end = ranges[0] if ranges else (0, size - 1)
    length = max(0, end - start + 1)
    headers["Content-Type"] = mimetype
    headers["Content-Length"] = str(length)
    status = 200
    if ranges:
        status = 206
        headers["Content-Range"] = f"bytes {start}-{end}/{size}"
    if request.method == "HEAD":
        return Response(status=status, headers=headers)
    handle = opener()
    if plain:
        handle.seek(start)  # waitress sends Content-Length bytes from here (prepare())
        wrapper = request.environ.get("wsgi.file_wrapper")
        body = wrapper(handle, CHUNK) if wrapper else _chunks(handle, start, length)
    else:
        body = _chunks(handle, start, length)
    return Response(body, status=status, headers=headers, direct_passthrough=True)


def _target_like(etag: str, modified: dt.datetime) -> files.Target:
    return files.Target("", None, 0, "", etag, modified, "", False)


def _chunks(handle, start: int, length: int):
    """Yield `length` bytes from `start`, then close the handle (zip members stream)."""
    try:
        if start:
            handle.seek(start)
        while length > 0:
            block = handle.read(min(CHUNK, length))
            if not block:
                break
            length -= len(block)
            yield block
    finally:
        files.close_target(handle)


def _multipart(size: int, opener, mimetype: str, ranges, headers: dict) -> Response:
    """206 multipart/byteranges: each part with its own Content-Type and Content-Range."""
    boundary = secrets.token_hex(12)
    heads = [(f"--{boundary}\r\nContent-Type: {mimetype}\r\n"
              f"Content-Range: bytes {a}-{b}/{size}\r\n\r\n").encode() for a, b in ranges]
    tail = f"\r\n--{boundary}--\r\n".encode()
    length = sum(len(h) + (b - a + 1) for h, (a, b) in zip(heads, ranges)) \
        + 2 * (len(ranges) - 1) + len(tail)
    headers["Content-Type"] = f"multipart/byteranges; boundary={boundary}"
    headers["Content-Length"] = str(length)
    if request.method == "HEAD":
        return Response(status=206, headers=headers)

    def parts():
        handle = opener()
        try:
            for index, (head, (a, b)) in enumerate(zip(heads, ranges)):
                yield (b"\r\n" if index else b"") + head
                handle.seek(a)
                left = b - a + 1
                while left > 0:
                    block = handle.read(min(CHUNK, left))
                    if not block:
                        break
                    left -= len(block)
                    yield block
            yield tail
        finally:
            files.close_target(handle)

    return Response(parts(), status=206, headers=headers, direct_passthrough=True)
