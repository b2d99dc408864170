"""Write small ZIM files with libzim's Creator: for tests, benchmarks and demos."""
from __future__ import annotations

import struct
import zlib
from collections.abc import Iterable
from pathlib import Path

from hub.catalog.zim import ZimUnavailable


def png(width: int = 48, height: int = 48, rgb: tuple[int, int, int] = (30, 120, 200)) -> bytes:
    """A plain-coloured PNG image, made without any imaging library."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    row = b"\x00" + bytes(rgb) * width
    return (b"\x89PNG\r\n\x1a\n"
            + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(row * height)) + chunk(b"IEND", b""))


def write_zim(path, articles: Iterable[dict], *, main_path: str, metadata: dict,
              redirects: Iterable[tuple[str, str, str]] = (), illustration: bytes | None = None,
              index_language: str | None = "eng", compress: bool = True) -> Path:
    """Write a ZIM: articles are dicts {path, title, content (str|bytes), mimetype}.

    metadata maps names (Title, Language, Name, Date, Description, Publisher...) to text;
    redirects are (path, title, target path); index_language turns the full-text index on.
    """
    try:
        from libzim import writer
    except ImportError:
        raise ZimUnavailable() from None

    class Item(writer.Item):
        def __init__(self, article: dict):
            super().__init__()
            self.article = article

        def get_path(self):
            return self.article["path"]

        def get_title(self):
            return self.article.get("title", "")

        def get_mimetype(self):
            return self.article.get("mimetype", "text/html")

        def get_contentprovider(self):
            return writer.StringProvider(self.article["content"])

        def get_hints(self):
            return {writer.Hint.FRONT_ARTICLE: self.get_mimetype().startswith("text/html"),
                    writer.Hint.COMPRESS: compress}

    path = Path(path)
    creator = writer.Creator(str(path))
    if index_language:
        creator.config_indexing(True, index_language)
    with creator:
        creator.set_mainpath(main_path)
        for name, value in metadata.items():
            creator.add_metadata(name, value)
        if illustration:
            creator.add_illustration(48, illustration)
        for article in articles:
            creator.add_item(Item(article))
        for source, title, target in redirects:
            creator.add_redirection(source, title, target, {writer.Hint.FRONT_ARTICLE: True})
    return path
