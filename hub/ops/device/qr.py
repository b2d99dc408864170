"""QR codes of the hub's address: SVG for pages, block characters for the terminal."""
from __future__ import annotations

import functools
import io


def _make(url: str):
    import segno  # imported lazily: `hub serve` starts faster without it

    # Medium error correction survives a smudged screen or a printed copy.
    return segno.make(url, error="m", micro=False)


@functools.lru_cache(maxsize=16)  # the same few addresses on every dashboard view: drawn once
def hub_qr_svg(url: str, scale: int = 6) -> str:
    """Inline SVG (no XML declaration, viewBox only) of a QR code that opens `url`."""
    code = _make(url)
    # Dark on light whatever the page theme, so phones can read it; size comes from CSS.
    return code.svg_inline(scale=scale, dark="#000", light="#fff", border=4, omitsize=True,
                           svgclass="hub-qr", lineclass=None, title=url)


def terminal_qr(url: str) -> str:
    """The QR code as text: two rows of modules per line with half-block characters."""
    out = io.StringIO()
    _make(url).terminal(out=out, compact=True, border=2)
    return out.getvalue()
