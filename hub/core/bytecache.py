"""A thread-safe least-recently-used cache bounded by the bytes of what it holds, not a count.

A count bound says nothing on a 1 GB device: 256 entries of up to 2 MiB each is half a GB.
Each entry states its own size; the oldest go first when the total would pass the bound, and
an entry larger than the whole bound is not kept at all.
"""
from __future__ import annotations

import threading
from collections import OrderedDict

_MISSING = object()


class ByteBoundedCache:
    """Keep values up to `max_bytes` in total (sizes as given to `put`)."""

    def __init__(self, max_bytes: int, max_entry_bytes: int | None = None):
        self.max_bytes = max_bytes
        # One huge entry (a big pack's overview page) should not push out all the others.
        self.max_entry_bytes = max_bytes if max_entry_bytes is None else max_entry_bytes
        self._items: OrderedDict = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    def get(self, key, default=None):
        """The value for `key` (now the most recently used), or `default`."""
        with self._lock:
            found = self._items.get(key, _MISSING)
            if found is _MISSING:
                return default
            self._items.move_to_end(key)
            return found[0]

    def put(self, key, value, size: int) -> None:
        """Keep `value` as `size` bytes, dropping the least recently used to make room."""
        with self._lock:
            old = self._items.pop(key, None)
            if old is not None:
                self._bytes -= old[1]
            if size > self.max_entry_bytes or size > self.max_bytes:
                return
            self._items[key] = (value, size)
            self._bytes += size
            while self._bytes > self.max_bytes:
                _key, (_value, dropped) = self._items.popitem(last=False)
                self._bytes -= dropped

    def __len__(self) -> int:
        """How many entries the cache holds now."""
        with self._lock:
            return len(self._items)

    def held_bytes(self) -> int:
        """The bytes the cache holds now."""
        with self._lock:
            return self._bytes

    def clear(self) -> None:
        """Forget everything."""
        with self._lock:
            self._items.clear()
            self._bytes = 0
