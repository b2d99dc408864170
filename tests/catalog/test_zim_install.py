"""Adding a ZIM as a pack: copied or by reference, upgraded, removed, refused when damaged."""
from __future__ import annotations

import importlib.util
import json

import pytest

pytest.importorskip("libzim")

from hub.catalog.zim import install as zim_install  # noqa: E402
from tests.catalog.test_zim_archive import make_sample_zim  # noqa: E402


@pytest.fixture
def usb(tmp_path):
    """A USB drive as a desktop mounts it, under a mount root given as HUB_USB_MOUNTS."""
    stick = tmp_path / "media" / "user" / "STICK"
    stick.mkdir(parents=True)
    return tmp_path / "media", stick


def _packs(db):
    return list(db.query("SELECT * FROM packs"))


def _nothing_written(db, data_dir):
    assert _packs(db) == []
    assert list(db.query("SELECT * FROM zim_archives")) == []
    packs = data_dir / "packs"
    assert not packs.exists() or [p.name for p in packs.iterdir()] == []


def test_install_copies_into_the_data_dir(db, data_dir, tmp_path):
    zim = make_sample_zim(tmp_path / "savanna.zim")
    done = zim_install.install(db, data_dir, zim)
    assert (done.pack_id, done.version, done.by_reference) == ("zim.hub-test-en", "2024.03.01", False)
    folder = data_dir / "packs" / "zim.hub-test-en" / "2024.03.01"
    assert (folder / "archive.zim").read_bytes() == zim.read_bytes()
    assert (folder / "illustration-48.png").read_bytes().startswith(b"\x89PNG")
    [pack] = _packs(db)
    assert json.loads(pack["title"]) == {"en": "Animals of the savanna"}
    assert json.loads(pack["languages"]) == ["en"]
    assert pack["publisher"] == "Test Publisher" and pack["source"] == "zim"
    [home] = list(db.query("SELECT * FROM resources WHERE pack_id = ?", [done.pack_id]))
    assert (home["id"], home["kind"], home["language"]) == ("home", "zim", "en")
    [row] = list(db.query("SELECT * FROM zim_archives"))
    assert row["path"] == str(folder / "archive.zim") and row["by_reference"] == 0
    assert row["main_path"] == "Home" and row["has_fulltext"] == 1


def test_install_by_reference_leaves_the_file_on_the_drive(db, data_dir, usb):
    mounts, stick = usb
    zim = make_sample_zim(stick / "savanna.zim")
    done = zim_install.install(db, data_dir, zim, keep_mounted=True, usb_mounts=str(mounts))
    assert done.by_reference and done.path == str(zim.resolve())
    [row] = list(db.query("SELECT * FROM zim_archives"))
    assert row["by_reference"] == 1 and row["path"] == str(zim.resolve())
    assert not list((data_dir / "packs").rglob("*.zim"))   # nothing copied


def test_keep_mounted_outside_the_usb_mounts_is_refused(db, data_dir, tmp_path, usb):
    mounts, _ = usb
    zim = make_sample_zim(tmp_path / "savanna.zim")
    with pytest.raises(zim_install.ZimRefused) as refused:
        zim_install.install(db, data_dir, zim, keep_mounted=True, usb_mounts=str(mounts))
    assert "HUB_USB_MOUNTS" in refused.value.problems[0]
    _nothing_written(db, data_dir)


@pytest.mark.parametrize("damage", ["truncated", "bit flipped", "not a zim"])
def test_damaged_zim_is_refused_and_nothing_is_written(db, data_dir, tmp_path, damage):
    good = make_sample_zim(tmp_path / "good.zim").read_bytes()
    bad = tmp_path / "bad.zim"
    if damage == "truncated":
        bad.write_bytes(good[: len(good) * 2 // 3])
    elif damage == "bit flipped":
        middle = len(good) // 2
        bad.write_bytes(good[:middle] + bytes([good[middle] ^ 0xFF]) + good[middle + 1:])
    else:
        bad.write_bytes(b"<html>a web page saved as .zim</html>" * 10)
    with pytest.raises(zim_install.ZimRefused) as refused:
        zim_install.install(db, data_dir, bad)
    [problem] = refused.value.problems
    assert problem.startswith("bad.zim: ") and "damaged" in problem
    _nothing_written(db, data_dir)


def test_upgrade_needs_a_newer_date_and_replaces_the_old_copy(db, data_dir, tmp_path):
    zim_install.install(db, data_dir, make_sample_zim(tmp_path / "a.zim"))
    with pytest.raises(zim_install.ZimRefused) as refused:
        zim_install.install(db, data_dir, make_sample_zim(tmp_path / "b.zim"))
    assert "is not newer" in refused.value.problems[0]
    newer = make_sample_zim(tmp_path / "c.zim", date="2024-09-01", title="Savanna, 2nd edition")
    done = zim_install.install(db, data_dir, newer)
    assert done.version == "2024.09.01"
    [pack] = _packs(db)
    assert pack["version"] == "2024.09.01"
    assert json.loads(pack["title"]) == {"en": "Savanna, 2nd edition"}
    assert [p.name for p in (data_dir / "packs" / "zim.hub-test-en").iterdir()] == ["2024.09.01"]


@pytest.mark.skipif(importlib.util.find_spec("hub.catalog.packs.install") is None,
                    reason="hub packs list/remove need hub.catalog.packs, not landed yet")
def test_cli_installs_lists_and_removes(runner, data_dir, tmp_path, usb, monkeypatch):
    mounts, stick = usb
    monkeypatch.setenv("HUB_USB_MOUNTS", str(mounts))
    copied = make_sample_zim(tmp_path / "savanna.zim")
    kept = make_sample_zim(stick / "savane.zim", language="fra", name="hub_test_fr")
    assert runner.invoke(["packs", "install", str(copied)]).exit_code == 0
    result = runner.invoke(["packs", "install", "--keep-mounted", str(kept)])
    assert result.exit_code == 0, result.output
    listed = json.loads(runner.invoke(["packs", "list", "--json"]).output)
    ids = {p["id"]: p for p in (listed["packs"] if isinstance(listed, dict) else listed)}
    assert set(ids) == {"zim.hub-test-en", "zim.hub-test-fr"}
    assert runner.invoke(["packs", "remove", "zim.hub-test-fr"]).exit_code == 0
    assert runner.invoke(["packs", "remove", "zim.hub-test-en"]).exit_code == 0
    assert kept.exists()                                 # the drive's file is the owner's
    assert not list((data_dir / "packs").rglob("*.zim"))  # the copy is gone


def test_usb_scan_lists_zim_files(usb):
    from hub.ops import usb as usb_scan

    mounts, stick = usb
    make_sample_zim(stick / "savanna.zim")
    (stick / "broken.zim").write_bytes(b"not a zim at all" * 10)
    found = {item["path"].rsplit("/", 1)[-1]: item
             for item in usb_scan.scan([mounts], {"zim.hub-test-en": "2024.01.01"})}
    assert found["savanna.zim"]["kind"] == "zim"
    assert (found["savanna.zim"]["id"], found["savanna.zim"]["version"]) == ("zim.hub-test-en", "2024.03.01")
    assert found["savanna.zim"]["title"] == {"en": "Animals of the savanna"}
    assert found["savanna.zim"]["status"] == "newer"
    assert found["broken.zim"]["status"] == "unreadable"
    assert "not a readable ZIM file" in found["broken.zim"]["problem"]


def test_a_zim_install_holds_the_install_lock_and_stages_where_the_sweep_looks(db, data_dir, tmp_path):
    from hub.catalog.packs import install as pack_install
    from hub.catalog.packs import store as pack_store

    zim = make_sample_zim(tmp_path / "savanna.zim")
    seen = []

    def progress(fraction, message=""):
        if message == "adding to the catalog":
            # Another install, or a hub starting now, must wait and not sweep our folders.
            with pack_store.install_lock(data_dir, wait=False) as free:
                seen.append(free)
            seen.append(pack_install.cleanup_staging(data_dir, db))
            staged = [p for p in (data_dir / pack_store.STAGING).iterdir() if p.name != ".lock"]
            seen.append(sorted(p.name for p in staged[0].iterdir()))

    zim_install.install(db, data_dir, zim, progress=progress)
    assert seen == [False, [], ["archive.zim", "illustration-48.png"]]
    assert (data_dir / "packs" / "zim.hub-test-en" / "2024.03.01" / "archive.zim").is_file()
    # Nothing hidden is left under packs/, and the staging folder is empty again.
    assert [p.name for p in (data_dir / "packs").iterdir()] == ["zim.hub-test-en"]
    assert [p.name for p in (data_dir / pack_store.STAGING).iterdir()] == [".lock"]


def test_an_interrupted_zim_install_leaves_nothing_after_the_next_start(db, data_dir, tmp_path):
    from hub.catalog.packs import install as pack_install

    zim = make_sample_zim(tmp_path / "savanna.zim")

    def power_cut(fraction, message=""):
        if message == "adding to the catalog":
            raise KeyboardInterrupt  # stands in for the process dying mid-install

    with pytest.raises(KeyboardInterrupt):
        zim_install.install(db, data_dir, zim, progress=power_cut)
    pack_install.cleanup_staging(data_dir, db)
    _nothing_written(db, data_dir)
