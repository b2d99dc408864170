"""`hub packs ...` as a user runs it: exit codes 0/1/2, WHERE: WHY lines, reproducible builds."""
from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import zipfile

from hub.catalog.packs.sign import write_key_pair
from tests.helpers import ROOT, hub_env
from tests.packfactory import PACK_ID, make_pack, read_manifest, write_manifest


def unbuilt_pack(folder):
    """A pack folder as an author writes it: no sizes, no hashes yet."""
    folder = make_pack(folder)
    data = read_manifest(folder)
    for res in data["resources"]:
        del res["size"], res["sha256"]
    write_manifest(folder, data)
    return folder


def test_validate_ok_and_refused(runner, tmp_path):
    folder = make_pack(tmp_path / "numbers")
    ok = runner.invoke(["packs", "validate", str(folder)])
    assert ok.exit_code == 0
    assert ok.output.strip() == f"{folder}: a valid pack, {PACK_ID} 1.0.0, 5 resources, unsigned"
    (folder / "articles" / "count.fr.md").unlink()
    (folder / "notes.txt").write_text("x")
    bad = runner.invoke(["packs", "validate", str(folder)])
    assert bad.exit_code == 1
    assert sorted(bad.stderr.splitlines()) == [
        "notes.txt: is not listed in pack.json",
        "resources[1].file: articles/count.fr.md is missing"]


def test_usage_errors_exit_2(runner, tmp_path):
    assert runner.invoke(["packs", "validate"]).exit_code == 2
    assert runner.invoke(["packs", "validate", str(tmp_path / "missing")]).exit_code == 2
    assert runner.invoke(["packs", "build", str(tmp_path)]).exit_code == 2   # no -o


def test_build_fills_hashes_and_is_reproducible(runner, tmp_path):
    folder = unbuilt_pack(tmp_path / "numbers")
    first = runner.invoke(["packs", "build", str(folder), "-o", str(tmp_path / "a.zip")])
    assert first.exit_code == 0, first.output
    assert "pack.json: sizes and sha256 updated" in first.output
    data = read_manifest(folder)
    body = (folder / "articles" / "count.en.md").read_bytes()
    assert data["resources"][0]["size"] == len(body)
    assert data["resources"][0]["sha256"] == hashlib.sha256(body).hexdigest()
    os.utime(folder / "articles" / "count.en.md", (1, 1))   # other mtimes must not matter
    os.chmod(folder / "images" / "shape.svg", 0o600)        # nor other permissions
    second = runner.invoke(["packs", "build", str(folder), "-o", str(tmp_path / "b.zip")])
    assert second.exit_code == 0 and "updated" not in second.output
    assert (tmp_path / "a.zip").read_bytes() == (tmp_path / "b.zip").read_bytes()
    with zipfile.ZipFile(tmp_path / "a.zip") as archive:
        infos = archive.infolist()
    names = [i.filename for i in infos]
    assert names[0] == "pack.json" and names[1:] == sorted(names[1:])
    assert {i.date_time for i in infos} == {(1980, 1, 1, 0, 0, 0)}
    assert {i.external_attr >> 16 for i in infos} == {0o100644}
    assert runner.invoke(["packs", "validate", str(tmp_path / "a.zip")]).exit_code == 0


def test_build_refuses_an_invalid_pack_and_writes_nothing(runner, tmp_path):
    folder = unbuilt_pack(tmp_path / "numbers")
    (folder / "stray.bin").write_bytes(b"x")
    result = runner.invoke(["packs", "build", str(folder), "-o", str(tmp_path / "out.zip")])
    assert result.exit_code == 1 and result.stderr.strip() == "stray.bin: is not listed in pack.json"
    assert not (tmp_path / "out.zip").exists()
    inside = runner.invoke(["packs", "build", str(folder), "-o", str(folder / "self.zip")])
    assert inside.exit_code == 1 and "must be outside the pack folder" in inside.stderr


def test_build_keeps_a_signature_that_still_matches_and_drops_a_stale_one(runner, tmp_path):
    folder = make_pack(tmp_path / "numbers")
    private, _, _ = write_key_pair(tmp_path / "ngo")
    assert runner.invoke(["packs", "sign", str(folder), "--key", str(private)]).exit_code == 0
    runner.invoke(["packs", "build", str(folder), "-o", str(tmp_path / "a.zip")])
    with zipfile.ZipFile(tmp_path / "a.zip") as archive:
        assert archive.namelist()[:2] == ["pack.json", "pack.sig"]
    (folder / "articles" / "count.en.md").write_bytes(b"# Counting\n\nChanged.\n")
    changed = runner.invoke(["packs", "build", str(folder), "-o", str(tmp_path / "b.zip")])
    assert changed.exit_code == 0 and "pack.sig: removed" in changed.stderr
    with zipfile.ZipFile(tmp_path / "b.zip") as archive:
        assert "pack.sig" not in archive.namelist()


def test_install_list_disable_enable_remove(runner, tmp_path, data_dir):
    folder = make_pack(tmp_path / "numbers")
    assert runner.invoke(["packs", "install", str(folder)]).output.strip() == \
        f"installed {PACK_ID} 1.0.0 (unsigned)"
    again = runner.invoke(["packs", "install", str(folder)])
    assert again.exit_code == 1 and again.stderr.strip() == f"version: {PACK_ID} 1.0.0 is installed already"
    [listed] = json.loads(runner.invoke(["packs", "list", "--json"]).output)["packs"]
    assert {k: listed[k] for k in ("id", "version", "languages", "resources", "enabled")} == \
        {"id": PACK_ID, "version": "1.0.0", "languages": ["en", "fr"], "resources": 5, "enabled": True}
    assert listed["title"] == {"en": "Numbers", "fr": "Les nombres"} and listed["size"] > 0
    assert runner.invoke(["packs", "disable", PACK_ID]).exit_code == 0
    assert "disabled" in runner.invoke(["packs", "list"]).output
    assert runner.invoke(["packs", "enable", PACK_ID]).exit_code == 0
    assert runner.invoke(["packs", "remove", PACK_ID]).output.strip() == f"removed {PACK_ID}"
    gone = runner.invoke(["packs", "remove", PACK_ID])
    assert gone.exit_code == 1 and gone.stderr.strip() == f"{PACK_ID}: no such pack is installed"
    assert runner.invoke(["packs", "list"]).output.strip() == "No packs installed."


def test_the_console_script_refuses_with_exit_1(tmp_path):
    folder = make_pack(tmp_path / "numbers")
    data = read_manifest(folder)
    data["version"] = "2"
    write_manifest(folder, data)
    done = subprocess.run([sys.executable, "-m", "hub", "packs", "install", str(folder)], cwd=ROOT,
                          env=hub_env(tmp_path / "data"), capture_output=True, text=True, timeout=60)
    assert done.returncode == 1
    assert done.stderr.splitlines() == ["version: '2' is not a semantic version like 1.2.0"]
    assert not (tmp_path / "data" / "packs").exists()
