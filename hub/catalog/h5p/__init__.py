"""H5P packages (.h5p) as packs: checked, libraries shared between packages, played offline.

`package` checks an .h5p (h5p.json, content/content.json, the libraries it needs),
`libraries` keeps each library once per version under HUB_DATA_DIR/h5p/libraries, `install`
turns a lone .h5p into a pack with one resource of kind h5p (docs/content-formats.md).
"""
from __future__ import annotations


def is_h5p_file(path) -> bool:
    """True for a path named *.h5p (the routing test; the content is checked on install)."""
    return str(path).lower().endswith(".h5p")
