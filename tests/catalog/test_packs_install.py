"""Installing packs into a real data dir and SQLite database: new, upgrade, downgrade, remove,
enable/disable, disk reserve, stale leftovers and bundled packs on first start."""
from __future__ import annotations

import pytest

from hub.catalog import store as catalog
from hub.core import settings
from hub.core.db import open_hub_db
from hub.catalog.packs import install as packs
from hub.catalog.packs.errors import PackRefused
from tests.packfactory import (PACK_ID, change_file, make_pack, read_manifest, snapshot, write_manifest,
                               zip_pack)


@pytest.fixture
def db(data_dir):
    database = open_hub_db(data_dir)
    yield database
    database.conn.close()


def catalog_state(db) -> list:
    """Everything the catalog holds about packs, for 'nothing changed' assertions."""
    return [list(db.execute(f"SELECT * FROM {table} ORDER BY 1, 2").fetchall())
            for table in ("packs", "resources", "topics", "topic_resources")]


def versioned(tmp_path, version, name=None):
    folder = make_pack(tmp_path / (name or f"v{version}"), version=version)
    return folder


def test_install_from_a_folder(db, data_dir, tmp_path):
    folder = versioned(tmp_path, "1.0.0")
    seen = []
    result = packs.install(db, data_dir, folder, progress=lambda f, m: seen.append((f, m)))
    assert (result.pack_id, result.version, result.previous_version, result.signed_by) == \
        (PACK_ID, "1.0.0", None, None)
    pack = catalog.get_pack(db, PACK_ID)
    assert pack["version"] == "1.0.0" and pack["enabled"] and pack["title"]["fr"] == "Les nombres"
    assert pack["resource_count"] == 5 and pack["source"] == "cli"
    installed = data_dir / "packs" / PACK_ID / "1.0.0"
    assert pack["storage_dir"] == str(installed)
    assert (installed / "articles" / "count.fr.md").read_bytes() == (folder / "articles" / "count.fr.md").read_bytes()
    assert (installed / "apps" / "game.zip").read_bytes() == (folder / "apps" / "game.zip").read_bytes()
    assert (installed / "pack.json").read_bytes() == (folder / "pack.json").read_bytes()
    assert catalog.get_resource(db, PACK_ID, "count-en")["path"] == installed / "articles" / "count.en.md"
    assert seen[0][0] == 0.0 and seen[-1] == (1.0, "installed")
    assert [f for f, _ in seen] == sorted(f for f, _ in seen)
    assert [p.name for p in (data_dir / "staging").iterdir()] == [".lock"]


def test_install_from_a_zip(db, data_dir, tmp_path):
    archive = zip_pack(versioned(tmp_path, "1.0.0"), tmp_path / "numbers.zip")
    result = packs.install(db, data_dir, archive, source="upload")
    assert result.version == "1.0.0"
    assert catalog.get_pack(db, PACK_ID)["source"] == "upload"
    assert set(snapshot(data_dir)) == {f"{PACK_ID}/1.0.0/{name}" for name in (
        "pack.json", "articles/count.en.md", "articles/count.fr.md", "exercises/quiz.en.json",
        "apps/game.zip", "images/shape.svg")}


def test_upgrade_keeps_progress_and_replaces_files(db, data_dir, tmp_path):
    packs.install(db, data_dir, versioned(tmp_path, "1.0.0"))
    for resource, value in (("count-en", 0.5), ("quiz-en", 1.0)):
        db.execute("INSERT INTO progress (actor, pack_id, resource_id, started_at, updated_at, progress) "
                   "VALUES ('learner:7', ?, ?, '2024-05-01T10:00:00Z', '2024-05-01T10:05:00Z', ?)",
                   [PACK_ID, resource, value])
    newer = versioned(tmp_path, "1.1.0")
    change_file(newer, "articles/count.en.md", b"# Counting\n\nNew edition: one to ten.\n")
    result = packs.install(db, data_dir, newer)
    assert (result.version, result.previous_version) == ("1.1.0", "1.0.0")
    assert catalog.get_pack(db, PACK_ID)["version"] == "1.1.0"
    assert [p.name for p in (data_dir / "packs" / PACK_ID).iterdir()] == ["1.1.0"]
    path = catalog.get_resource(db, PACK_ID, "count-en")["path"]
    assert path.read_bytes() == b"# Counting\n\nNew edition: one to ten.\n"
    rows = db.execute("SELECT resource_id, progress FROM progress WHERE actor = 'learner:7' "
                      "ORDER BY resource_id").fetchall()
    assert rows == [("count-en", 0.5), ("quiz-en", 1.0)]


@pytest.mark.parametrize("version, message", [
    ("0.9.0", "version: 0.9.0 is not newer than the installed 1.0.0; an upgrade needs a higher "
              "version (remove the pack to go back)"),
    ("1.0.0", f"version: {PACK_ID} 1.0.0 is installed already"),
    ("1.0.0-rc.1", "version: 1.0.0-rc.1 is not newer than the installed 1.0.0; an upgrade needs "
                   "a higher version (remove the pack to go back)"),
])
def test_downgrade_or_same_version_is_refused(db, data_dir, tmp_path, version, message):
    packs.install(db, data_dir, versioned(tmp_path, "1.0.0"))
    before, files = catalog_state(db), snapshot(data_dir)
    with pytest.raises(PackRefused) as refused:
        packs.install(db, data_dir, versioned(tmp_path, version, name="other"))
    assert [str(p) for p in refused.value.problems] == [message]
    assert catalog_state(db) == before and snapshot(data_dir) == files


def test_not_enough_disk_beyond_the_reserve_is_refused(db, data_dir, tmp_path):
    import shutil

    # Beyond what is free by a margin: other programs freeing a little meanwhile change nothing.
    huge_reserve = shutil.disk_usage(data_dir).free + 1024 ** 3
    with pytest.raises(PackRefused) as refused:
        packs.install(db, data_dir, versioned(tmp_path, "1.0.0"), reserve_bytes=huge_reserve)
    [problem] = refused.value.problems
    assert problem.where == "v1.0.0" and "free beyond the" in problem.why
    assert "(HUB_DISK_RESERVE_MB)" in problem.why
    assert catalog.get_pack(db, PACK_ID) is None and snapshot(data_dir) == {}


def test_an_invalid_pack_is_refused_with_every_problem(db, data_dir, tmp_path):
    folder = versioned(tmp_path, "1.0.0")
    data = read_manifest(folder)
    data["colour"] = "red"
    data["resources"][0]["size"] = 1
    write_manifest(folder, data)
    with pytest.raises(PackRefused) as refused:
        packs.install(db, data_dir, folder)
    assert {p.where for p in refused.value.problems} == {"colour", "resources[0].file"}
    assert catalog.get_pack(db, PACK_ID) is None and snapshot(data_dir) == {}


def test_remove_deletes_rows_and_files(db, data_dir, tmp_path):
    packs.install(db, data_dir, versioned(tmp_path, "1.0.0"))
    packs.remove(db, data_dir, PACK_ID)
    assert catalog.get_pack(db, PACK_ID) is None
    assert not (data_dir / "packs" / PACK_ID).exists()
    with pytest.raises(PackRefused, match="no such pack is installed"):
        packs.remove(db, data_dir, PACK_ID)


def test_disable_hides_and_enable_shows(db, data_dir, tmp_path):
    packs.install(db, data_dir, versioned(tmp_path, "1.0.0"))
    packs.set_enabled(db, PACK_ID, False)
    assert [p["id"] for p in catalog.list_packs(db)] == []
    packs.set_enabled(db, PACK_ID, True)
    assert [p["id"] for p in catalog.list_packs(db)] == [PACK_ID]


def test_cleanup_removes_stale_staging_and_unreferenced_versions(db, data_dir, tmp_path):
    packs.install(db, data_dir, versioned(tmp_path, "1.0.0"))
    files = snapshot(data_dir)
    stale = data_dir / "staging" / "0123abcd"
    (stale / "articles").mkdir(parents=True)
    (stale / "articles" / "half.md").write_bytes(b"half a fi")
    orphan = data_dir / "packs" / PACK_ID / "2.0.0"     # moved in, never committed
    orphan.mkdir()
    (orphan / "pack.json").write_text("{}")
    removed = packs.cleanup_staging(data_dir, db)
    assert sorted(removed) == sorted([str(stale), str(orphan)])
    assert snapshot(data_dir) == files


def test_bundled_packs_install_once_on_first_start(db, data_dir, tmp_path):
    source = tmp_path / "bundled"
    make_pack(source / "numbers")
    make_pack(source / "letters", pack_id="org.example.letters")
    results = packs.install_bundled(db, data_dir, source, allow_unsigned=True)
    assert sorted(r.pack_id for r in results) == ["org.example.letters", PACK_ID]
    assert catalog.get_pack(db, PACK_ID)["source"] == "bundled"
    assert settings.get(db, "bundled_packs_installed") is True
    packs.remove(db, data_dir, PACK_ID)                 # a facilitator removed it
    assert packs.install_bundled(db, data_dir, source, allow_unsigned=True) == []
    assert catalog.get_pack(db, PACK_ID) is None        # not back on the next start


def test_missing_bundled_folder_is_skipped_quietly(db, data_dir, tmp_path):
    assert packs.install_bundled(db, data_dir, tmp_path / "nowhere", allow_unsigned=True) == []
    assert settings.get(db, "bundled_packs_installed") is False


def test_first_start_installs_the_shipped_packs(data_dir, tmp_path):
    from hub import create_app
    from tests.helpers import ROOT

    create_app({"HUB_DATA_DIR": str(data_dir), "HUB_PACKS_SOURCE": str(ROOT / "content_packs"),
                "HUB_MDNS": False, "TESTING": True})
    db = open_hub_db(data_dir)
    try:
        shipped = sorted(p.name for p in (ROOT / "content_packs").iterdir() if (p / "pack.json").is_file())
        assert [p["id"] for p in catalog.list_packs(db)] == shipped
        assert {p["source"] for p in catalog.list_packs(db)} == {"bundled"}
    finally:
        db.conn.close()


def test_the_default_source_finds_the_shipped_packs_from_any_folder(data_dir, tmp_path, monkeypatch):
    from hub import create_app
    from tests.helpers import ROOT

    elsewhere = tmp_path / "home"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)  # a service or an installed hub starts outside the project
    monkeypatch.delenv("HUB_PACKS_SOURCE", raising=False)
    app = create_app({"HUB_DATA_DIR": str(data_dir), "HUB_MDNS": False, "TESTING": True})
    assert packs.bundled_source(app.config["HUB_PACKS_SOURCE"]) == ROOT / "content_packs"
    db = open_hub_db(data_dir)
    try:
        assert len(catalog.list_packs(db)) == len(list((ROOT / "content_packs").glob("*/pack.json")))
    finally:
        db.conn.close()
    custom = tmp_path / "mine"
    assert packs.bundled_source(str(custom)) == custom  # a folder someone named is kept as it is
