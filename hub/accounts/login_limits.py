"""How many failed facilitator sign-ins the hub takes before it makes the caller wait.

Five failed tries per account name and twenty per client address in fifteen minutes; a
success clears that name's failures. Kept in memory: a restart forgives, which is fine for
a hub on a school's own Wi-Fi.
"""
from __future__ import annotations

from hub.core.ratelimit import RateLimiter

LOGIN_FAILURES_PER_USER = RateLimiter(limit=5, window=15 * 60)
LOGIN_FAILURES_PER_CLIENT = RateLimiter(limit=20, window=15 * 60)


class TooManyAttempts(Exception):
    """Too many failed sign-ins; `retry_after` says how many seconds to wait."""

    def __init__(self, retry_after: int):
        super().__init__(f"too many failed sign-ins; try again in {retry_after} s")
        self.retry_after = retry_after


def _keys(username: str, client: str) -> tuple[str, str]:
    return "user:" + (username or "").strip().lower(), "client:" + (client or "")


def check(username: str, client: str = "") -> None:
    """Raise TooManyAttempts when this username or this client has failed too often."""
    user_key, client_key = _keys(username, client)
    for limiter, key in ((LOGIN_FAILURES_PER_USER, user_key), (LOGIN_FAILURES_PER_CLIENT, client_key)):
        if limiter.blocked(key):
            raise TooManyAttempts(limiter.retry_after(key))


def failed(username: str, client: str = "") -> None:
    """Count one failed sign-in against the username and the client."""
    user_key, client_key = _keys(username, client)
    LOGIN_FAILURES_PER_USER.hit(user_key)
    LOGIN_FAILURES_PER_CLIENT.hit(client_key)


def succeeded(username: str) -> None:
    """A right password: forget the username's failures (the client's stay counted)."""
    LOGIN_FAILURES_PER_USER.reset(_keys(username, "")[0])
