"""The catalog module and its JSON API: rows from a manifest, fallback chain, groups, shapes."""
from __future__ import annotations

import pytest

from hub.catalog import store as catalog
from tests.catalog.test_catalog_support import PACK_ID, install, write_pack


@pytest.fixture
def pack_db(db, tmp_path):
    install(db, tmp_path / "pack")
    return db


def test_replace_pack_fills_every_table_in_the_callers_transaction(db, tmp_path):
    manifest = write_pack(tmp_path / "pack")
    with pytest.raises(RuntimeError):
        with db.atomic():
            catalog.replace_pack(db, manifest, storage_dir=str(tmp_path / "pack"),
                                 signed_by="test-key", source="cli", size=1)
            raise RuntimeError("install fails after the catalog step")
    assert catalog.get_pack(db, PACK_ID) is None and db["resource_search"].count == 0
    with db.atomic():
        catalog.replace_pack(db, manifest, storage_dir=str(tmp_path / "pack"),
                             signed_by="test-key", source="cli", size=1)
    pack = catalog.get_pack(db, PACK_ID)
    assert pack["signed_by"] == "test-key" and pack["resource_count"] == 12 and pack["enabled"]
    assert pack["title"]["sw"] == "Afya nyumbani" and pack["manifest"]["id"] == PACK_ID
    assert db["topics"].count == 3 and db["topic_resources"].count == 9


def test_upgrade_replaces_rows_and_keeps_nothing_stale(pack_db, tmp_path):
    resources = [r for r in write_pack(tmp_path / "v2")["resources"] if r["id"] != "video"]
    install(pack_db, tmp_path / "v2", version="2.0.0", resources=resources)
    assert catalog.get_pack(pack_db, PACK_ID)["version"] == "2.0.0"
    assert catalog.get_resource(pack_db, PACK_ID, "video") is None
    assert pack_db["resources"].count == 11 and pack_db["resource_search"].count == 11


def test_get_resource_has_an_absolute_path_inside_the_pack(pack_db, tmp_path):
    res = catalog.get_resource(pack_db, PACK_ID, "song")
    assert res["path"] == (tmp_path / "pack" / "media" / "song.mp3").resolve()
    assert res["group"] == "song" and res["tags"] == ["song"] and res["pack_enabled"]
    assert catalog.resource_file_path(str(tmp_path / "pack"), "../x") is None
    assert catalog.resource_file_path(str(tmp_path / "pack"), "/etc/passwd") is None


@pytest.mark.parametrize("lang, expected", [
    ("fr", "water-fr"), ("fr-CA", "water-fr"), ("sw", "water-sw"), ("ar", "water-ar"),
    ("en", "water-en"), ("pt", "water-en"),   # no Portuguese: the pack's first language
])
def test_fallback_chain_picks_one_version_per_group(pack_db, lang, expected):
    listed = catalog.list_resources(pack_db, lang=lang, limit=50)
    water = [r["id"] for r in listed if r["group"] == "water"]
    assert water == [expected]
    assert len(listed) == len({r["group"] for r in listed}) == 8


def test_fallback_uses_the_packs_first_language(db, tmp_path):
    files = {"a/fr.md": b"# Un", "a/sw.md": b"# Moja"}
    resources = [{"id": "one-sw", "kind": "article", "language": "sw", "group": "one",
                  "title": "Moja", "file": "a/sw.md"},
                 {"id": "one-fr", "kind": "article", "language": "fr", "group": "one",
                  "title": "Un", "file": "a/fr.md"}]
    install(db, tmp_path / "p", pack_id="org.test.fallback", files=files, resources=resources,
            languages=["fr", "sw"], topics=[])
    assert [r["id"] for r in catalog.list_resources(db, lang="hi")] == ["one-fr"]
    assert [r["id"] for r in catalog.list_resources(db, lang="sw-KE")] == ["one-sw"]


def test_topic_tree_nests_and_shows_the_best_language(pack_db):
    tree = catalog.topic_tree(pack_db, catalog.get_pack(pack_db, PACK_ID), "fr")
    water, numbers = tree["topics"]
    assert water["title"] == "L'eau" and [r["id"] for r in water["resources"]] == ["water-fr", "song", "video"]
    assert water["topics"][0]["title"] == "More" and numbers["title"] == "Les nombres"
    assert [r["id"] for r in numbers["resources"]] == ["count-fr"]


def test_hidden_pack_leaves_lists_but_stays_for_facilitators(pack_db):
    catalog.set_enabled(pack_db, PACK_ID, False)
    assert catalog.list_packs(pack_db) == []
    assert catalog.list_packs(pack_db, enabled_only=False)[0]["enabled"] is False
    assert catalog.get_pack(pack_db, PACK_ID, enabled_only=True) is None


# The JSON API -------------------------------------------------------------------------


def test_api_packs(client, pack_db):
    data = client.get("/api/v1/packs?lang=sw").get_json()
    assert [p["id"] for p in data["packs"]] == [PACK_ID]
    pack = data["packs"][0]
    assert pack["title"] == "Afya nyumbani" and pack["url"] == f"/packs/{PACK_ID}"
    assert pack["resource_count"] == 12 and pack["languages"] == ["en", "fr", "sw", "ar"]


def test_api_resources_shapes(client, pack_db):
    data = client.get("/api/v1/resources?q=star&lang=en").get_json()
    app = data["resources"][0]
    assert {"id", "pack_id", "kind", "language", "title", "url", "file_url", "launch_url"} <= set(app)
    assert app["url"] == f"/packs/{PACK_ID}/stars"
    assert app["file_url"].startswith(f"/content/{PACK_ID}/apps/stars.zip?v=")
    assert app["launch_url"].startswith(f"/content/{PACK_ID}/apps/stars.zip/index.html?v=")
    song = client.get("/api/v1/resources?kind=audio").get_json()["resources"]
    assert [r["id"] for r in song] == ["song"] and "launch_url" not in song[0]
    quiz = client.get("/api/v1/resources?kind=exercise").get_json()["resources"][0]
    assert "file_url" not in quiz  # the answers stay on the hub
    assert client.get(quiz["url"]).status_code == 200
    served = client.get(app["launch_url"])
    assert served.status_code == 200 and b"Count the stars" in served.data


def test_api_language_filter_and_limit(client, pack_db):
    french = client.get("/api/v1/resources?lang=fr&limit=50").get_json()["resources"]
    assert {r["id"] for r in french} == {"water-fr", "count-fr"}
    assert len(client.get("/api/v1/resources?limit=3").get_json()["resources"]) == 3
    for bad in ("limit=0", "limit=abc", "limit=1000", "lang=%3Cscript%3E"):
        response = client.get(f"/api/v1/resources?{bad}")
        assert response.status_code == 400 and "error" in response.get_json()


def test_api_one_resource_lists_its_translations(client, pack_db):
    data = client.get(f"/api/v1/resources/{PACK_ID}/water-sw").get_json()
    assert data["language"] == "sw" and data["title"] == "Maji safi ya kunywa"
    assert {v["language"] for v in data["versions"]} == {"en", "fr", "sw", "ar"}
    assert client.get(f"/api/v1/resources/{PACK_ID}/nope").status_code == 404
    catalog.set_enabled(pack_db, PACK_ID, False)
    assert client.get(f"/api/v1/resources/{PACK_ID}/water-sw").status_code == 404
    assert client.get("/api/v1/packs").get_json() == {"packs": []}
