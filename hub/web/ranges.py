"""HTTP answers for file bytes: Range (single and multipart), ETag and 304, streamed in chunks.

The one implementation, used by pack files (views.content) and ZIM articles (views.content_zim).
"""
from __future__ import annotations

import datetime as dt
import secrets

from flask import request
from werkzeug.wrappers import Response

from hub.catalog import files
from hub.catalog.zim.blobs import ViewReader

CHUNK = 64 * 1024
IMMUTABLE = "public, max-age=31536000, immutable"
REVALIDATE = "public, max-age=300, must-revalidate"


def partial_response(content, mimetype: str, *, etag: str, last_modified: float | None = None,
                     cache_control: str = REVALIDATE, size: int | None = None,
                     opener=None) -> Response:
    """A response for ZIM items with the same Range/304 rules: bytes in memory (`content`, read
    in chunks, never copied whole), or `size` bytes from `opener()` (a blob in the file)."""
    plain = opener is not None  # a file-like blob: waitress sends it straight from the file
    if opener is None:
        view = memoryview(content)
        size, opener = len(view), lambda: ViewReader(view)
    if etag and not etag.startswith(('"', "W/")):
        etag = f'"{etag}"'
    modified = dt.datetime.fromtimestamp(last_modified or 0, dt.timezone.utc)
    return respond(size, opener, mimetype, etag, modified, cache_control, plain=plain)


def respond(size: int, opener, mimetype: str, etag: str, modified: dt.datetime,
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
