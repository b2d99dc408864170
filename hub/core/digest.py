"""The sha256 of a file, read in chunks (packs, their files and downloads are checked by it)."""
from __future__ import annotations

import hashlib
from pathlib import Path

CHUNK = 1024 * 1024  # a megabyte at a time: fast, and never a whole video in memory


def file_sha256(path: str | Path) -> tuple[int, str]:
    """(size in bytes, sha256 hex) of the file at `path`."""
    digest, size = hashlib.sha256(), 0
    with open(path, "rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return size, digest.hexdigest()
