"""Fetch a pack catalog and download a pack zip over HTTP, resuming with Range and If-Range.

Plain http.client with timeouts (verified TLS for https), like sync.client. A download
appends to its staging file from the byte it holds, asks for the rest with
`Range: bytes=N-` and `If-Range: "<sha256>"` (the catalog's sha256 is the zip's ETag on the
centre and on hubs), so a source that now serves other bytes answers the whole new file
instead of a piece that would not fit, and the download starts over rather than splice.
"""
from __future__ import annotations

import http.client
import json
import os
import socket
import ssl
import time
from urllib.parse import urljoin, urlsplit

from hub.catalog.packs.manifest import PACK_ID, SHA256

CATALOG_PATH = "/api/v1/catalog"
CONNECT_TIMEOUT_S = 10
READ_TIMEOUT_S = 60
CHUNK = 64 * 1024
SYNC_EVERY = 1024 * 1024  # fsync and report progress after this many bytes


class PullError(Exception):
    """A catalog or download that did not work; the message says why, for people."""


class Changed(PullError):
    """The source now serves other bytes than its catalog said: start over from a new catalog."""


def catalog_url(base: str) -> str:
    """The catalog address of a centre or hub given by its base URL (or the catalog's own)."""
    base = base.strip().rstrip("/")
    return base if base.endswith(CATALOG_PATH) else base + CATALOG_PATH


def _connection(url: str, timeout: float):
    parts = urlsplit(url)
    if parts.scheme == "https":
        return http.client.HTTPSConnection(parts.hostname, parts.port, timeout=timeout,
                                           context=ssl.create_default_context())
    if parts.scheme != "http" or not parts.hostname:
        raise PullError(f"{url}: not an http:// or https:// address")
    return http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)


def _target(url: str) -> str:
    parts = urlsplit(url)
    return (parts.path or "/") + (f"?{parts.query}" if parts.query else "")


def _entry(raw: dict, where: str) -> dict:
    """One catalog row checked, its url made absolute; PullError when it is not a pack row."""
    if not isinstance(raw, dict) or not isinstance(raw.get("id"), str) or not PACK_ID.fullmatch(raw["id"]) \
            or not isinstance(raw.get("version"), str) or not isinstance(raw.get("url"), str) \
            or not isinstance(raw.get("sha256"), str) or not SHA256.fullmatch(raw["sha256"]) \
            or not isinstance(raw.get("size"), int) or raw["size"] < 0:
        raise PullError(f"{where}: the catalog has a row that is not a pack ({str(raw)[:120]})")
    return {"id": raw["id"], "version": raw["version"], "title": raw.get("title") or {},
            "languages": raw.get("languages") or [], "size": raw["size"], "sha256": raw["sha256"],
            "url": urljoin(where, raw["url"])}


def fetch_catalog(base: str, timeout: float = READ_TIMEOUT_S) -> list[dict]:
    """The catalog of a centre or hub: pack rows with absolute urls; PullError when unreachable."""
    url = catalog_url(base)
    conn = _connection(url, min(CONNECT_TIMEOUT_S, timeout))
    try:
        conn.connect()
        conn.sock.settimeout(timeout)
        conn.request("GET", _target(url), headers={"User-Agent": "community-learning-hub"})
        response = conn.getresponse()
        body = response.read(16 * 1024 * 1024)
    except (OSError, http.client.HTTPException) as exc:
        raise PullError(f"cannot reach {url} ({exc})") from None
    finally:
        conn.close()
    if response.status != 200:
        raise PullError(f"{url} answered {response.status} {response.reason}")
    try:
        packs = json.loads(body)["packs"]
        assert isinstance(packs, list)
    except (ValueError, KeyError, TypeError, AssertionError):
        raise PullError(f"{url} did not answer a pack catalog") from None
    return [_entry(raw, url) for raw in packs]


class Pacer:
    """Keeps a download under `rate` bytes a second (None: as fast as the link goes)."""

    def __init__(self, rate: int | None):
        self.rate, self.start, self.sent = rate, time.monotonic(), 0

    def took(self, count: int) -> None:
        """Count bytes; wait as long as needed to stay under the rate."""
        self.sent += count
        if self.rate:
            ahead = self.sent / self.rate - (time.monotonic() - self.start)
            if ahead > 0:
                time.sleep(ahead)  # background downloads give the link back to learners


def download(url: str, handle, sha256: str, size: int, *, limit: int | None = None,
             rate: int | None = None, on_bytes=None) -> int:
    """Append the rest of the zip to `handle` (opened 'r+b'); return how many bytes it holds now.

    Stops after `limit` new bytes (the day's budget). A cut connection raises PullError with
    the bytes received so far kept and fsynced; Changed when the source serves other bytes.
    """
    handle.seek(0, os.SEEK_END)
    have = handle.tell()
    if have >= size:
        return have
    headers = {"User-Agent": "community-learning-hub", "Accept-Encoding": "identity"}
    if have:
        headers.update({"Range": f"bytes={have}-", "If-Range": f'"{sha256}"'})
    conn = _connection(url, CONNECT_TIMEOUT_S)
    pacer, since_sync, new = Pacer(rate), 0, 0
    try:
        try:
            conn.connect()
            conn.sock.settimeout(READ_TIMEOUT_S)
            conn.request("GET", _target(url), headers=headers)
            response = conn.getresponse()
            etag = (response.getheader("ETag") or "").strip()
            if etag and etag.removeprefix("W/") != f'"{sha256}"':
                raise Changed(f"{url} now serves other bytes than its catalog said; "
                              "pull again to start over from its new catalog")
            if response.status == 416 and have:
                raise Changed(f"{url} has fewer bytes than this download already holds")
            if response.status == 200 and have:
                handle.seek(0)
                handle.truncate()  # the source sent the whole file: start over, never splice
                have = 0
            elif response.status == 206:
                first = (response.getheader("Content-Range") or "").removeprefix("bytes ").split("-")[0]
                if first != str(have):
                    raise Changed(f"{url} answered another range ({first}) than asked ({have})")
            elif response.status != 200:
                raise PullError(f"{url} answered {response.status} {response.reason}")
            # Never more than the catalog's size: a source that sends on and on fills no disk.
            most = size - have if limit is None else min(limit, size - have)
            while new < most:
                block = response.read(min(CHUNK, most - new))
                if not block:
                    break
                handle.write(block)
                new += len(block)
                since_sync += len(block)
                pacer.took(len(block))
                if since_sync >= SYNC_EVERY:
                    handle.flush()
                    os.fsync(handle.fileno())
                    since_sync = 0
                    if on_bytes:
                        on_bytes(have + new)
        except (socket.timeout, TimeoutError) as exc:
            raise PullError(f"{url} stopped sending ({exc}); the {have + new} bytes received are kept") from None
        except (OSError, http.client.HTTPException) as exc:
            raise PullError(f"the connection to {url} was cut ({exc.__class__.__name__}); "
                            f"the {have + new} bytes received are kept") from None
    finally:
        handle.flush()
        os.fsync(handle.fileno())
        conn.close()
    total = have + new
    if on_bytes:
        on_bytes(total)
    if total < size and (limit is None or new < limit):
        raise PullError(f"the connection to {url} was cut after {total} of {size} bytes; "
                        "the bytes received are kept and the next pull resumes")
    return total
