"""Where an item's bytes lie in a ZIM file, so that a large uncompressed item (a video) is
streamed from the file in chunks instead of being mapped into memory whole by libzim.

The ZIM format (openzim.org/wiki/ZIM_file_format): a header with the positions of the path
pointer list and the cluster pointer list; an entry (dirent) names its cluster and blob; a
cluster starts with one info byte (compression in the low 4 bits, 8-byte offsets when bit 4
is set) and, when uncompressed, the blob offsets follow, relative to the byte after it.
Compressed clusters and split archives answer None: libzim reads those (their items are text
and small images, a cluster at most a few MiB).
"""
from __future__ import annotations

import struct

MAGIC = 72173914
UNCOMPRESSED = (0, 1)  # 0: the oldest "default", 1: none
REDIRECT = 0xFFFF


def _read(handle, offset: int, size: int) -> bytes:
    handle.seek(offset)
    data = handle.read(size)
    if len(data) != size:
        raise ValueError("truncated")
    return data


def locate(path: str, entry_index: int) -> tuple[int, int] | None:
    """(file offset, size) of entry `entry_index`'s blob when it is stored uncompressed; else None."""
    try:
        with open(path, "rb") as handle:
            header = _read(handle, 0, 80)
            magic, = struct.unpack_from("<I", header, 0)
            entry_count, cluster_count = struct.unpack_from("<II", header, 24)
            path_ptr_pos, _title_ptr_pos, cluster_ptr_pos = struct.unpack_from("<QQQ", header, 32)
            if magic != MAGIC or not 0 <= entry_index < entry_count:
                return None
            dirent_pos, = struct.unpack("<Q", _read(handle, path_ptr_pos + 8 * entry_index, 8))
            mimetype, _param, _ns, _rev, cluster, blob = struct.unpack(
                "<HBcIII", _read(handle, dirent_pos, 16))
            if mimetype == REDIRECT or cluster >= cluster_count:
                return None
            cluster_pos, = struct.unpack("<Q", _read(handle, cluster_ptr_pos + 8 * cluster, 8))
            info = _read(handle, cluster_pos, 1)[0]
            if info & 0x0F not in UNCOMPRESSED:
                return None
            width, code = (8, "<QQ") if info & 0x10 else (4, "<II")
            start, end = struct.unpack(code, _read(handle, cluster_pos + 1 + width * blob, 2 * width))
            first, = struct.unpack(code[0] + code[1], _read(handle, cluster_pos + 1, width))
            if end < start or blob >= first // width - 1:
                return None
            return cluster_pos + 1 + start, end - start
    except (OSError, ValueError, struct.error):
        return None


class BlobReader:
    """A read-only file over one blob of a ZIM file: seek and read relative to the blob."""

    def __init__(self, path: str, offset: int, size: int):
        self._handle = open(path, "rb")  # noqa: SIM115 - closed by close()
        self._offset, self._size, self._pos = offset, size, 0

    def seek(self, pos: int, whence: int = 0) -> int:
        """Move within the blob (like a file's seek)."""
        base = {0: 0, 1: self._pos, 2: self._size}[whence]
        self._pos = max(0, min(self._size, base + pos))
        return self._pos

    def tell(self) -> int:
        """The position within the blob."""
        return self._pos

    def read(self, size: int = -1) -> bytes:
        """Up to `size` bytes from the position (never past the blob's end)."""
        left = self._size - self._pos
        size = left if size is None or size < 0 else min(size, left)
        self._handle.seek(self._offset + self._pos)
        data = self._handle.read(size)
        self._pos += len(data)
        return data

    def close(self) -> None:
        """Close the file."""
        self._handle.close()


class ViewReader:
    """A read-only file over bytes already in memory (a memoryview), read without a full copy."""

    def __init__(self, view):
        self._view, self._pos = memoryview(view), 0

    def seek(self, pos: int, whence: int = 0) -> int:
        """Move within the bytes."""
        base = {0: 0, 1: self._pos, 2: len(self._view)}[whence]
        self._pos = max(0, min(len(self._view), base + pos))
        return self._pos

    def read(self, size: int = -1) -> bytes:
        """Up to `size` bytes from the position (a copy of that slice only)."""
        end = len(self._view) if size is None or size < 0 else min(len(self._view), self._pos + size)
        data = bytes(self._view[self._pos:end])
        self._pos = end
        return data

    def close(self) -> None:
        """Let the bytes go."""
        self._view.release()
