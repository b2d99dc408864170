"""Small hand-drawn SVG pictures for the packs, labelled in each language."""
from __future__ import annotations

from html import escape

NS = "http" + "://www.w3.org/2000/svg"  # the SVG namespace name; a label, never fetched


def svg_doc(width: int, height: int, title: str, lang: str, body: str) -> bytes:
    """A standalone SVG with an accessible <title> in the picture's language."""
    direction = "rtl" if lang == "ar" else "ltr"
    return (
        f'<svg xmlns="{NS}" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'role="img" lang="{lang}" direction="{direction}" font-family="sans-serif">\n'
        f"<title>{escape(title)}</title>\n{body}</svg>\n"
    ).encode("utf-8")


def label(x: int, y: int, text: str, size: int = 18, weight: str = "normal") -> str:
    """Centered text."""
    return (f'<text x="{x}" y="{y}" font-size="{size}" font-weight="{weight}" '
            f'text-anchor="middle" fill="#1f2937">{escape(text)}</text>\n')
