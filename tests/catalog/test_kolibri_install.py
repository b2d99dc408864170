"""Kolibri channel exports become packs: topics, playable nodes, the nodes left out, MD5
checks that refuse the whole install, upgrades by channel version, schema versions."""
from __future__ import annotations

import json
import shutil
import sqlite3
import zipfile

import pytest

from hub.catalog import store as catalog
from hub.catalog.kolibri.install import install
from hub.catalog.packs.errors import PackRefused
from tests.kolibrifactory import ChannelExport, html5_zip, radio_item, hexid, sample_channel


def catalog_state(db) -> list:
    return [list(db.execute(f"SELECT * FROM {table} ORDER BY 1, 2").fetchall())
            for table in ("packs", "resources", "topics", "topic_resources")]


def tree(db, pack_id, parent=None, depth=0) -> list[str]:
    """The topic tree as indented titles, resources after their topic's subtopics."""
    lines = []
    for topic in db.execute("SELECT id, title FROM topics WHERE pack_id = ? AND parent_id IS ? "
                            "ORDER BY position", [pack_id, parent]).fetchall():
        lines.append("  " * depth + json.loads(topic[1])["en"])
        lines += tree(db, pack_id, topic[0], depth + 1)
        for (title,) in db.execute("SELECT r.title FROM topic_resources t JOIN resources r ON "
                                   "r.pack_id = t.pack_id AND r.id = t.resource_id WHERE t.pack_id = ? "
                                   "AND t.topic_id = ? ORDER BY t.position", [pack_id, topic[0]]):
            lines.append("  " * (depth + 1) + "- " + title)
    return lines


def test_a_channel_export_becomes_a_pack_with_its_tree_and_the_slideshow_reported(db, data_dir, tmp_path):
    channel, nodes = sample_channel(version=3)
    export = channel.write(tmp_path / "usb" / "KOLIBRI_DATA")
    done = install(db, data_dir, tmp_path / "usb")   # the drive: the export is one level down
    pack_id = f"kolibri.{channel.id}"
    assert [(p.pack_id, p.version) for p in done.packs] == [(pack_id, "3.0.0")]
    pack = catalog.get_pack(db, pack_id)
    assert pack["title"] == {"en": "Science for all"} and pack["languages"] == ["en"]
    assert tree(db, pack_id) == [
        "Physics",
        "  Light",
        "    - How light travels",
        "    - Light and shadow (notes)",
        "  - Mirror game",
        "  - Check: light"]
    kinds = {r["id"]: r["kind"] for r in pack["manifest"]["resources"]}
    assert kinds == {nodes["video"].id: "video", nodes["pdf"].id: "document",
                     nodes["app"].id: "html5", nodes["exercise"].id: "exercise"}
    video = next(r for r in pack["manifest"]["resources"] if r["kind"] == "video")
    assert (video["duration"], video["language"], video["license"], video["author"]) == (95, "en", "CC BY", "A. Teacher")
    assert done.skipped == [{"channel": channel.id, "node": nodes["slideshow"].id, "title": "Pictures of light",
                             "kind": "slideshow", "reason": "slideshows are not played by this hub"}]
    assert [p.name for p in (data_dir / "staging").iterdir()] == [".lock"]
    assert export.is_dir()  # the drive is only read


def test_the_first_four_play_and_the_video_answers_a_range(app, client, db, data_dir, tmp_path):
    channel, nodes = sample_channel()
    install(db, data_dir, channel.write(tmp_path / "export"))
    pack_id = f"kolibri.{channel.id}"

    video = client.get(f"/api/v1/resources/{pack_id}/{nodes['video'].id}").get_json()
    part = client.get(video["file_url"], headers={"Range": "bytes=0-99"})
    assert part.status_code == 206 and len(part.data) == 100 and part.data.startswith(b"\x00\x00\x00\x18ftyp")
    assert part.headers["Content-Type"] == "video/mp4"

    pdf = client.get(f"/api/v1/resources/{pack_id}/{nodes['pdf'].id}").get_json()
    got = client.get(pdf["file_url"])
    assert got.status_code == 200 and got.data.startswith(b"%PDF") and got.mimetype == "application/pdf"

    app_res = client.get(f"/api/v1/resources/{pack_id}/{nodes['app'].id}").get_json()
    page = client.get(app_res["launch_url"])
    assert page.status_code == 200 and b"Hello from an app" in page.data

    page = client.get(f"/packs/{pack_id}/{nodes['exercise'].id}")
    assert page.status_code == 200 and "Which travels fastest?" in page.get_data(as_text=True)
    for path in (f"/packs/{pack_id}/{nodes[k].id}" for k in ("video", "pdf", "app")):
        assert client.get(path).status_code == 200
    found = client.get("/api/v1/resources?q=light").get_json()["resources"]
    assert {r["id"] for r in found} >= {nodes["video"].id, nodes["pdf"].id}


def test_a_radio_and_a_numeric_perseus_item_are_checked_by_the_hub(client, db, data_dir, tmp_path):
    channel, nodes = sample_channel()
    install(db, data_dir, channel.write(tmp_path / "export"))
    pack = catalog.get_pack(db, f"kolibri.{channel.id}")
    questions_file = next(r["file"] for r in pack["manifest"]["resources"] if r["kind"] == "exercise")
    data = json.loads((data_dir / "packs" / pack["id"] / "1.0.0" / questions_file).read_text())
    assert [q["type"] for q in data["questions"]] == ["single_choice", "numeric"]
    assert data["mastery"] == {"correct": 2, "of": 2}
    assert data["questions"][0]["choices"] == [{"id": "a", "text": "Light"}, {"id": "b", "text": "Sound"}]
    assert data["questions"][0]["answer"] == "a" and data["questions"][1]["answer"] == 7
    # The answer key stays on the hub like every exercise's.
    assert client.get(f"/content/{pack['id']}/{questions_file}").status_code == 404


def test_an_md5_mismatch_refuses_the_whole_install_and_changes_nothing(db, data_dir, tmp_path):
    good, _ = sample_channel(name="Good channel")
    export = good.write(tmp_path / "export")
    bad, nodes = sample_channel(name="Damaged channel")
    bad.write(export)
    md5 = next(f for f in nodes["pdf"].files)[2]
    import hashlib
    digest = hashlib.md5(md5).hexdigest()
    damaged = export / "content" / "storage" / digest[0] / digest[1] / f"{digest}.pdf"
    damaged.write_bytes(damaged.read_bytes().replace(b"Catalog", b"Catalox"))
    before = catalog_state(db)
    with pytest.raises(PackRefused) as refused:
        install(db, data_dir, export)
    assert "MD5" in str(refused.value) and digest in str(refused.value)
    assert catalog_state(db) == before
    assert not (data_dir / "packs").exists() or not any((data_dir / "packs").iterdir())
    assert [p.name for p in (data_dir / "staging").iterdir()] == [".lock"]


def test_a_missing_file_is_reported_not_silently_dropped(db, data_dir, tmp_path):
    channel, nodes = sample_channel()
    export = channel.write(tmp_path / "export")
    import hashlib
    digest = hashlib.md5(nodes["app"].files[0][2]).hexdigest()
    (export / "content" / "storage" / digest[0] / digest[1] / f"{digest}.zip").unlink()
    done = install(db, data_dir, export)
    reasons = {s["title"]: s["reason"] for s in done.skipped}
    assert reasons["Mirror game"] == f"its file {digest}.zip is missing from content/storage"
    assert "Pictures of light" in reasons


def test_a_newer_channel_version_upgrades_and_the_same_one_is_refused(db, data_dir, tmp_path):
    channel, nodes = sample_channel(version=1)
    install(db, data_dir, channel.write(tmp_path / "v1"))
    with pytest.raises(PackRefused, match="installed already"):
        install(db, data_dir, channel.write(tmp_path / "v1-again"))
    channel.version = 2
    channel.resource(None, "html5", "A new game", [("html5_zip", "zip", html5_zip("New"))])
    done = install(db, data_dir, channel.write(tmp_path / "v2"))
    assert [(p.version, p.previous_version) for p in done.packs] == [("2.0.0", "1.0.0")]
    pack = catalog.get_pack(db, f"kolibri.{channel.id}")
    assert pack["resource_count"] == 5
    assert sorted(p.name for p in (data_dir / "packs" / pack["id"]).iterdir()) == ["2.0.0"]


def test_a_zip_of_an_export_installs_and_other_schema_versions_are_read_by_column(db, data_dir, tmp_path):
    channel, _ = sample_channel()
    channel.schema = "3"
    export = channel.write(tmp_path / "export")
    archive = tmp_path / "export.zip"
    with zipfile.ZipFile(archive, "w") as out:
        for path in sorted(export.rglob("*")):
            if path.is_file():
                out.write(path, "KOLIBRI_DATA/" + path.relative_to(export).as_posix())
    done = install(db, data_dir, archive)
    assert done.packs[0].pack_id == f"kolibri.{channel.id}"


def test_an_unknown_schema_version_is_refused_with_a_clear_message(db, data_dir, tmp_path):
    channel, _ = sample_channel()
    channel.schema = "v0.2.0-beta1"
    with pytest.raises(PackRefused) as refused:
        install(db, data_dir, channel.write(tmp_path / "export"))
    assert "content schema version 'v0.2.0-beta1' is not one this hub reads" in str(refused.value)
    assert catalog.list_packs(db, enabled_only=False) == []


def test_unsupported_perseus_types_are_reported(db, data_dir, tmp_path):
    channel = ChannelExport()
    channel.resource(None, "html5", "Game", [("html5_zip", "zip", html5_zip())])
    channel.exercise(None, "Draw a graph", {hexid(): {"question": {
        "content": "Plot y = x [[☃ interactive-graph 1]]",
        "widgets": {"interactive-graph 1": {"type": "interactive-graph", "options": {}}}}}})
    channel.exercise(None, "Pick one", {hexid(): radio_item("2 + 2?", [("4", True), ("5", False)])})
    done = install(db, data_dir, channel.write(tmp_path / "export"))
    assert [(s["title"], s["reason"]) for s in done.skipped] == [
        ("Draw a graph", "unsupported: question type 'interactive-graph'")]
    assert catalog.get_pack(db, f"kolibri.{channel.id}")["resource_count"] == 2


def test_the_cli_lists_what_was_left_out_as_json(runner, tmp_path):
    channel, nodes = sample_channel()
    result = runner.invoke(["packs", "install", str(channel.write(tmp_path / "export")), "--json"])
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    assert out["installed"] == [{"id": f"kolibri.{channel.id}", "version": "1.0.0", "previous_version": None}]
    assert [s["title"] for s in out["skipped"]] == ["Pictures of light"]
    again = runner.invoke(["packs", "install", str(tmp_path / "export")])
    assert again.exit_code == 1


def test_a_hostile_channel_database_is_refused_or_cut_never_a_crash(db, data_dir, tmp_path):
    channel = ChannelExport()
    parent = None
    for level in range(120):   # a chain far deeper than any real channel
        parent = channel.topic(parent, f"Level {level}")
    channel.resource(parent, "html5", "Deep game", [("html5_zip", "zip", html5_zip())])
    channel.resource(None, "html5", "Shallow game", [("html5_zip", "zip", html5_zip("Shallow"))])
    done = install(db, data_dir, channel.write(tmp_path / "deep"))
    assert any("nest deeper" in s["reason"] for s in done.skipped)
    garbage = tmp_path / "garbage" / "content" / "databases"
    garbage.mkdir(parents=True)
    (garbage / f"{hexid()}.sqlite3").write_bytes(b"not a database at all" * 100)
    with pytest.raises(PackRefused, match="not a readable channel database|lacks"):
        install(db, data_dir, tmp_path / "garbage")
    broken = ChannelExport()
    broken.resource(None, "html5", "Game", [("html5_zip", "zip", html5_zip())])
    export = broken.write(tmp_path / "broken")
    conn = sqlite3.connect(export / "content" / "databases" / f"{broken.id}.sqlite3")
    conn.execute("UPDATE content_channelmetadata SET version = 'seven'")
    conn.commit()
    conn.close()
    with pytest.raises(PackRefused, match="is not a number"):
        install(db, data_dir, export)
