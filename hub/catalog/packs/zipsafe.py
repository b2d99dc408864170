"""Hostile-input checks for zips (pack zips and html5 app zips) and bounded, hashed copying.

Nothing is trusted from a zip's headers alone: names are checked before anything is read,
sizes are checked against the limits before extraction, and every byte is counted WHILE it
is decompressed, so an entry that expands beyond what was declared stops the copy there.
"""
from __future__ import annotations

import hashlib
import stat
import zipfile
import zlib

from hub.catalog.packs.errors import Problem
from hub.catalog.packs.manifest import is_safe_relative_path

CHUNK = 1024 * 1024
MAX_ENTRIES = 100_000
# A zip bomb expands far more than real content: text and SVG compress 3-10x, media not at
# all. An entry above BOMB_MIN_BYTES that expands more than MAX_RATIO times is refused.
MAX_RATIO = 200
BOMB_MIN_BYTES = 1024 * 1024
MAX_APP_BYTES = 512 * 1024 * 1024   # all files of one html5 app, uncompressed


def shown(name: str) -> str:
    """A name safe to print on one line (control characters escaped)."""
    return name if name.isprintable() else ascii(name)


def is_symlink(info: zipfile.ZipInfo) -> bool:
    """True when a zip entry was stored as a symbolic link (Unix mode in external_attr)."""
    return stat.S_ISLNK(info.external_attr >> 16)


def name_problem(name: str) -> str | None:
    """Why a zip entry's name is unsafe, or None when it is a plain relative path."""
    clean = name[:-1] if name.endswith("/") else name
    if clean.startswith("/") or clean.startswith("\\"):
        return "is an absolute path; entries must stay inside the pack"
    if ".." in clean.replace("\\", "/").split("/"):
        return "leaves the pack folder ('..'); entries must stay inside the pack"
    if not is_safe_relative_path(clean):
        return "is not a plain relative path (no backslashes, drive letters or empty parts)"
    return None


def entry_problems(infos: list[zipfile.ZipInfo], where_prefix: str = "",
                   max_total: int | None = None) -> list[Problem]:
    """Problems of a zip's entry list: unsafe names, symlinks, duplicates, encryption, bombs."""
    if len(infos) > MAX_ENTRIES:
        return [Problem(where_prefix or "zip", f"has {len(infos)} entries, more than {MAX_ENTRIES}")]
    problems, seen, total = [], set(), 0
    for info in infos:
        where = f"{where_prefix}{shown(info.filename)}"
        why = name_problem(info.filename)
        if why:
            problems.append(Problem(where, why))
            continue
        if is_symlink(info):
            problems.append(Problem(where, "is a symbolic link; packs hold plain files only"))
            continue
        if info.filename in seen:
            problems.append(Problem(where, "appears twice in the zip"))
        seen.add(info.filename)
        if info.is_dir():
            continue
        if info.flag_bits & 0x1:
            problems.append(Problem(where, "is encrypted; packs are not"))
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            problems.append(Problem(where, "uses a compression this hub does not read (use deflate)"))
        if info.file_size > BOMB_MIN_BYTES and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            problems.append(Problem(where, f"would expand {info.file_size // max(info.compress_size, 1)} "
                                           f"times to {info.file_size} bytes: refused as a zip bomb"))
        total += info.file_size
    if max_total is not None and total > max_total:
        problems.append(Problem(where_prefix or "zip", f"would expand to {total} bytes, more than "
                                                      f"the limit of {max_total}: refused as a zip bomb"))
    return problems


def copy_checked(stream, where: str, file: str, size: int, sha256: str, out=None,
                 on_bytes=None) -> Problem | None:
    """Read `stream` to its end (or one byte past `size`), hashing and counting as it goes.

    Writes to `out` when given. Stops at once when the data runs past `size`, so a lying
    header or a bomb never gets further than the size pack.json declared.
    """
    digest, count = hashlib.sha256(), 0
    try:
        while True:
            chunk = stream.read(min(CHUNK, size - count + 1))
            if not chunk:
                break
            count += len(chunk)
            if count > size:
                return Problem(where, f"{file} expands beyond its declared size of {size} bytes")
            digest.update(chunk)
            if out is not None:
                out.write(chunk)
            if on_bytes:
                on_bytes(len(chunk))
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, RuntimeError, NotImplementedError) as exc:
        return Problem(where, f"{file} cannot be read ({exc}); the zip is damaged")
    if count != size:
        return Problem(where, f"{file} is {count} bytes, but pack.json says {size}")
    if digest.hexdigest() != sha256:
        return Problem(where, f"{file} does not match its sha256 (changed or damaged since `hub packs build`)")
    return None


def check_app(fileobj, where: str, file: str) -> list[Problem]:
    """An html5 app: a readable zip of safe entries with index.html at its root."""
    try:
        with zipfile.ZipFile(fileobj) as app:
            infos = app.infolist()
            problems = entry_problems(infos, f"{file}!", MAX_APP_BYTES)
            if problems:
                return problems
            if "index.html" not in app.namelist():
                return [Problem(where, f"{file} has no index.html at its root")]
            damaged = app.testzip()
            if damaged:
                return [Problem(where, f"{file} is damaged ({damaged} fails its checksum)")]
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError, IndexError, RuntimeError,
            NotImplementedError) as exc:  # damaged or exotic apps (fuzzing): a problem, not a crash
        return [Problem(where, f"{file} is not a readable zip app ({exc})")]
    return []
