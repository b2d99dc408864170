"""Which file a /content/<pack_id>/<path> URL names, and the HTTP caching/Range rules for it.

No Flask here. Only files listed in an enabled pack's manifest are served, and files inside
an html5 app's .zip (`<app.zip path>/<inner path>`) or of an .h5p package, read straight
from the archive. A path
that is odd in any way (.., empty or dot segments, backslashes, NUL, absolute) names nothing.
"""
from __future__ import annotations

import datetime as dt
import functools
import mimetypes
import os
import zipfile
from dataclasses import dataclass
from email.utils import format_datetime, parsedate_to_datetime

from sqlite_utils import Database

from hub.catalog import store as catalog
from hub.core.bytecache import ByteBoundedCache

MAX_RANGES = 16  # more parts than this is a scan or an attack: serve the whole file instead
# Mimetypes the platform table may lack or get wrong; the rest come from `mimetypes`.
MIMETYPES = {
    ".md": "text/markdown; charset=utf-8", ".txt": "text/plain; charset=utf-8",
    ".html": "text/html; charset=utf-8", ".htm": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8", ".js": "text/javascript; charset=utf-8",
    ".mjs": "text/javascript; charset=utf-8", ".json": "application/json",
    ".svg": "image/svg+xml", ".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg",
    ".gif": "image/gif", ".webp": "image/webp", ".avif": "image/avif", ".ico": "image/x-icon",
    ".mp3": "audio/mpeg", ".m4a": "audio/mp4", ".ogg": "audio/ogg", ".oga": "audio/ogg",
    ".opus": "audio/ogg", ".wav": "audio/wav", ".flac": "audio/flac",
    ".mp4": "video/mp4", ".m4v": "video/mp4", ".webm": "video/webm", ".ogv": "video/ogg",
    ".vtt": "text/vtt; charset=utf-8", ".pdf": "application/pdf", ".wasm": "application/wasm",
    ".woff": "font/woff", ".woff2": "font/woff2", ".ttf": "font/ttf", ".otf": "font/otf",
    ".zip": "application/zip", ".epub": "application/epub+zip", ".xml": "application/xml",
}


@dataclass(frozen=True)
class Target:
    """A servable file: a pack file on disk, or a member of an html5 app's zip."""
    path: str              # absolute path of the file (or of the zip)
    member: str | None     # the zip member name, None for plain files
    size: int
    mimetype: str
    etag: str              # quoted strong ETag
    last_modified: dt.datetime
    sha256: str            # of the pack file (the zip for members): `?v=` content addressing
    in_app: bool           # a file of an html5 app: served under the app sandbox policy


def mimetype_for(name: str) -> str:
    """The Content-Type for a file name (.md is text/markdown; unknown is octet-stream)."""
    ext = os.path.splitext(name)[1].lower()
    return MIMETYPES.get(ext) or mimetypes.guess_type(name)[0] or "application/octet-stream"


def safe_relative(path: str) -> bool:
    """True for a plain relative path: no '..', '.', empty segments, backslash, NUL, colon-drive."""
    if not path or "\x00" in path or "\\" in path or path.startswith("/") or len(path) > 1024:
        return False
    return all(part not in ("", ".", "..") for part in path.split("/")) and ":" not in path.split("/")[0]


def _installed(row: dict) -> dt.datetime:
    return _parse_installed(row["installed_at"])


@functools.lru_cache(maxsize=256)
def _parse_installed(stamp: str | None) -> dt.datetime:
    try:
        return dt.datetime.strptime(stamp, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=dt.timezone.utc)
    except (TypeError, ValueError):
        return dt.datetime(2000, 1, 1, tzinfo=dt.timezone.utc)


@functools.lru_cache(maxsize=4096)
def _file_path(storage_dir: str, file: str):
    # A pack version's folder is written once, by one rename, and holds no symlinks
    # (hub.catalog.packs.store.publish), so the traversal check's answer never changes: remembering
    # it saves realpath's lstat of every path component, a fifth of a content request.
    return catalog.resource_file_path(storage_dir, file)


def resolve(db: Database, pack_id: str, path: str) -> Target | None:
    """The file `path` of an enabled pack names, or None (unlisted, hidden pack, traversal)."""
    if path.lower().endswith(".zip/"):
        path += "index.html"  # an app's folder URL opens its index.html
    if not safe_relative(path):
        return None
    row = catalog.resource_by_file(db, pack_id, path)
    if row is not None:
        # Exercise files hold the answers: they are checked on the hub, never sent.
        return None if row["kind"] == "exercise" else _pack_file(row)
    # <app.zip>/<inner> (or <content.h5p>/<inner>): the longest listed archive that prefixes the path.
    for suffix, kind in ((".zip/", "html5"), (".h5p/", "h5p")):
        cut = path.lower().rfind(suffix)
        while cut > 0:
            row = catalog.resource_by_file(db, pack_id, path[:cut + 4])
            if row is not None and row["kind"] == kind and (kind == "html5" or path[cut + 5:]):
                return _app_member(row, path[cut + 5:] or "index.html")
            cut = path.lower().rfind(suffix, 0, cut)
    return None


def _pack_file(row: dict) -> Target | None:
    full = _file_path(row["storage_dir"], row["file"])
    if full is None or not full.is_file():
        return None
    return Target(str(full), None, full.stat().st_size, mimetype_for(row["file"]),
                  f'"{row["sha256"][:40] or row["version"]}"', _installed(row), row["sha256"],
                  False)


def _app_member(row: dict, inner: str) -> Target | None:
    full = catalog.resource_file_path(row["storage_dir"], row["file"])
    if full is None or not full.is_file() or inner.endswith("/"):
        return None
    listing = _app_listing(str(full), row["sha256"])
    info = listing.get(inner) if listing is not None else None
    if info is None:
        return None
    crc, file_size = info
    etag = f'"{row["sha256"][:24]}-{crc:08x}-{file_size}"'
    return Target(str(full), inner, file_size, mimetype_for(inner), etag, _installed(row),
                  row["sha256"], True)


# html5 apps' zip listings (member -> CRC, size), per app file and its hash: a pack version's
# files never change, so the central directory is read once, not on every asset request.
APP_LISTINGS = ByteBoundedCache(4 * 1024 * 1024)


def _app_listing(path: str, sha256: str) -> dict | None:
    """The files of an html5 app's zip (directories left out), or None when it cannot be read."""
    key = (path, sha256)
    listing = APP_LISTINGS.get(key)
    if listing is None:
        try:
            with zipfile.ZipFile(path) as archive:
                listing = {i.filename: (i.CRC, i.file_size) for i in archive.infolist()
                           if not i.is_dir()}
        except (zipfile.BadZipFile, OSError):
            return None
        # About 100 bytes of dict entry, tuple and ints per member, plus its name.
        APP_LISTINGS.put(key, listing, sum(100 + len(name) for name in listing))
    return listing


def open_target(target: Target):
    """A binary file object positioned at 0 (a zip member streams, never loaded whole)."""
    if target.member is None:
        return open(target.path, "rb")
    archive = zipfile.ZipFile(target.path)
    member = archive.open(target.member)
    member._hub_archive = archive  # closed with the member (see close_target)
    return member


def close_target(handle) -> None:
    """Close a handle from open_target (and its zip archive)."""
    handle.close()
    archive = getattr(handle, "_hub_archive", None)
    if archive is not None:
        archive.close()


def parse_ranges(header: str | None, size: int) -> list[tuple[int, int]] | None | bool:
    """Byte ranges asked for, as inclusive (start, end) pairs.

    None: no (usable) Range header, send everything. False: none satisfiable (416).
    A malformed header is ignored as RFC 9110 allows; too many parts, likewise.
    """
    if not header or not header.startswith("bytes="):
        return None
    ranges = []
    for spec in header[6:].split(","):
        spec = spec.strip()
        start, dash, end = spec.partition("-")
        if not dash or not (start.isdigit() or end.isdigit()) or (start and not start.isdigit()) \
                or (end and not end.isdigit()):
            return None
        if not start:  # suffix: the last N bytes
            length = int(end)
            if length == 0:
                continue
            ranges.append((max(0, size - length), size - 1))
            continue
        first, last = int(start), int(end) if end else size - 1
        if first >= size:
            continue  # starts past the end: unsatisfiable
        if last < first:
            return None
        ranges.append((first, min(last, size - 1)))
    if len(ranges) > MAX_RANGES:
        return None
    return ranges or False


def not_modified(target: Target, if_none_match: str | None, if_modified_since: str | None) -> bool:
    """True when the client's copy is current (If-None-Match wins over If-Modified-Since)."""
    if if_none_match:
        tags = [t.strip().removeprefix("W/") for t in if_none_match.split(",")]
        return "*" in tags or target.etag in tags
    if if_modified_since:
        try:
            since = parsedate_to_datetime(if_modified_since)
        except (TypeError, ValueError):
            return False
        if since.tzinfo is None:
            since = since.replace(tzinfo=dt.timezone.utc)
        return target.last_modified.replace(microsecond=0) <= since
    return False


def if_range_allows(target: Target, if_range: str | None) -> bool:
    """A Range applies unless If-Range names another version of the file."""
    if not if_range:
        return True
    if if_range.startswith('"') or if_range.startswith("W/"):
        return if_range == target.etag
    return if_range == http_date(target.last_modified)


def http_date(value: dt.datetime) -> str:
    """An RFC 9110 date (GMT)."""
    return format_datetime(value.astimezone(dt.timezone.utc), usegmt=True)


def content_addressed(target: Target, version: str | None) -> bool:
    """True when the URL carries the file's hash (`?v=` of 12+ hex digits), so it never changes."""
    return bool(version) and len(version) >= 12 and target.sha256.startswith(version.lower())
