"""Install a lone .h5p file as a pack with one resource of kind h5p.

The package is checked (hub.catalog.h5p.package), its libraries are shared
(hub.catalog.h5p.libraries), and its h5p.json and content/ are written into content.h5p in a
pack folder that the one pack install then validates, stages and swaps in. Installing a
changed file of the same name upgrades the pack; the same file again is refused.
"""
from __future__ import annotations

import json
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from hub.catalog import store as catalog
from hub.catalog.h5p import libraries
from hub.catalog.h5p.package import MAX_PACKAGE_BYTES, read
from hub.catalog.packs import install as pack_install
from hub.catalog.packs import store
from hub.catalog.packs.errors import PackRefused, Problem
from hub.catalog.packs.manifest import BCP47
from hub.catalog.packs.source import ZIP_ERRORS
from hub.core.digest import file_sha256

CONTENT_FILE = "content.h5p"
RESOURCE_ID = "activity"


@dataclass
class H5pInstalled:
    """What install() did: the one pack (a list, as for Kolibri exports) and nothing skipped."""
    packs: list[pack_install.InstallResult] = field(default_factory=list)
    skipped: list[dict] = field(default_factory=list)
    libraries: list[str] = field(default_factory=list)


def pack_id_for(filename: str) -> str:
    """A pack id from the file name ('Fractions quiz.h5p' -> 'h5p.fractions-quiz')."""
    base = re.sub(r"[^a-z0-9.-]+", "-", Path(filename).stem.lower()).strip(".-") or "activity"
    return ("h5p." + base)[:64].rstrip(".-")


def _language(h5p: dict) -> str:
    tag = str(h5p.get("language") or "").replace("_", "-")
    return tag if tag != "und" and BCP47.fullmatch(tag) else "und"


def _write_content(archive: zipfile.ZipFile, target: Path) -> tuple[str, int]:
    """content.h5p: h5p.json and content/ only (the libraries are shared); (sha256, size)."""
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
        for info in archive.infolist():
            if info.is_dir() or not (info.filename == "h5p.json" or info.filename.startswith("content/")):
                continue
            with archive.open(info) as src, out.open(info.filename, "w") as dst:
                while chunk := src.read(256 * 1024):
                    dst.write(chunk)
    size, sha256 = file_sha256(target)
    return sha256, size


def _version(db, pack_id: str, sha256: str) -> str:
    installed = catalog.get_pack(db, pack_id)
    if installed is None:
        return "1.0.0"
    old = next((r for r in installed["manifest"].get("resources", []) if r.get("id") == RESOURCE_ID), {})
    if old.get("sha256") == sha256:
        raise PackRefused([Problem(pack_id, f"this H5P content is installed already ({installed['version']})")])
    major = installed["version"].split(".", 1)[0]
    return f"{int(major) + 1 if major.isdigit() else 2}.0.0"


def manifest_for(h5p: dict, pack_id: str, version: str, title: str, sha256: str, size: int) -> dict:
    """The pack.json of a lone .h5p: one resource of kind h5p."""
    lang = _language(h5p)
    authors = ", ".join(str(a.get("name")) for a in h5p.get("authors") or [] if isinstance(a, dict) and a.get("name"))
    resource = {"id": RESOURCE_ID, "kind": "h5p", "language": lang, "title": title,
                "file": CONTENT_FILE, "sha256": sha256, "size": size}
    if isinstance(h5p.get("license"), str) and h5p["license"]:
        resource["license"] = h5p["license"]
    if authors:
        resource["author"] = authors
    return {"format": 1, "id": pack_id, "version": version, "title": {lang: title},
            "publisher": authors, "license": resource.get("license", ""), "languages": [lang],
            "topics": [], "resources": [resource]}


def install(db, data_dir, path, *, allow_unsigned: bool = True,
            reserve_bytes: int = pack_install.DEFAULT_RESERVE_BYTES, source: str = "h5p",
            progress=None, name: str | None = None) -> H5pInstalled:
    """Check and install the .h5p at `path` (named `name` when it is an upload's copy);
    PackRefused changes nothing."""
    path = Path(path)
    name = Path(name).name if name else path.name
    progress = progress or (lambda fraction, message="": None)
    if not path.is_file():
        raise PackRefused([Problem(name, "no such file")])
    if path.stat().st_size > MAX_PACKAGE_BYTES:
        raise PackRefused([Problem(name, f"is larger than {MAX_PACKAGE_BYTES} bytes")])
    folder = store.new_staging(data_dir)
    try:
        try:
            archive = zipfile.ZipFile(path)
        except ZIP_ERRORS as exc:
            raise PackRefused([Problem(name, f"is not a readable H5P package ({exc})")]) from None
        with archive:
            progress(0.05, "checking")
            package = read(archive, name, have=set(libraries.shared(data_dir)))
            if package.problems:
                raise PackRefused(package.problems)
            sha256, size = _write_content(archive, folder / CONTENT_FILE)
            pack_id = pack_id_for(name)
            manifest = manifest_for(package.h5p, pack_id, _version(db, pack_id, sha256),
                                    package.title or pack_id, sha256, size)
            (folder / "pack.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1),
                                              encoding="utf-8")
            progress(0.3, "sharing libraries")
            written = libraries.share(data_dir, archive, package.libraries)
        result = pack_install.install(db, data_dir, folder, allow_unsigned=allow_unsigned,
                                      reserve_bytes=reserve_bytes, source=source,
                                      progress=lambda f, m="": progress(0.4 + 0.6 * f, m))
        return H5pInstalled([result], [], written)
    finally:
        store.remove_tree(folder)


def describe(path) -> dict:
    """id, version, title and language of an .h5p, for USB listings; ValueError when unreadable."""
    try:
        with zipfile.ZipFile(path) as archive:
            h5p = json.loads(archive.read("h5p.json").decode("utf-8-sig"))
    except (KeyError, ValueError, *ZIP_ERRORS):
        raise ValueError("not a readable H5P package (no h5p.json)") from None
    if not isinstance(h5p, dict):
        raise ValueError("h5p.json is not a JSON object")
    lang = _language(h5p)
    return {"id": pack_id_for(Path(path).name), "version": "1.0.0",
            "title": {lang: str(h5p.get("title") or Path(path).stem)[:200]}, "languages": [lang]}
