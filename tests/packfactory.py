"""Test packs, readable: a valid pack folder by default, then broken on purpose by the test.

    folder = make_pack(tmp_path / "numbers")                 # valid, hashes filled
    data = read_manifest(folder); data["version"] = "x"; write_manifest(folder, data)
    zip_path = zip_pack(folder, tmp_path / "numbers.zip")   # its contents at the zip's root
    add_entry(zip_path, "../evil.txt", b"x")                 # hostile extras

Everything is real files and real zips in the test's tmp dir; no mocks.
"""
from __future__ import annotations

import hashlib
import io
import json
import zipfile
from pathlib import Path

PACK_ID = "org.example.numbers"

ARTICLE_EN = "# Counting\n\nOne, two, three. Count the mangoes on the table.\n"
ARTICLE_FR = "# Compter\n\nUn, deux, trois. Compte les mangues sur la table.\n"
SHAPE_SVG = ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10">'
             '<circle cx="5" cy="5" r="4"/></svg>\n')


def quiz() -> dict:
    """A small, valid exercise file: one choice question, one numeric question."""
    return {
        "questions": [
            {"id": "q1", "type": "single_choice",
             "prompt": {"en": "How many legs has a spider?", "fr": "Combien de pattes a une araignée ?"},
             "choices": [{"id": "a", "text": "6"}, {"id": "b", "text": "8"}],
             "answer": "b", "hints": [{"en": "Count them in pairs."}],
             "feedback": {"correct": {"en": "Yes!"}, "a": "That is an insect."}},
            {"id": "q2", "type": "numeric", "prompt": "2 + 3 = ?", "answer": 5, "tolerance": 0},
        ],
        "mastery": {"correct": 2, "of": 2},
    }


def app_zip(files: dict[str, str] | None = None) -> bytes:
    """An html5 app as zip bytes (index.html at its root unless `files` says otherwise)."""
    files = files if files is not None else {
        "index.html": "<!doctype html><title>Count</title><script src=\"game.js\"></script>",
        "game.js": "document.title = 'Counting game';\n"}
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as app:
        for name, text in files.items():
            app.writestr(name, text)
    return out.getvalue()


def default_files() -> dict[str, bytes]:
    """The files of the default pack, by path."""
    return {
        "articles/count.en.md": ARTICLE_EN.encode(),
        "articles/count.fr.md": ARTICLE_FR.encode(),
        "exercises/quiz.en.json": json.dumps(quiz(), ensure_ascii=False, indent=1).encode(),
        "apps/game.zip": app_zip(),
        "images/shape.svg": SHAPE_SVG.encode(),
    }


def default_resources() -> list[dict]:
    """The resources of the default pack (sizes and hashes are filled by make_pack)."""
    return [
        {"id": "count-en", "kind": "article", "language": "en", "group": "count",
         "title": "Counting", "description": "Count to three.", "tags": ["math"],
         "file": "articles/count.en.md"},
        {"id": "count-fr", "kind": "article", "language": "fr", "group": "count",
         "title": "Compter", "file": "articles/count.fr.md"},
        {"id": "quiz-en", "kind": "exercise", "language": "en", "title": "Spider quiz",
         "file": "exercises/quiz.en.json"},
        {"id": "game", "kind": "html5", "language": "en", "title": "Counting game",
         "file": "apps/game.zip"},
        {"id": "shape", "kind": "image", "language": "en", "title": "A circle",
         "file": "images/shape.svg"},
    ]


def default_manifest(pack_id: str = PACK_ID, version: str = "1.0.0") -> dict:
    """pack.json of the default pack, without sizes and hashes."""
    return {
        "format": 1, "id": pack_id, "version": version,
        "title": {"en": "Numbers", "fr": "Les nombres"},
        "description": {"en": "Counting for beginners."},
        "publisher": "Example Foundation", "license": "CC-BY-SA-4.0",
        "languages": ["en", "fr"],
        "topics": [{"id": "counting", "title": {"en": "Counting"},
                    "resources": ["count-en", "count-fr", "quiz-en"],
                    "topics": [{"id": "play", "title": {"en": "Play"}, "resources": ["game", "shape"]}]}],
        "resources": default_resources(),
    }


def fill_hashes(folder: Path, data: dict) -> dict:
    """Set size and sha256 of every resource from the file in `folder` (when it exists)."""
    for res in data["resources"]:
        path = Path(folder) / res["file"]
        if path.is_file():
            body = path.read_bytes()
            res["size"], res["sha256"] = len(body), hashlib.sha256(body).hexdigest()
    return data


def write_manifest(folder: Path, data: dict) -> None:
    """Write pack.json."""
    (Path(folder) / "pack.json").write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")


def read_manifest(folder: Path) -> dict:
    """Read pack.json."""
    return json.loads((Path(folder) / "pack.json").read_text(encoding="utf-8"))


def make_pack(folder: Path, *, pack_id: str = PACK_ID, version: str = "1.0.0",
              files: dict[str, bytes] | None = None, manifest: dict | None = None) -> Path:
    """Write a valid pack folder (the default pack, or your files and manifest) and return it."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    for name, body in (files if files is not None else default_files()).items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(body)
    data = manifest if manifest is not None else default_manifest(pack_id, version)
    write_manifest(folder, fill_hashes(folder, data))
    return folder


def change_file(folder: Path, name: str, body: bytes) -> None:
    """Replace a file's bytes AND refresh its size and sha256 in pack.json (still valid)."""
    (Path(folder) / name).write_bytes(body)
    write_manifest(folder, fill_hashes(folder, read_manifest(folder)))


def zip_pack(folder: Path, out: Path, *, method: int = zipfile.ZIP_DEFLATED) -> Path:
    """Zip a pack folder's contents (pack.json at the zip's root)."""
    folder = Path(folder)
    with zipfile.ZipFile(out, "w", method) as archive:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                archive.write(path, path.relative_to(folder).as_posix())
    return Path(out)


def add_entry(zip_path: Path, name: str, body: bytes = b"x", *, symlink: bool = False,
              method: int = zipfile.ZIP_DEFLATED) -> None:
    """Append one raw entry to a zip: any name ('../x', '/abs'), or a symbolic link."""
    info = zipfile.ZipInfo(name, date_time=(2024, 1, 1, 0, 0, 0))
    info.compress_type = method
    info.create_system = 3  # Unix, so external_attr carries a file mode
    info.external_attr = (0o120777 if symlink else 0o100644) << 16
    with zipfile.ZipFile(zip_path, "a") as archive:
        archive.writestr(info, body)


def snapshot(data_dir: Path) -> dict[str, bytes]:
    """Every file under HUB_DATA_DIR/packs with its bytes (to assert nothing changed)."""
    packs = Path(data_dir) / "packs"
    if not packs.exists():
        return {}
    return {p.relative_to(packs).as_posix(): p.read_bytes() for p in sorted(packs.rglob("*")) if p.is_file()}


def lie_about_size(zip_path: Path, name: str, size: int) -> None:
    """Patch an entry's uncompressed size in both zip headers, keeping its real data.

    The entry then expands beyond what its headers declare: what a crafted zip bomb does.
    """
    raw = bytearray(Path(zip_path).read_bytes())
    with zipfile.ZipFile(zip_path) as archive:
        info = archive.getinfo(name)
    raw[info.header_offset + 22:info.header_offset + 26] = size.to_bytes(4, "little")
    encoded = name.encode()
    central = raw.find(b"PK\x01\x02")
    while central != -1:
        length = int.from_bytes(raw[central + 28:central + 30], "little")
        if raw[central + 46:central + 46 + length] == encoded:
            raw[central + 24:central + 28] = size.to_bytes(4, "little")
            break
        central = raw.find(b"PK\x01\x02", central + 46)
    Path(zip_path).write_bytes(bytes(raw))
