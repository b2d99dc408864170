"""Check an H5P package: a safe zip with h5p.json, content/content.json and the libraries it needs.

A library is a top-level folder `<machineName>-<major>.<minor>` with a library.json; the
package's h5p.json and each library name their dependencies (preloaded, dynamic, editor;
the editor's are not needed to play). A dependency must be in the package or already shared
on the hub (`have`), at that major.minor version.
"""
from __future__ import annotations

import json
import re
import zipfile
from dataclasses import dataclass, field

from hub.catalog.packs import zipsafe
from hub.catalog.packs.errors import Problem
from hub.catalog.packs.source import ZIP_ERRORS

MAX_JSON_BYTES = 16 * 1024 * 1024
MAX_PACKAGE_BYTES = 2 * 1024 ** 3
LIBRARY_FOLDER = re.compile(r"([A-Za-z0-9._-]+)-(\d+)\.(\d+)")
PLAY_DEPENDENCIES = ("preloadedDependencies", "dynamicDependencies")


@dataclass
class Package:
    """What check() read: h5p.json, the libraries inside (folder -> library.json), problems."""
    h5p: dict = field(default_factory=dict)
    libraries: dict[str, dict] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    @property
    def title(self) -> str:
        """The package's title (h5p.json), or its main library's name."""
        return str(self.h5p.get("title") or self.h5p.get("mainLibrary") or "H5P").strip()[:200]


def folder_name(dependency: dict) -> str | None:
    """`H5P.MultiChoice-1.16` for {"machineName", "majorVersion", "minorVersion"}, or None."""
    try:
        name = f"{dependency['machineName']}-{int(dependency['majorVersion'])}.{int(dependency['minorVersion'])}"
    except (KeyError, TypeError, ValueError):
        return None
    return name if LIBRARY_FOLDER.fullmatch(name) else None


def _json(archive: zipfile.ZipFile, name: str, where: str, problems: list) -> dict | None:
    try:
        info = archive.getinfo(name)
    except KeyError:
        problems.append(Problem(where, f"{name} is missing"))
        return None
    if info.file_size > MAX_JSON_BYTES:
        problems.append(Problem(where, f"{name} is larger than {MAX_JSON_BYTES} bytes"))
        return None
    try:
        data = json.loads(archive.read(info).decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        problems.append(Problem(where, f"{name} is not valid JSON ({exc})"))
        return None
    except ZIP_ERRORS as exc:
        problems.append(Problem(where, f"{name} cannot be read ({exc}); the file is damaged"))
        return None
    if not isinstance(data, dict):
        problems.append(Problem(where, f"{name} must be a JSON object"))
        return None
    return data


def _needs(meta: dict) -> list[str]:
    found = []
    for key in PLAY_DEPENDENCIES:
        for dep in meta.get(key) or []:
            name = folder_name(dep) if isinstance(dep, dict) else None
            if name:
                found.append(name)
    return found


def read(archive: zipfile.ZipFile, where: str, have=frozenset()) -> Package:
    """Check an open .h5p zip; `have` are library folders the hub shares already (None: do not
    check dependencies)."""
    found = Package()
    infos = archive.infolist()
    found.problems += zipsafe.entry_problems(infos, f"{where}!", MAX_PACKAGE_BYTES)
    if found.problems:
        return found
    h5p = _json(archive, "h5p.json", where, found.problems)
    _json(archive, "content/content.json", where, found.problems)
    if h5p is None:
        return found
    found.h5p = h5p
    if not folder_name({"machineName": h5p.get("mainLibrary"), "majorVersion": 0, "minorVersion": 0}):
        found.problems.append(Problem(where, "h5p.json names no mainLibrary"))
    tops = {i.filename.split("/", 1)[0] for i in infos if "/" in i.filename}
    for top in sorted(tops - {"content"}):
        if f"{top}/library.json" not in archive.namelist():
            continue
        meta = _json(archive, f"{top}/library.json", where, found.problems)
        if meta is not None:
            if folder_name(meta) != top:
                found.problems.append(Problem(where, f"{top}/library.json names another library "
                                                     f"({folder_name(meta)})"))
            found.libraries[top] = meta
    if have is None:  # inside a pack: its files are checked; libraries are found when played
        return found
    wanted = _needs(h5p)
    if not any(name.startswith(f"{h5p.get('mainLibrary')}-") for name in wanted):
        found.problems.append(Problem(where, f"h5p.json does not list its main library "
                                             f"{h5p.get('mainLibrary')} among preloadedDependencies"))
    seen, missing = set(), []
    while wanted:
        name = wanted.pop()
        if name in seen:
            continue
        seen.add(name)
        if name in found.libraries:
            wanted += _needs(found.libraries[name])
        elif name not in have:
            missing.append(name)
    found.problems += [Problem(where, f"library {name} is neither in the package nor on this hub")
                       for name in sorted(missing)]
    return found


def check_file(fileobj, where: str, have=frozenset()) -> Package:
    """Check an .h5p given as a path or a seekable file."""
    try:
        with zipfile.ZipFile(fileobj) as archive:
            return read(archive, where, have)
    except ZIP_ERRORS as exc:
        return Package(problems=[Problem(where, f"is not a readable H5P package ({exc})")])


def main_library(path) -> tuple[str | None, bool]:
    """(the main library's folder, whether the package carries it) for an installed .h5p."""
    try:
        with zipfile.ZipFile(path) as archive:
            h5p = json.loads(archive.read("h5p.json").decode("utf-8-sig"))
            names = set(archive.namelist())
    except (KeyError, ValueError, *ZIP_ERRORS):
        return None, False
    main = h5p.get("mainLibrary") if isinstance(h5p, dict) else None
    for dep in (h5p.get("preloadedDependencies") or []) if isinstance(h5p, dict) else []:
        if isinstance(dep, dict) and dep.get("machineName") == main and folder_name(dep):
            return folder_name(dep), f"{folder_name(dep)}/library.json" in names
    return None, False
