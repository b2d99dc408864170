"""How many failed facilitator sign-ins the hub takes before it makes the caller wait.

Five failed tries per account name and twenty per client address in fifteen minutes; a
success clears that name's failures. A try is counted before its password is checked (and
given back when right), so parallel guessers get no more tries than the limit. Kept in
memory: a restart forgives, which is fine for a hub on a school's own Wi-Fi.
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


def take_try(username: str, client: str = "") -> None:
    """Count one sign-in try against the username and the client, before the password is
    checked; raise TooManyAttempts (and count nothing) when either has none left.

    Taking the try is the check itself, one step under the limiter's lock: parallel guessers
    cannot all pass a check before any of them is counted."""
    user_key, client_key = _keys(username, client)
    if not LOGIN_FAILURES_PER_USER.hit(user_key):
        raise TooManyAttempts(LOGIN_FAILURES_PER_USER.retry_after(user_key))
    if not LOGIN_FAILURES_PER_CLIENT.hit(client_key):
        LOGIN_FAILURES_PER_USER.give_back(user_key)
        raise TooManyAttempts(LOGIN_FAILURES_PER_CLIENT.retry_after(client_key))


def succeeded(username: str, client: str = "") -> None:
    """A right password: forget the username's failures and give the client its try back."""
    user_key, client_key = _keys(username, client)
    LOGIN_FAILURES_PER_USER.reset(user_key)
    LOGIN_FAILURES_PER_CLIENT.give_back(client_key)
