"""A small thread-safe sliding-window rate limiter (login attempts, PIN tries, ...)."""
from __future__ import annotations

import threading
import time
from collections import deque


class RateLimiter:
    """Allow at most `limit` hits per key within `window` seconds.

    Hits older than the window are forgotten; keys with no recent hits are dropped, so memory
    stays bounded by the number of keys active within one window.
    """

    def __init__(self, limit: int, window: float, clock=time.monotonic):
        if limit < 1 or window <= 0:
            raise ValueError("limit must be >= 1 and window > 0")
        self.limit = limit
        self.window = window
        self._clock = clock
        self._hits: dict[str, deque] = {}
        self._lock = threading.Lock()

    def _recent(self, key: str, now: float) -> deque:
        hits = self._hits.get(key)
        if hits is None:
            return deque()
        while hits and hits[0] <= now - self.window:
            hits.popleft()
        if not hits:
            del self._hits[key]
        return hits

    def blocked(self, key: str) -> bool:
        """True when `key` has used up its allowance in the current window."""
        with self._lock:
            return len(self._recent(key, self._clock())) >= self.limit

    def hit(self, key: str) -> bool:
        """Record one hit for `key`; return False (and record nothing) when over the limit."""
        with self._lock:
            now = self._clock()
            hits = self._recent(key, now)
            if len(hits) >= self.limit:
                return False
            self._hits.setdefault(key, hits).append(now)
            return True

    def give_back(self, key: str) -> None:
        """Undo the latest hit of `key` (a try taken up front that turned out not to count)."""
        with self._lock:
            hits = self._hits.get(key)
            if hits:
                hits.pop()
                if not hits:
                    del self._hits[key]

    def retry_after(self, key: str) -> int:
        """Seconds until `key` may try again (0 when it may now)."""
        with self._lock:
            now = self._clock()
            hits = self._recent(key, now)
            if len(hits) < self.limit:
                return 0
            return max(1, int(hits[0] + self.window - now + 0.999))

    def reset(self, key: str) -> None:
        """Forget every hit of `key` (e.g. after a successful sign-in)."""
        with self._lock:
            self._hits.pop(key, None)

    def clear(self) -> None:
        """Forget every key."""
        with self._lock:
            self._hits.clear()
