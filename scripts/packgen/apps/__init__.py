"""Small offline HTML5 apps packed into the bundled packs."""
from __future__ import annotations

import html
from pathlib import Path

from ..build import L
from ..media import reproducible_zip

HERE = Path(__file__).parent
RTL = {"ar"}


def app_zip(app: str, strings: dict[str, L], lang: str, markup: str) -> bytes:
    """A zip of one app in one language: index.html (strings as data- attributes) + its files.

    The strings ride on <body data-*> because the hub serves apps with a strict CSP:
    no inline scripts, so game.js reads them from the page.
    """
    folder = HERE / app
    attrs = " ".join(f'data-{key}="{html.escape(value[lang])}"' for key, value in sorted(strings.items()))
    direction = "rtl" if lang in RTL else "ltr"
    page = (
        "<!doctype html>\n"
        f'<html lang="{lang}" dir="{direction}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{html.escape(strings['title'][lang])}</title>\n"
        '<link rel="stylesheet" href="style.css">\n'
        '<script src="game.js" defer></script>\n</head>\n'
        f"<body {attrs}>\n<h1>{html.escape(strings['title'][lang])}</h1>\n"
        f"<noscript><p>{html.escape(strings['noscript'][lang])}</p></noscript>\n"
        f"{markup}\n</body>\n</html>\n"
    )
    files = {"index.html": page.encode("utf-8")}
    for name in ("game.js", "style.css"):
        files[name] = (folder / name).read_bytes()
    return reproducible_zip(files)
