"""Kiwix ZIM files as content packs, through the optional python-libzim (GPL-3.0) extra.

Nothing here imports libzim at module level: the hub runs without it, and says so where
a ZIM is asked for (`available()`, `MISSING`).
"""
from __future__ import annotations

MISSING = "ZIM support needs the optional extra: pip install '.[zim]'"


class ZimUnavailable(RuntimeError):
    """python-libzim is not installed; str() is the one line to show."""

    def __init__(self):
        super().__init__(MISSING)


def available() -> bool:
    """True when python-libzim can be imported in this environment."""
    try:
        import libzim.reader  # noqa: F401
    except ImportError:
        return False
    return True


def is_zim_file(path) -> bool:
    """True for a path named *.zim (the routing test; the content is checked on install)."""
    return str(path).lower().endswith(".zim")
