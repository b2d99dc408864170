"""Content flows through a flaky link: a real centre, the fault proxy, `hub packs pull` processes.

A cut download resumes with Range in a new process; a corrupted byte changes nothing; a pack
signed by a key nobody trusts is refused by the centre and by the hub.
"""
from __future__ import annotations

import json

import pytest

from tests.centralproc import CentralProcess, central_cli
from tests.faultproxy import FaultProxy
from tests.helpers import http
from tests.sync.packflows import centre_with, hub_cli, publisher, signed_zip, staging_files

PACK = "org.example.numbers"


@pytest.fixture
def central(tmp_path):
    with CentralProcess(tmp_path / "central") as proc:
        yield proc


def installed(data_dir) -> dict:
    done = hub_cli(data_dir, "packs", "list", "--json")
    assert done.returncode == 0, done.stderr
    return {p["id"]: p["version"] for p in json.loads(done.stdout)["packs"]}


def test_the_centre_publishes_trusted_packs_only_and_never_changes_a_version(tmp_path, central):
    private, public = publisher(tmp_path)
    stranger, _ = publisher(tmp_path, "stranger")
    good = signed_zip(tmp_path, private)
    untrusted = signed_zip(tmp_path / "x", stranger) if (tmp_path / "x").mkdir() is None else None
    done = central_cli(central.data_dir, "packs", "publish", str(good))
    assert done.returncode == 1 and "does not trust" in done.stderr  # no key trusted yet
    centre_with(central.data_dir, public, good)
    done = central_cli(central.data_dir, "packs", "publish", str(untrusted))
    assert done.returncode == 1 and "pack.sig: is by key" in done.stderr
    again = central_cli(central.data_dir, "packs", "publish", str(good))
    assert again.returncode == 0 and "already published" in again.stdout
    other = signed_zip(tmp_path / "y", private, photo_bytes=1000) if (tmp_path / "y").mkdir() is None else None
    done = central_cli(central.data_dir, "packs", "publish", str(other))
    assert done.returncode == 1 and "published already with other bytes" in done.stderr
    listed = json.loads(central_cli(central.data_dir, "packs", "list", "--json").stdout)["packs"]
    assert [(p["id"], p["version"], p["signed_by"]) for p in listed] == [(PACK, "1.0.0", "Partner")]

    status, _h, body = http("GET", central.url + "/api/v1/catalog")
    entry = json.loads(body)["packs"][0]
    assert status == 200 and entry["url"] == f"packs/{PACK}.zip" and entry["size"] == good.stat().st_size
    status, headers, part = http("GET", central.url + f"/api/v1/packs/{PACK}.zip",
                                 headers={"Range": "bytes=100-199", "If-Range": f'"{entry["sha256"]}"'})
    assert status == 206 and part == good.read_bytes()[100:200]
    assert headers["Content-Range"] == f"bytes 100-199/{entry['size']}"
    status, _h, whole = http("GET", central.url + f"/api/v1/packs/{PACK}.zip",
                             headers={"Range": "bytes=100-199", "If-Range": '"another-version"'})
    assert status == 200 and whole == good.read_bytes()  # If-Range: never a piece of other bytes


@pytest.mark.slow
def test_a_download_cut_at_40_percent_resumes_in_a_new_process_and_installs(tmp_path, data_dir, central):
    private, public = publisher(tmp_path)
    pack_zip = signed_zip(tmp_path, private)
    centre_with(central.data_dir, public, pack_zip)
    size = pack_zip.stat().st_size
    with FaultProxy(central.url, plan=["ok", "cut_body:0.4"]) as proxy:
        first = hub_cli(data_dir, "packs", "pull", PACK, "--from", proxy.url)
        assert first.returncode == 1 and "cut" in first.stderr, first.stderr
        assert PACK not in installed(data_dir)
        [part] = staging_files(data_dir)
        kept = (data_dir / "downloads" / part).stat().st_size
        assert part.endswith(".part") and 0.3 * size < kept <= 0.4 * size + 1024

        second = hub_cli(data_dir, "packs", "pull", PACK, "--from", proxy.url)
        assert second.returncode == 0, second.stderr
        assert f"{size - kept} bytes fetched, resumed at byte {kept}" in second.stdout
        assert proxy.applied[:2] == ["ok", "cut_body:0.4"]
    assert installed(data_dir) == {PACK: "1.0.0"} and staging_files(data_dir) == []


@pytest.mark.slow
def test_a_corrupted_byte_fails_the_pull_and_leaves_the_installed_version(tmp_path, data_dir, central):
    private, public = publisher(tmp_path)
    centre_with(central.data_dir, public, signed_zip(tmp_path, private))
    assert hub_cli(data_dir, "packs", "pull", PACK, "--from", central.url).returncode == 0
    (tmp_path / "v2").mkdir()
    done = central_cli(central.data_dir, "packs", "publish", str(signed_zip(tmp_path / "v2", private, "2.0.0")))
    assert done.returncode == 0, done.stderr
    with FaultProxy(central.url, plan=["ok"]) as proxy:
        updates = json.loads(hub_cli(data_dir, "packs", "updates", "--json", "--from", proxy.url).stdout)
        assert updates == [{"id": PACK, "version": "2.0.0", "installed_version": "1.0.0",
                            "size": updates[0]["size"]}]
        proxy.add("ok", "corrupt_body")
        bad = hub_cli(data_dir, "packs", "pull", PACK, "--from", proxy.url)
        assert bad.returncode == 1 and "do not match the catalog's sha256" in bad.stderr
        assert installed(data_dir) == {PACK: "1.0.0"} and staging_files(data_dir) == []
        good = hub_cli(data_dir, "packs", "pull", PACK, "--from", proxy.url)
        assert good.returncode == 0, good.stderr
    assert installed(data_dir) == {PACK: "2.0.0"}


@pytest.mark.slow
def test_a_pack_signed_by_an_untrusted_key_is_refused_by_the_hub_too(tmp_path, data_dir):
    """A peer offers a pack (its own hub allows unsigned ones); this hub trusts signed packs only."""
    from tests.helpers import HubProcess

    stranger, _ = publisher(tmp_path, "stranger")
    peer_dir = tmp_path / "peer"
    peer_dir.mkdir()
    assert hub_cli(peer_dir, "packs", "install", str(signed_zip(tmp_path, stranger))).returncode == 0
    with HubProcess(peer_dir) as peer:
        done = hub_cli(data_dir, "packs", "pull", PACK, "--from", peer.url, HUB_ALLOW_UNSIGNED_PACKS="0")
    assert done.returncode == 1 and "which this hub does not trust" in done.stderr, done.stderr
    assert PACK not in installed(data_dir) and staging_files(data_dir) == []


@pytest.mark.slow
def test_a_version_published_between_a_cut_and_the_resume_is_pulled_whole(tmp_path, data_dir, central):
    """If-Range and the catalog's sha256: the old bytes are never spliced with the new ones."""
    private, public = publisher(tmp_path)
    centre_with(central.data_dir, public, signed_zip(tmp_path, private))
    with FaultProxy(central.url, plan=["ok", "cut_body:0.4"]) as proxy:
        assert hub_cli(data_dir, "packs", "pull", PACK, "--from", proxy.url).returncode == 1
        [old_part] = staging_files(data_dir)
        (tmp_path / "v2").mkdir()
        newer = signed_zip(tmp_path / "v2", private, "1.1.0")
        assert central_cli(central.data_dir, "packs", "publish", str(newer)).returncode == 0
        done = hub_cli(data_dir, "packs", "pull", PACK, "--from", proxy.url)
    assert done.returncode == 0, done.stderr
    assert f"({newer.stat().st_size} bytes fetched)" in done.stdout  # whole, not resumed
    assert installed(data_dir) == {PACK: "1.1.0"} and staging_files(data_dir) == []
    assert old_part not in staging_files(data_dir)
