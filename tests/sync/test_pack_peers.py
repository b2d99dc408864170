"""Hub to hub: hub A pulls from the centre, hub B pulls from hub A over loopback, B's learners find it."""
from __future__ import annotations

import json

import pytest

from hub import create_app
from tests.centralproc import CentralProcess
from tests.helpers import HubProcess, http
from tests.sync.packflows import centre_with, hub_cli, publisher, signed_zip

PACK = "org.example.numbers"


@pytest.mark.slow
def test_hub_b_gets_a_pack_from_hub_a_that_got_it_from_the_centre(tmp_path):
    private, public = publisher(tmp_path)
    original = signed_zip(tmp_path, private)
    hub_a, hub_b = tmp_path / "a", tmp_path / "b"
    hub_a.mkdir()
    hub_b.mkdir()
    with CentralProcess(tmp_path / "central") as central:
        centre_with(central.data_dir, public, original)
        done = hub_cli(hub_a, "packs", "pull", PACK, "--from", central.url)
        assert done.returncode == 0, done.stderr
    for hub in (hub_a, hub_b):  # both hubs trust the publisher and install signed packs only
        assert hub_cli(hub, "keys", "trust", str(public), "--name", "Partner").returncode == 0

    with HubProcess(hub_a, HUB_ALLOW_UNSIGNED_PACKS="0") as peer:
        status, _h, body = http("GET", peer.url + "/api/v1/catalog")
        [entry] = json.loads(body)["packs"]
        assert status == 200 and (entry["id"], entry["version"], entry["url"]) == (PACK, "1.0.0", f"packs/{PACK}.zip")
        status, headers, part = http("GET", peer.url + f"/api/v1/packs/{PACK}.zip", headers={"Range": "bytes=0-3"})
        assert status == 206 and part == b"PK\x03\x04" and {k.lower(): v for k, v in headers.items()}["etag"] == f'"{entry["sha256"]}"'
        offered = json.loads(hub_cli(hub_b, "packs", "updates", "--json", "--from", peer.url).stdout)
        assert offered == [{"id": PACK, "version": "1.0.0", "installed_version": None, "size": entry["size"]}]
        done = hub_cli(hub_b, "packs", "pull", PACK, "--from", peer.url, HUB_ALLOW_UNSIGNED_PACKS="0")
        assert done.returncode == 0, done.stderr
        assert "installed org.example.numbers 1.0.0" in done.stdout
        again = json.loads(hub_cli(hub_b, "packs", "updates", "--json", "--from", peer.url).stdout)
        assert again == []

    listed = json.loads(hub_cli(hub_b, "packs", "list", "--json").stdout)["packs"]
    assert [(p["id"], p["signed_by"], p["source"]) for p in listed] == [(PACK, "Partner", "pull")]
    learners = create_app({"HUB_DATA_DIR": str(hub_b), "HUB_PACKS_SOURCE": str(tmp_path / "none"),
                           "HUB_MDNS": False, "TESTING": True}).test_client()
    found = learners.get("/api/v1/resources?q=mangoes&lang=en").get_json()["resources"]
    assert (PACK, "photo") in [(r["pack_id"], r["id"]) for r in found]
    page = learners.get(f"/packs/{PACK}")
    assert page.status_code == 200 and "Numbers" in page.get_data(as_text=True)
