"""Hostile zips are refused with a clear message and change nothing: the database, the packs
folder and staging are as before, and the previously installed version still serves."""
from __future__ import annotations

import hashlib
import zipfile

import pytest

from hub import create_app
from hub.core.db import open_hub_db
from hub.catalog.packs import install as packs
from hub.catalog.packs.errors import PackRefused
from tests.packfactory import (ARTICLE_EN, PACK_ID, add_entry, fill_hashes, lie_about_size, make_pack,
                               read_manifest, snapshot, write_manifest, zip_pack)


@pytest.fixture
def hub(data_dir, tmp_path):
    """A data dir with version 1.0.0 installed, and a clean 1.1.0 zip to spoil."""
    db = open_hub_db(data_dir)
    packs.install(db, data_dir, make_pack(tmp_path / "v1", version="1.0.0"))
    newer = make_pack(tmp_path / "v1.1", version="1.1.0")
    yield db, zip_pack(newer, tmp_path / "newer.zip"), newer
    db.conn.close()


def state(db, data_dir):
    tables = [list(db.execute(f"SELECT * FROM {t} ORDER BY 1, 2").fetchall())
              for t in ("packs", "resources", "topics", "topic_resources")]
    return tables, snapshot(data_dir), sorted(p.name for p in (data_dir / "staging").iterdir())


def refused_lines(db, data_dir, path) -> list[str]:
    before = state(db, data_dir)
    with pytest.raises(PackRefused) as refused:
        packs.install(db, data_dir, path)
    assert state(db, data_dir) == before, "a refused pack changed the hub"
    return [str(p) for p in refused.value.problems]


def still_serves(data_dir, tmp_path):
    app = create_app({"HUB_DATA_DIR": str(data_dir), "HUB_PACKS_SOURCE": str(tmp_path / "none"),
                      "HUB_MDNS": False, "TESTING": True})
    response = app.test_client().get(f"/content/{PACK_ID}/articles/count.en.md")
    assert response.status_code == 200 and response.data == ARTICLE_EN.encode()


def test_dot_dot_entry(hub, data_dir, tmp_path):
    db, archive, _ = hub
    add_entry(archive, "../../evil.sh", b"rm -rf /")
    assert "../../evil.sh: leaves the pack folder ('..'); entries must stay inside the pack" \
        in refused_lines(db, data_dir, archive)
    assert not (data_dir / "evil.sh").exists() and not (tmp_path / "evil.sh").exists()
    still_serves(data_dir, tmp_path)


def test_absolute_path_entry(hub, data_dir, tmp_path):
    db, archive, _ = hub
    add_entry(archive, "/tmp/evil.sh", b"x")
    assert "/tmp/evil.sh: is an absolute path; entries must stay inside the pack" \
        in refused_lines(db, data_dir, archive)
    still_serves(data_dir, tmp_path)


def test_backslash_entry(hub, data_dir, tmp_path):
    db, archive, _ = hub
    add_entry(archive, "..\\evil.sh", b"x")
    assert "..\\evil.sh: leaves the pack folder ('..'); entries must stay inside the pack" \
        in refused_lines(db, data_dir, archive)


def test_symlink_entry(hub, data_dir, tmp_path):
    db, archive, _ = hub
    add_entry(archive, "articles/passwd.md", b"/etc/passwd", symlink=True)
    assert "articles/passwd.md: is a symbolic link; packs hold plain files only" \
        in refused_lines(db, data_dir, archive)
    still_serves(data_dir, tmp_path)


def test_entry_larger_than_pack_json_declares(hub, data_dir, tmp_path):
    db, _, folder = hub
    data = read_manifest(folder)
    (folder / "articles" / "count.en.md").write_bytes(b"x" * 5000)   # sha and size left as they were
    write_manifest(folder, data)
    archive = zip_pack(folder, tmp_path / "bigger.zip")
    assert refused_lines(db, data_dir, archive) == [
        "resources[0].file: articles/count.en.md is 5000 bytes, but pack.json says 61"]
    still_serves(data_dir, tmp_path)


def test_entry_expanding_beyond_its_headers_stops_while_extracting(hub, data_dir, tmp_path):
    db, _, folder = hub
    (folder / "articles" / "count.en.md").write_bytes(b"a" * 2_000_000)
    archive = zip_pack(folder, tmp_path / "lying.zip")
    lie_about_size(archive, "articles/count.en.md", 61)   # headers claim what pack.json says
    [line] = refused_lines(db, data_dir, archive)
    assert line.startswith("resources[0].file: articles/count.en.md cannot be read (Bad CRC-32")
    assert line.endswith("the zip is damaged")
    still_serves(data_dir, tmp_path)


def test_zip_bomb_beyond_the_limit(hub, data_dir, tmp_path):
    db, _, folder = hub
    (folder / "videos").mkdir()
    (folder / "videos" / "silence.mp4").write_bytes(bytes(30_000_000))
    data = read_manifest(folder)
    data["resources"].append({"id": "silence", "kind": "video", "language": "en",
                              "title": "Silence", "file": "videos/silence.mp4"})
    write_manifest(folder, fill_hashes(folder, data))
    archive = zip_pack(folder, tmp_path / "bomb.zip")
    [line] = refused_lines(db, data_dir, archive)
    assert line.startswith("videos/silence.mp4: would expand ")
    assert line.endswith("times to 30000000 bytes: refused as a zip bomb")
    still_serves(data_dir, tmp_path)


@pytest.mark.parametrize("damage", ["garbage", "truncated", "bit flip"])
def test_corrupt_zip(hub, data_dir, tmp_path, damage):
    db, archive, _ = hub
    raw = bytearray(archive.read_bytes())
    if damage == "garbage":
        raw = bytearray(b"this is not a zip file at all" * 40)
    elif damage == "truncated":
        raw = raw[: len(raw) // 2]
    else:
        with zipfile.ZipFile(archive) as zf:
            info = zf.getinfo("articles/count.fr.md")
        data_start = info.header_offset + 30 + len(info.filename) + len(info.extra)
        raw[data_start + 5] ^= 0xFF
    archive.write_bytes(bytes(raw))
    lines = refused_lines(db, data_dir, archive)
    if damage == "bit flip":
        [line] = lines
        assert line.startswith("resources[1].file: articles/count.fr.md ")
    else:
        assert lines == [lines[0]] and lines[0].startswith("newer.zip: is not a readable zip")
    still_serves(data_dir, tmp_path)


def test_unlisted_file(hub, data_dir, tmp_path):
    db, archive, _ = hub
    add_entry(archive, "scripts/payload.js", b"alert(1)")
    assert refused_lines(db, data_dir, archive) == ["scripts/payload.js: is not listed in pack.json"]
    still_serves(data_dir, tmp_path)


def test_listed_file_changed_after_build(hub, data_dir, tmp_path):
    db, _, folder = hub
    body = (folder / "articles" / "count.fr.md").read_bytes()
    (folder / "articles" / "count.fr.md").write_bytes(body.upper())   # same size, other bytes
    assert hashlib.sha256(body.upper()).hexdigest() != read_manifest(folder)["resources"][1]["sha256"]
    assert refused_lines(db, data_dir, zip_pack(folder, tmp_path / "changed.zip")) == [
        "resources[1].file: articles/count.fr.md does not match its sha256 "
        "(changed or damaged since `hub packs build`)"]
