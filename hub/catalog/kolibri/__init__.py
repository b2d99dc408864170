"""Kolibri channel exports (what `kolibri manage exportchannel`/`exportcontent` write) as packs.

An export holds content/databases/<channel id>.sqlite3 (the channel's content schema) and
content/storage/<a>/<b>/<md5>.<ext> (its files, named by their MD5). `channel` reads a
channel database by column name, `perseus` turns Kolibri exercises into the hub's question
sets, `convert` writes one pack folder per channel, `install` installs them (docs/content-formats.md).
"""
from __future__ import annotations

from pathlib import Path


def is_kolibri_export(path) -> bool:
    """True for a folder (or its parent) that holds a Kolibri channel export, or a zip of one."""
    from hub.catalog.kolibri.source import export_root, zip_export_prefix

    if export_root(path) is not None:
        return True
    path = Path(path)
    return path.is_file() and path.suffix.lower() == ".zip" and zip_export_prefix(path) is not None
