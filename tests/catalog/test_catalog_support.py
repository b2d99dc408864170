"""Test packs for the catalog, search and serving tests: real folders, real zips, real rows."""
from __future__ import annotations

import hashlib
import io
import json
import zipfile
from pathlib import Path

from hub.catalog import store as catalog

PACK_ID = "org.test.health"

# A tiny HTML5 app: its script tries to read cookies and call the hub's API.
APP_HTML = (b"<!doctype html><html><head><meta charset=utf-8><title>Game</title>"
            b"<script src=app.js></script></head><body><h1>Count the stars</h1></body></html>")
APP_JS = b"document.title = 'ready'; fetch('/api/v1/packs');"
ARABIC_BODY = "اَلْمَاءُ النَّظِيفُ مُهِمٌّ لِلصِّحَّةِ. اِغْلِ الْمَاءَ قَبْلَ أَنْ تَشْرَبَهُ."


def app_zip() -> bytes:
    """A small html5 app as a reproducible zip (index.html, app.js, a nested folder)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, body in (("index.html", APP_HTML), ("app.js", APP_JS),
                           ("img/star.svg", b"<svg xmlns='http://www.w3.org/2000/svg'/>")):
            # A fixed date: the same bytes every time, whatever the clock says.
            archive.writestr(zipfile.ZipInfo(name, (2024, 1, 1, 0, 0, 0)), body,
                             zipfile.ZIP_DEFLATED)
    return out.getvalue()


def default_files() -> dict[str, bytes]:
    """Every file of the test pack, by path."""
    return {
        "articles/water.en.md": b"# Clean water\n\nBoil the water before drinking. A filter helps.\n",
        "articles/water.fr.md": "# L'eau propre\n\nFaites bouillir l'eau. L'électricité n'est "
                                "pas nécessaire.\n".encode(),
        "articles/water.sw.md": b"# Maji safi\n\nChemsha maji kabla ya kunywa.\n",
        "articles/water.ar.md": f"# الماء\n\n{ARABIC_BODY}\n".encode(),
        "articles/count.en.md": b"# Counting\n\nOne, two, three, four, five.\n",
        "articles/count.fr.md": "# Compter\n\nUn, deux, trois. Les élèves comptent.\n".encode(),
        "media/song.mp3": bytes(range(256)) * 40,
        "media/hands.webm": b"\x1a\x45\xdf\xa3" + b"\x00" * 5000,
        "docs/guide.pdf": b"%PDF-1.4\n" + b"0" * 3000 + b"\n%%EOF\n",
        "images/hands.svg": b"<svg xmlns='http://www.w3.org/2000/svg' width='10' height='10'/>",
        "apps/stars.zip": app_zip(),
        "exercises/quiz.json": json.dumps({"questions": [
            {"id": "q1", "type": "single_choice", "prompt": {"en": "Boil water?"},
             "choices": [{"id": "a", "text": "Yes"}, {"id": "b", "text": "No"}],
             "answer": "a"}]}).encode(),
    }


def default_resources() -> list[dict]:
    """The test pack's resources (files filled in by write_pack)."""
    def res(rid, kind, lang, group, title, file, description="", tags=()):
        return {"id": rid, "kind": kind, "language": lang, "group": group, "title": title,
                "description": description, "tags": list(tags), "file": file}
    return [
        res("water-en", "article", "en", "water", "Clean drinking water", "articles/water.en.md",
            "Why and how to boil water", ["health", "water"]),
        res("water-fr", "article", "fr", "water", "L'eau potable", "articles/water.fr.md",
            "Pourquoi faire bouillir l'eau", ["santé"]),
        res("water-sw", "article", "sw", "water", "Maji safi ya kunywa", "articles/water.sw.md",
            "Kwa nini tuchemshe maji", ["afya"]),
        res("water-ar", "article", "ar", "water", "الماء النظيف", "articles/water.ar.md",
            "لماذا نغلي الماء", ["صحة"]),
        res("count-en", "article", "en", "count", "Counting to five", "articles/count.en.md"),
        res("count-fr", "article", "fr", "count", "Compter jusqu'à cinq", "articles/count.fr.md"),
        res("song", "audio", "en", "song", "Handwashing song", "media/song.mp3", tags=["song"]),
        res("video", "video", "en", "video", "Washing hands", "media/hands.webm"),
        res("guide", "document", "en", "guide", "Teacher guide", "docs/guide.pdf"),
        res("picture", "image", "en", "picture", "Hands picture", "images/hands.svg"),
        res("stars", "html5", "en", "stars", "Star game", "apps/stars.zip"),
        res("quiz", "exercise", "en", "quiz", "Water quiz", "exercises/quiz.json"),
    ]


def write_pack(folder: Path, *, pack_id: str = PACK_ID, version: str = "1.0.0",
               files: dict[str, bytes] | None = None, resources: list[dict] | None = None,
               title: dict | None = None, description: dict | None = None,
               topics: list[dict] | None = None, languages: list[str] | None = None) -> dict:
    """Write a pack folder (files + pack.json with sizes and hashes); return its manifest."""
    files = default_files() if files is None else files
    resources = default_resources() if resources is None else resources
    folder.mkdir(parents=True, exist_ok=True)
    for name, body in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(body)
    for res in resources:
        body = files[res["file"]]
        res.setdefault("sha256", hashlib.sha256(body).hexdigest())
        res.setdefault("size", len(body))
    manifest = {
        "format": 1, "id": pack_id, "version": version,
        "title": title or {"en": "Health at home", "fr": "La santé à la maison",
                           "sw": "Afya nyumbani", "ar": "الصحة في البيت"},
        "description": description or {"en": "Water, hands and counting."},
        "publisher": "Test publisher", "license": "CC-BY-4.0",
        "languages": languages or ["en", "fr", "sw", "ar"],
        "topics": topics if topics is not None else [
            {"id": "water", "title": {"en": "Water", "fr": "L'eau"},
             "resources": ["water-en", "water-fr", "song", "video"],
             "topics": [{"id": "more", "title": {"en": "More"},
                         "resources": ["guide", "picture", "stars", "quiz"]}]},
            {"id": "numbers", "title": {"en": "Numbers", "fr": "Les nombres"},
             "resources": ["count-en"]}],
        "resources": resources,
    }
    (folder / "pack.json").write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")
    return manifest


def install(db, folder: Path, **kwargs) -> dict:
    """Write a pack into `folder` and put it in the catalog the way the installer does."""
    manifest = write_pack(folder, **kwargs)
    with db.atomic():
        catalog.replace_pack(db, manifest, storage_dir=str(folder), signed_by=None,
                             source="test", size=sum(r["size"] for r in manifest["resources"]))
    return manifest
