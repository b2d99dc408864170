"""Why a report could not be delivered: typed, so callers decide to wait, retry or tell a person."""
from __future__ import annotations


class SyncError(Exception):
    """A report could not be delivered."""

    retryable = True


class ConnectionFailed(SyncError):
    """The central could not be reached (no network, DNS, refused, TLS failure)."""


class Timeout(SyncError):
    """The central did not answer in time."""


class Rejected(SyncError):
    """The central answered with a refusal; `status` and `reason` say what it said."""

    def __init__(self, status: int, reason: str):
        super().__init__(f"the central refused the report ({status}): {reason}")
        self.status = status
        self.reason = reason
        # 401 (secret changed?), 429 and 5xx may pass later; other 4xx need a person.
        self.retryable = status in (401, 408, 429) or status >= 500
