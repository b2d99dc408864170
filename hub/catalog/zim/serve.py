"""What /content/<pack_id>/<path> means for a ZIM pack: an item, a redirect, or nothing.

No Flask here: the content view turns an Answer into a response (Range, ETag, events).
The URL layout is the archive's own path tree under /content/<pack_id>/, so the relative
links inside articles ('Foo', '../I/x.png', 'images/x.png') resolve as they do in Kiwix.
"""
from __future__ import annotations

import os
from dataclasses import dataclass

from sqlite_utils import Database

from hub.catalog.zim import archive as zim_archive
from hub.catalog.zim import blobs, store

ARTICLE_TYPES = ("text/html",)   # entries whose opening counts as reading (not images, css, js)
# Items this large are streamed from the file when stored uncompressed (videos, audio, PDFs):
# libzim would map the whole item for every request, Range requests included.
STREAM_FROM_FILE = 256 * 1024


@dataclass(frozen=True)
class Answer:
    """One of: item (content or blob, mimetype) / redirect (path inside the pack) / missing."""
    status: int                  # 200, 302 (redirect), 404, 503 (archive not reachable)
    content: memoryview | None = None
    blob: tuple[str, int, int] | None = None  # (file, offset, size): stream it from the file
    mimetype: str = ""
    redirect: str = ""
    etag: str = ""
    mtime: float = 0.0
    is_article: bool = False
    reason: str = ""


def is_zim_pack(db: Database, pack_id: str) -> bool:
    """True when this enabled pack is a ZIM archive (its content is served from it)."""
    return store.get(db, pack_id) is not None


def resolve(db: Database, pack_id: str, path: str, row: dict | None = None) -> Answer:
    """Resolve a path of a ZIM pack; '' is the pack's home (a redirect to the main page)."""
    row = row or store.get(db, pack_id)
    if row is None:
        return Answer(404, reason="no such pack")
    if path in ("", "/"):
        return Answer(302, redirect=row["main_path"])
    try:
        archive = zim_archive.open_archive(row["path"])
        mtime = os.stat(row["path"]).st_mtime
    except (OSError, RuntimeError):
        # A by-reference archive on a USB drive that is not mounted now.
        return Answer(503, reason="the drive holding this archive is not connected")
    found = zim_archive.lookup(archive, path)
    if found is None:
        return Answer(404, reason="no such article")
    if found.redirect is not None:
        return Answer(302, redirect=found.redirect)
    item = found.item
    mimetype = item.mimetype
    if mimetype.startswith("text/") and "charset" not in mimetype:
        mimetype += "; charset=utf-8"   # ZIM text is UTF-8 by the format's definition
    where = _in_file(archive, row["path"], item)
    return Answer(200, content=None if where else item.content, blob=where, mimetype=mimetype,
                  etag=f"{row['uuid']}-{item._index}", mtime=mtime,
                  is_article=mimetype.split(";")[0].strip() in ARTICLE_TYPES)


def _in_file(archive, path: str, item) -> tuple[str, int, int] | None:
    """(file, offset, size) of a large item stored uncompressed, else None (libzim reads it)."""
    if item.size < STREAM_FROM_FILE or archive.is_multipart:
        return None
    found = blobs.locate(path, item._index)
    if found is None or found[1] != item.size:
        return None
    return path, found[0], found[1]
