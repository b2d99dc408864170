"""Open ZIM archives (cached per file), read their metadata and entries. Needs libzim."""
from __future__ import annotations

import os
import threading
from dataclasses import dataclass

from hub.catalog.zim import ZimUnavailable

# ISO 639-3 (ZIM metadata) -> BCP 47. Languages with a two-letter ISO 639-1 code must use it
# in BCP 47; the others keep their three letters, which BCP 47 accepts as they are.
ISO639_3_TO_BCP47 = {
    "afr": "af", "amh": "am", "ara": "ar", "aze": "az", "bel": "be", "ben": "bn", "bod": "bo",
    "bul": "bg", "cat": "ca", "ces": "cs", "cym": "cy", "dan": "da", "deu": "de", "ell": "el",
    "eng": "en", "epo": "eo", "est": "et", "eus": "eu", "fas": "fa", "fin": "fi", "fra": "fr",
    "ful": "ff", "gle": "ga", "glg": "gl", "guj": "gu", "hau": "ha", "heb": "he", "hin": "hi",
    "hrv": "hr", "hun": "hu", "hye": "hy", "ibo": "ig", "ind": "id", "isl": "is", "ita": "it",
    "jpn": "ja", "kan": "kn", "kat": "ka", "kaz": "kk", "khm": "km", "kin": "rw", "kor": "ko",
    "kur": "ku", "lao": "lo", "lav": "lv", "lin": "ln", "lit": "lt", "lug": "lg", "mal": "ml",
    "mar": "mr", "mkd": "mk", "mlg": "mg", "mon": "mn", "msa": "ms", "mya": "my", "nep": "ne",
    "nld": "nl", "nor": "no", "nya": "ny", "orm": "om", "pan": "pa", "pol": "pl", "por": "pt",
    "pus": "ps", "ron": "ro", "rus": "ru", "sin": "si", "slk": "sk", "slv": "sl", "sna": "sn",
    "som": "so", "spa": "es", "sqi": "sq", "srp": "sr", "swa": "sw", "swe": "sv", "tam": "ta",
    "tel": "te", "tgk": "tg", "tha": "th", "tir": "ti", "tsn": "tn", "tur": "tr", "ukr": "uk",
    "urd": "ur", "uzb": "uz", "vie": "vi", "wol": "wo", "xho": "xh", "yor": "yo", "zho": "zh",
    "zul": "zu",
}

DEFAULT_CLUSTER_CACHE = 16 * 1024 * 1024   # libzim's own default
MAX_CLUSTER_CACHE = 256 * 1024 * 1024
REDIRECT_HOPS = 16                        # a redirect chain longer than this is a broken archive

_lock = threading.Lock()
_open: dict[str, tuple[tuple, object]] = {}   # path -> (file signature, Archive)


def _libzim():
    try:
        import libzim.reader as reader
    except ImportError:
        raise ZimUnavailable() from None
    return reader


def bcp47(code: str) -> str:
    """Map a ZIM Language value ('eng', 'fra,eng', 'en') to the BCP 47 tag of its first language."""
    first = (code or "").split(",")[0].strip().lower().replace("_", "-")
    if not first:
        return "und"
    return ISO639_3_TO_BCP47.get(first, first)


def languages(code: str) -> list[str]:
    """All the languages of a ZIM Language value, as BCP 47 tags, without repeats."""
    tags = []
    for part in (code or "").split(","):
        tag = bcp47(part)
        if part.strip() and tag not in tags:
            tags.append(tag)
    return tags or ["und"]


def load(path: str):
    """Open an archive for checking (not cached); raise ValueError with a one-line reason."""
    reader = _libzim()
    try:
        return reader.Archive(str(path))
    except RuntimeError as exc:
        raise ValueError(f"not a readable ZIM file ({exc})") from None


def _signature(path: str) -> tuple:
    stat = os.stat(path)
    return stat.st_ino, stat.st_size, stat.st_mtime_ns


def open_archive(path: str):
    """The shared, open Archive for a file; reopened when the file changed; OSError if gone."""
    signature = _signature(path)
    with _lock:
        cached = _open.get(path)
        if cached and cached[0] == signature:
            return cached[1]
        archive = _libzim().Archive(path)
        archive.dirent_cache_max_size = 4096   # paths -> entries: small, and hot under load
        _open[path] = (signature, archive)
        size_cluster_cache(sum(a.filesize for _, a in _open.values()))
        return archive


def forget(path: str) -> None:
    """Drop a cached archive (after removal or upgrade) so its file handle closes."""
    with _lock:
        _open.pop(path, None)


def _memory_bytes() -> int:
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError, AttributeError):
        return 1024 * 1024 * 1024


def cluster_cache_size(total_bytes: int, memory: int | None = None) -> int:
    """The cluster cache for archives of `total_bytes`: all of them, within 1/8 of RAM, 256 MiB.

    Random articles ran at about 780 req/s with libzim's 16 MiB default and 4,700 once the
    cache held the archive (docs/zim.md, benchmarks/zim.py); an eighth of RAM leaves a
    1 GB Raspberry Pi room for the rest. HUB_ZIM_CACHE_MB in the environment overrides it.
    """
    override = os.environ.get("HUB_ZIM_CACHE_MB", "").strip()
    if override.isdigit() and int(override) > 0:
        return int(override) * 1024 * 1024   # set by hand (benchmarks, big-memory hubs)
    memory = _memory_bytes() if memory is None else memory
    budget = min(MAX_CLUSTER_CACHE, memory // 8)
    return max(DEFAULT_CLUSTER_CACHE, min(total_bytes, budget))


def size_cluster_cache(total_bytes: int) -> int:
    """Set libzim's process-wide cluster cache for this many bytes of archives; return it."""
    reader = _libzim()
    size = cluster_cache_size(total_bytes)
    if reader.get_cluster_cache_max_size() != size:
        reader.set_cluster_cache_max_size(size)
    return size


def _text(archive, name: str) -> str:
    try:
        return bytes(archive.get_metadata(name)).decode("utf-8", "replace").strip()
    except (KeyError, RuntimeError):
        return ""


def metadata(archive) -> dict:
    """The pack-facing metadata of an archive: title, description, languages, publisher..."""
    illustration = None
    try:
        if archive.has_illustration(48):
            illustration = bytes(archive.get_illustration_item(48).content)
    except (KeyError, RuntimeError):
        illustration = None
    langs = languages(_text(archive, "Language"))
    return {
        "name": _text(archive, "Name"),
        "title": _text(archive, "Title"),
        "description": _text(archive, "Description") or _text(archive, "LongDescription"),
        "languages": langs,
        "language": langs[0],
        "publisher": _text(archive, "Publisher") or _text(archive, "Creator"),
        "creator": _text(archive, "Creator"),
        "license": _text(archive, "License"),
        "date": _text(archive, "Date"),
        "tags": [t for t in _text(archive, "Tags").split(";") if t and not t.startswith("_")],
        "illustration": illustration,
        "uuid": str(archive.uuid),
        "main_path": main_path(archive),
        "article_count": archive.article_count,
        "has_fulltext": bool(archive.has_fulltext_index),
    }


def main_path(archive) -> str:
    """The path of the archive's main page (redirects followed), or '' when it has none."""
    if not archive.has_main_entry:
        return ""
    entry = archive.main_entry
    for _ in range(REDIRECT_HOPS):
        if not entry.is_redirect:
            return entry.path
        entry = entry.get_redirect_entry()
    return ""


@dataclass(frozen=True)
class Found:
    """What a path names inside an archive: an item to send, or another path to go to."""
    item: object = None          # libzim Item (content, mimetype, size, title)
    redirect: str | None = None  # the final target's path


def lookup(archive, path: str) -> Found | None:
    """Resolve a path: the item, a redirect to its final target, or None when absent."""
    try:
        entry = archive.get_entry_by_path(path)
    except KeyError:
        return None
    if not entry.is_redirect:
        return Found(item=entry.get_item())
    for _ in range(REDIRECT_HOPS):
        entry = entry.get_redirect_entry()
        if not entry.is_redirect:
            return Found(redirect=entry.path)
    return None
