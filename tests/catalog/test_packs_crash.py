"""An install SIGKILLed midway (a real subprocess) leaves the hub as it was once it restarts.

The child process installs an upgrade and stops itself at a chosen point, then the test
kills it with SIGKILL: while files stream into staging, or inside the catalog transaction
after the files were moved into place. A kill after the commit leaves the NEW version live.
"""
from __future__ import annotations

import os
import signal
import subprocess
import sys

import pytest

from hub import create_app
from hub.catalog import store as catalog
from hub.core.db import open_hub_db
from hub.catalog.packs import install as packs
from tests.helpers import ROOT
from tests.packfactory import PACK_ID, fill_hashes, make_pack, read_manifest, snapshot, write_manifest, zip_pack

CHILD = r"""
import sys, time
from hub.catalog import store as catalog
from hub.core.db import open_hub_db
from hub.catalog.packs import install as packs, store

data_dir, path, point = sys.argv[1:4]

def stop_here():
    print("STOPPED", flush=True)
    time.sleep(600)   # the parent SIGKILLs us here

def progress(fraction, message):
    if point == "copying" and message == "checking files" and fraction > 0.4:
        stop_here()

real_replace, real_remove = catalog.replace_pack, store.remove_tree

def replace_pack(*args, **kwargs):
    real_replace(*args, **kwargs)
    if point == "in transaction":
        stop_here()

def remove_tree(path):
    if point == "after commit" and path.name == "1.0.0":
        stop_here()
    real_remove(path)

catalog.replace_pack, store.remove_tree = replace_pack, remove_tree
db = open_hub_db(data_dir)
packs.install(db, data_dir, path, progress=progress)
print("INSTALLED", flush=True)
"""


def hub_state(data_dir):
    db = open_hub_db(data_dir)
    try:
        tables = [list(db.execute(f"SELECT * FROM {t} ORDER BY 1, 2").fetchall())
                  for t in ("packs", "resources", "topics", "topic_resources")]
    finally:
        db.conn.close()
    return tables, snapshot(data_dir)


@pytest.fixture
def upgrade(data_dir, tmp_path):
    """1.0.0 installed; a 1.1.0 zip with 4 MB of incompressible video to stream."""
    db = open_hub_db(data_dir)
    packs.install(db, data_dir, make_pack(tmp_path / "v1", version="1.0.0"))
    db.conn.close()
    folder = make_pack(tmp_path / "v1.1", version="1.1.0")
    (folder / "videos").mkdir()
    (folder / "videos" / "clip.mp4").write_bytes(os.urandom(4 * 1024 * 1024))
    data = read_manifest(folder)
    data["resources"].append({"id": "clip", "kind": "video", "language": "en", "title": "Clip",
                              "file": "videos/clip.mp4"})
    write_manifest(folder, fill_hashes(folder, data))
    return zip_pack(folder, tmp_path / "v1.1.zip")


def kill_install_at(data_dir, archive, point):
    child = subprocess.Popen([sys.executable, "-c", CHILD, str(data_dir), str(archive), point],
                             cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        line = child.stdout.readline().strip()   # blocks until the child reached its point
        assert line == "STOPPED", child.stderr.read()
        child.send_signal(signal.SIGKILL)
        assert child.wait(30) == -signal.SIGKILL
    finally:
        if child.poll() is None:
            child.kill()
        child.stdout.close()
        child.stderr.close()


def _integrity(data_dir) -> str:
    """PRAGMA integrity_check of the hub's database after the kill and restart."""
    db = open_hub_db(data_dir)
    try:
        return db.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        db.conn.close()


def restart(data_dir, tmp_path):
    """What the next start does (create_app runs hub.ops.startup: cleanup_staging among others)."""
    app = create_app({"HUB_DATA_DIR": str(data_dir), "HUB_PACKS_SOURCE": str(tmp_path / "none"),
                      "HUB_MDNS": False, "TESTING": True})
    return app.test_client()


@pytest.mark.slow
@pytest.mark.parametrize("point", ["copying", "in transaction"])
def test_killed_install_leaves_the_hub_as_it_was(data_dir, tmp_path, upgrade, point):
    before = hub_state(data_dir)
    kill_install_at(data_dir, upgrade, point)
    leftovers = [p for p in (data_dir / "staging").iterdir() if p.name != ".lock"]
    if point == "copying":
        assert leftovers, "the kill should have caught files in staging"
    else:
        assert (data_dir / "packs" / PACK_ID / "1.1.0").is_dir()   # moved in, never committed
    client = restart(data_dir, tmp_path)
    assert hub_state(data_dir) == before
    assert _integrity(data_dir) == "ok"
    assert [p.name for p in (data_dir / "staging").iterdir()] == [".lock"]
    assert client.get(f"/content/{PACK_ID}/articles/count.en.md").status_code == 200


@pytest.mark.slow
def test_kill_after_the_commit_leaves_the_new_version_whole(data_dir, tmp_path, upgrade):
    kill_install_at(data_dir, upgrade, "after commit")
    assert (data_dir / "packs" / PACK_ID / "1.0.0").is_dir()   # the old files were not removed yet
    client = restart(data_dir, tmp_path)
    assert [p.name for p in (data_dir / "packs" / PACK_ID).iterdir()] == ["1.1.0"]
    db = open_hub_db(data_dir)
    assert catalog.get_pack(db, PACK_ID)["version"] == "1.1.0"
    db.conn.close()
    assert _integrity(data_dir) == "ok"
    assert client.get(f"/content/{PACK_ID}/videos/clip.mp4").status_code == 200
