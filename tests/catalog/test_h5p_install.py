"""A lone .h5p becomes a pack with one h5p resource; its libraries are kept once per version
and shared; a package that lacks a library, or is not H5P, is refused and changes nothing."""
from __future__ import annotations

import json
import zipfile

import pytest

from hub.catalog import store as catalog
from hub.catalog.h5p.install import install
from hub.catalog.packs.errors import PackRefused
from tests.h5pfactory import make_h5p


def shared(data_dir) -> dict:
    base = data_dir / "h5p" / "libraries"
    return {p.name: json.loads((p / "library.json").read_text())["patchVersion"]
            for p in base.iterdir()} if base.is_dir() else {}


def test_an_h5p_file_becomes_a_pack_and_its_library_is_shared(db, data_dir, tmp_path):
    done = install(db, data_dir, make_h5p(tmp_path / "Sums for Class 3.h5p"))
    assert [(p.pack_id, p.version) for p in done.packs] == [("h5p.sums-for-class-3", "1.0.0")]
    pack = catalog.get_pack(db, "h5p.sums-for-class-3")
    assert pack["title"] == {"en": "Hub check"} and pack["languages"] == ["en"]
    [resource] = pack["manifest"]["resources"]
    assert (resource["id"], resource["kind"], resource["license"], resource["author"]) == \
        ("activity", "h5p", "CC BY", "A. Teacher")
    assert shared(data_dir) == {"H5P.HubCheck-1.0": 2}
    with zipfile.ZipFile(data_dir / "packs" / pack["id"] / "1.0.0" / "content.h5p") as content:
        assert sorted(content.namelist()) == ["content/content.json", "h5p.json"]   # no library copy
    assert done.libraries == ["H5P.HubCheck-1.0"]


def test_a_library_is_kept_once_and_a_higher_patch_replaces_it(db, data_dir, tmp_path):
    install(db, data_dir, make_h5p(tmp_path / "a.h5p", patch=2))
    second = install(db, data_dir, make_h5p(tmp_path / "b.h5p", patch=1))
    assert second.libraries == [] and shared(data_dir) == {"H5P.HubCheck-1.0": 2}
    third = install(db, data_dir, make_h5p(tmp_path / "c.h5p", patch=5))
    assert third.libraries == ["H5P.HubCheck-1.0"] and shared(data_dir) == {"H5P.HubCheck-1.0": 5}
    # A package that relies on the shared library installs without carrying it.
    install(db, data_dir, make_h5p(tmp_path / "d.h5p", with_library=False))
    assert catalog.get_pack(db, "h5p.d") is not None


def test_a_missing_library_is_refused_and_nothing_changes(db, data_dir, tmp_path):
    with pytest.raises(PackRefused) as refused:
        install(db, data_dir, make_h5p(tmp_path / "lonely.h5p", with_library=False))
    assert "library H5P.HubCheck-1.0 is neither in the package nor on this hub" in str(refused.value)
    assert catalog.list_packs(db, enabled_only=False) == [] and shared(data_dir) == {}
    assert [p.name for p in (data_dir / "staging").iterdir()] == [".lock"]


@pytest.mark.parametrize("entries, reason", [
    ({"content/content.json": "{}"}, "h5p.json is missing"),
    ({"h5p.json": "{not json", "content/content.json": "{}"}, "h5p.json is not valid JSON"),
    ({"h5p.json": json.dumps({"title": "x", "mainLibrary": "H5P.HubCheck", "preloadedDependencies": [
        {"machineName": "H5P.HubCheck", "majorVersion": 1, "minorVersion": 0}]})}, "content/content.json is missing"),
    ({"../evil.js": "x", "h5p.json": "{}"}, "leaves the pack folder"),
])
def test_what_is_not_an_h5p_package_is_refused(db, data_dir, tmp_path, entries, reason):
    path = tmp_path / "bad.h5p"
    with zipfile.ZipFile(path, "w") as archive:
        for name, text in entries.items():
            archive.writestr(name, text)
    with pytest.raises(PackRefused, match=reason):
        install(db, data_dir, path)
    assert catalog.list_packs(db, enabled_only=False) == []


def test_not_a_zip_is_refused(db, data_dir, tmp_path):
    path = tmp_path / "photo.h5p"
    path.write_bytes(b"\xff\xd8\xff not a zip")
    with pytest.raises(PackRefused, match="not a readable H5P package"):
        install(db, data_dir, path)


def test_the_same_file_again_is_refused_and_a_changed_one_upgrades(db, data_dir, tmp_path):
    install(db, data_dir, make_h5p(tmp_path / "quiz.h5p"))
    with pytest.raises(PackRefused, match="installed already"):
        install(db, data_dir, make_h5p(tmp_path / "quiz.h5p"))
    done = install(db, data_dir, make_h5p(tmp_path / "quiz.h5p", question="What is 5 + 5?"))
    assert [(p.version, p.previous_version) for p in done.packs] == [("2.0.0", "1.0.0")]


def test_an_h5p_inside_a_pack_is_a_resource_kind(db, data_dir, tmp_path):
    from hub.catalog.packs import install as packs
    from tests.packfactory import fill_hashes, write_manifest

    folder = tmp_path / "pack"
    make_h5p(folder / "activities" / "sums.h5p")
    manifest = {"format": 1, "id": "org.test.h5p", "version": "1.0.0", "title": {"en": "Sums"},
                "languages": ["en"], "resources": [{"id": "sums", "kind": "h5p", "language": "en",
                                                    "title": "Sums", "file": "activities/sums.h5p"}]}
    write_manifest(folder, fill_hashes(folder, manifest))
    packs.install(db, data_dir, folder)
    assert catalog.get_resource(db, "org.test.h5p", "sums")["kind"] == "h5p"
    (folder / "activities" / "sums.h5p").write_bytes(b"PK not an h5p")
    write_manifest(folder, fill_hashes(folder, dict(manifest, version="1.0.1")))
    with pytest.raises(PackRefused, match="not a readable H5P package"):
        packs.install(db, data_dir, folder)



def test_the_cli_installs_an_h5p_and_refuses_with_where_and_why(runner, tmp_path):
    done = runner.invoke(["packs", "install", str(make_h5p(tmp_path / "Sums.h5p"))])
    assert done.exit_code == 0 and "installed h5p.sums 1.0.0" in done.output
    listed = runner.invoke(["packs", "list", "--json"])
    assert [p["id"] for p in json.loads(listed.output)["packs"]] == ["h5p.sums"]
    refused = runner.invoke(["packs", "install", str(make_h5p(tmp_path / "other.h5p", with_library=False,
                                                              question="?")), "--json"])
    assert refused.exit_code == 0   # the library is shared on the hub now: nothing missing
    (tmp_path / "broken.h5p").write_bytes(b"not a zip")
    bad = runner.invoke(["packs", "install", str(tmp_path / "broken.h5p")])
    assert bad.exit_code == 1 and "broken.h5p: is not a readable H5P package" in bad.output
