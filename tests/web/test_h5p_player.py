"""The H5P player page and the shared libraries: served from the hub alone, in the html5
apps' sandbox, fetching only the package's own files and the shared libraries."""
from __future__ import annotations

import re

from hub.catalog.h5p.install import install
from hub.catalog.packs import install as packs
from tests.h5pfactory import make_h5p
from tests.packfactory import fill_hashes, write_manifest


def test_the_player_page_is_sandboxed_and_may_fetch_only_its_own_files(client, db, data_dir, tmp_path):
    install(db, data_dir, make_h5p(tmp_path / "sums.h5p"))
    page = client.get("/packs/h5p.sums/activity")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert re.search(r'<iframe[^>]*data-h5p-player[^>]*sandbox="allow-scripts"[^>]*src="/h5p/play/h5p.sums/activity"', html)
    assert "/static/h5p-bridge.js" in html
    player = client.get("/h5p/play/h5p.sums/activity")
    assert player.status_code == 200
    policy = player.headers["Content-Security-Policy"]
    assert policy.startswith("sandbox allow-scripts;") and "allow-same-origin" not in policy
    connect = re.search(r"connect-src ([^;]+);", policy).group(1).split()
    assert connect == ["http://localhost/content/h5p.sums/content.h5p/", "http://localhost/h5p/libraries/"]
    text = player.get_data(as_text=True)
    assert 'data-libraries="/h5p/libraries"' in text and 'data-h5p-json="/content/h5p.sums/content.h5p"' in text
    assert "/static/vendor/h5p-standalone/main.bundle.js" in text
    assert client.get("/static/vendor/h5p-standalone/main.bundle.js").status_code == 200


def test_package_files_and_shared_libraries_are_served_to_the_opaque_origin(client, db, data_dir, tmp_path):
    install(db, data_dir, make_h5p(tmp_path / "sums.h5p"))
    h5p_json = client.get("/content/h5p.sums/content.h5p/h5p.json")
    assert h5p_json.status_code == 200 and h5p_json.get_json()["mainLibrary"] == "H5P.HubCheck"
    assert h5p_json.headers["Access-Control-Allow-Origin"] == "*"
    assert h5p_json.headers["Content-Security-Policy"].startswith("sandbox allow-scripts;")
    assert client.get("/content/h5p.sums/content.h5p/content/content.json").get_json()["answer"] == "7"
    script = client.get("/h5p/libraries/H5P.HubCheck-1.0/hubcheck.js")
    assert script.status_code == 200 and b"H5P.HubCheck" in script.data
    assert script.mimetype == "text/javascript" and script.headers["Access-Control-Allow-Origin"] == "*"
    again = client.get("/h5p/libraries/H5P.HubCheck-1.0/hubcheck.js", headers={"If-None-Match": script.headers["ETag"]})
    assert again.status_code == 304
    for bad in ("/h5p/libraries/../../hub.db", "/h5p/libraries/H5P.HubCheck-1.0/missing.js",
                "/h5p/libraries/H5P.HubCheck-1.0", "/h5p/libraries/%2e%2e/hub.db", "/content/h5p.sums/content.h5p/"):
        assert client.get(bad).status_code == 404, bad


def test_the_player_answers_404_for_what_is_not_h5p(client, db, data_dir, tmp_path):
    install(db, data_dir, make_h5p(tmp_path / "sums.h5p"))
    assert client.get("/h5p/play/h5p.sums/nothing").status_code == 404
    assert client.get("/h5p/play/no.such.pack/activity").status_code == 404
    packs.set_enabled(db, "h5p.sums", False)
    assert client.get("/h5p/play/h5p.sums/activity").status_code == 404


def test_an_h5p_inside_a_pack_plays_with_its_own_libraries(client, db, data_dir, tmp_path):
    folder = tmp_path / "pack"
    make_h5p(folder / "activities" / "sums.h5p")
    manifest = {"format": 1, "id": "org.test.h5p", "version": "1.0.0", "title": {"en": "Sums"},
                "languages": ["en"], "resources": [{"id": "sums", "kind": "h5p", "language": "en",
                                                    "title": "Sums", "file": "activities/sums.h5p"}]}
    write_manifest(folder, fill_hashes(folder, manifest))
    packs.install(db, data_dir, folder)
    player = client.get("/h5p/play/org.test.h5p/sums")
    assert 'data-libraries="/content/org.test.h5p/activities/sums.h5p"' in player.get_data(as_text=True)
    assert "/h5p/libraries/" not in player.headers["Content-Security-Policy"]
    assert client.get("/content/org.test.h5p/activities/sums.h5p/H5P.HubCheck-1.0/hubcheck.js").status_code == 200


def test_right_to_left_content_plays_right_to_left(client, db, data_dir, tmp_path):
    install(db, data_dir, make_h5p(tmp_path / "arabic.h5p", language="ar", question="كم يساوي ٣ + ٤؟"))
    player = client.get("/h5p/play/h5p.arabic/activity").get_data(as_text=True)
    assert '<html lang="ar" dir="rtl">' in player


def test_the_vendored_player_names_no_address_on_the_internet():
    # An offline hub's child who taps a link out meets an error page; the player keeps none.
    from pathlib import Path

    folder = Path(__file__).resolve().parents[2] / "hub" / "static" / "vendor" / "h5p-standalone"
    for script in folder.glob("*.js"):
        found = re.findall(rb"https?://[\w.-]+", script.read_bytes())
        assert not found, (script.name, found[:5])
