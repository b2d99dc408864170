"""The one version order of the hub: semantic-version precedence for packs, USB and ZIMs.

Semantic versioning (semver.org, section 11): numeric parts compare as numbers, a
pre-release sorts before its release (1.0.0-beta.1 < 1.0.0), pre-release identifiers compare
numerically when numeric and below alphanumeric ones, build metadata (+...) is ignored. The
same key orders the looser versions found on a USB stick ('0.9') and ZIM dates
('2024.01.15'), so the USB page and the install always agree on what is newer.
"""
from __future__ import annotations


def _identifier(part: str) -> tuple:
    # Numbers below words, numbers numerically (semver 11.4.1-11.4.3).
    return (0, int(part), "") if part.isdigit() else (1, 0, part)


def version_key(version: str) -> tuple:
    """A sort key with semantic-version precedence (a pre-release sorts before its release)."""
    text = str(version or "").split("+", 1)[0]
    release, _, pre = text.partition("-")
    numbers = tuple(_identifier(p) for p in release.split("."))
    if not pre:
        return (numbers, 1, ())
    return (numbers, 0, tuple(_identifier(p) for p in pre.split(".")))


def compare(found: str, installed: str | None) -> str:
    """Return 'new', 'newer', 'same' or 'older' for a found version against the installed one."""
    if installed is None:
        return "new"
    a, b = version_key(found), version_key(installed)
    return "newer" if a > b else "same" if a == b else "older"
