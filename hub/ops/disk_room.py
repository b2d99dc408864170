"""Disk room promised to uploads still arriving, so parallel uploads cannot share the reserve.

Each upload reserves the bytes it may write before its first byte is read; the room left for
the next one is the free space minus the disk reserve minus every reservation still open.
Kept in memory: a reservation lives only as long as its request.
"""
from __future__ import annotations

import itertools
import shutil
import threading


class DiskReservations:
    """Bytes promised to requests in flight, checked and taken under one lock."""

    def __init__(self):
        self._lock = threading.Lock()
        self._open: dict[int, int] = {}
        self._ids = itertools.count(1)

    def _room(self, data_dir: str, reserve_bytes: int) -> int:
        return shutil.disk_usage(data_dir).free - reserve_bytes - sum(self._open.values())

    def room(self, data_dir: str, reserve_bytes: int) -> int:
        """Bytes that may still be promised without touching the reserve (may be negative)."""
        with self._lock:
            return self._room(data_dir, reserve_bytes)

    def take(self, data_dir: str, reserve_bytes: int, nbytes: int) -> int | None:
        """Promise `nbytes`; return a token for `release`, or None when they do not fit."""
        with self._lock:
            if nbytes > self._room(data_dir, reserve_bytes):
                return None
            token = next(self._ids)
            self._open[token] = nbytes
            return token

    def release(self, token: int | None) -> None:
        """Give a promise back (twice is harmless)."""
        if token is not None:
            with self._lock:
                self._open.pop(token, None)

    def promised(self) -> int:
        """Bytes promised and not yet given back."""
        with self._lock:
            return sum(self._open.values())


RESERVATIONS = DiskReservations()
