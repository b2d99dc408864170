"""Where a `next` parameter may send the browser: a path on this site, never another host.

The one check, used by the hub's pages and the central's sign-in (a shared, Flask-free rule).
"""
from __future__ import annotations


def safe_next(target: str | None, default: str = "/") -> str:
    """Return a local path to go back to; anything else (other hosts, '//x', '/\\x') is `default`."""
    # Browsers read a backslash as a slash, so '/\\evil.example' would leave the site.
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return default
    return target
