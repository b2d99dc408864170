"""Content formats beyond packs: which one a path is, and the one call that installs it.

A Kolibri channel export (folder, parent folder or zip) and an .h5p file each become packs
through the one pack install; the CLI and the console's install job route here first.
"""
from __future__ import annotations

from hub.catalog.h5p import is_h5p_file
from hub.catalog.kolibri import is_kolibri_export


def is_other_format(path) -> bool:
    """True for a Kolibri export or an .h5p file (not a pack folder or zip of our own)."""
    return is_h5p_file(path) or is_kolibri_export(path)


def install_format(db, data_dir, path, *, name: str | None = None, **options):
    """Install a Kolibri export or an .h5p; the result has `.packs` and `.skipped` (PackRefused).

    `name` is the file's own name when `path` is a copy (an upload): an H5P pack is named by it.
    """
    if is_h5p_file(path):
        from hub.catalog.h5p.install import install

        return install(db, data_dir, path, name=name, **options)
    from hub.catalog.kolibri.install import install

    return install(db, data_dir, path, **options)
