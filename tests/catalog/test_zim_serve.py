"""ZIM packs over real HTTP: articles, mimetypes, redirects, main page, Range, events, removal."""
from __future__ import annotations

from http import cookiejar
import urllib.request

import pytest

pytest.importorskip("libzim")

from hub.catalog import store as catalog  # noqa: E402
from hub.core.db import open_hub_db  # noqa: E402
from hub.catalog.zim import install as zim_install  # noqa: E402
from tests.helpers import HubProcess, http  # noqa: E402
from tests.catalog.test_zim_archive import MEDIA, make_sample_zim  # noqa: E402

PACK = "zim.hub-test-en"
pytestmark = pytest.mark.slow   # real `hub serve` subprocesses


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


@pytest.fixture(scope="module")
def hub(tmp_path_factory):
    root = tmp_path_factory.mktemp("zimserve")
    data = root / "data"
    data.mkdir()
    db = open_hub_db(data)
    zim_install.install(db, data, make_sample_zim(root / "en.zim"))
    zim_install.install(db, data, make_sample_zim(root / "fr.zim", language="fra", name="hub_test_fr"))
    db.conn.close()
    with HubProcess(data) as server:
        yield server


def test_home_is_the_main_page(hub):
    status, headers, _ = http("GET", f"{hub.url}/content/{PACK}/Zeb")  # urllib follows redirects
    assert status == 200
    opener = urllib.request.build_opener(NoRedirect)
    for home in (f"/content/{PACK}/", f"/content/{PACK}"):
        try:
            opener.open(hub.url + home)
            raise AssertionError("expected a redirect")
        except urllib.error.HTTPError as answer:
            assert answer.code in (301, 302, 308)
            assert answer.headers["Location"].endswith(f"/content/{PACK}/Home") or answer.code != 302
    status, headers, body = http("GET", f"{hub.url}/content/{PACK}/")
    assert status == 200 and b"<a href='Zebra'>Zebra</a>" in body


def test_article_and_image_with_their_mimetypes(hub):
    status, headers, body = http("GET", f"{hub.url}/content/{PACK}/Zebra")
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    assert b"Zebras graze" in body
    assert "sandbox" in headers["Content-Security-Policy"]
    # The article's relative link img/zebra.png resolves under the same pack URL.
    status, headers, body = http("GET", f"{hub.url}/content/{PACK}/img/zebra.png")
    assert status == 200 and headers["Content-Type"] == "image/png" and body.startswith(b"\x89PNG")


def test_redirect_entry_is_an_http_redirect_to_its_target(hub):
    opener = urllib.request.build_opener(NoRedirect)
    with pytest.raises(urllib.error.HTTPError) as answer:
        opener.open(f"{hub.url}/content/{PACK}/Zeb")
    assert answer.value.code == 302
    assert answer.value.headers["Location"].endswith(f"/content/{PACK}/Zebra")


def test_range_on_a_media_entry(hub):
    url = f"{hub.url}/content/{PACK}/media/clip.webm"
    status, headers, body = http("GET", url, headers={"Range": "bytes=1000-1999"})
    assert status == 206 and body == MEDIA[1000:2000]
    assert headers["Content-Range"] == f"bytes 1000-1999/{len(MEDIA)}"
    assert headers["Content-Type"] == "video/webm"
    status, headers, _ = http("GET", url, headers={"Range": f"bytes={len(MEDIA) + 5}-"})
    assert status == 416


def test_etag_gives_304(hub):
    _, headers, _ = http("GET", f"{hub.url}/content/{PACK}/Lion")
    status, _, body = http("GET", f"{hub.url}/content/{PACK}/Lion",
                           headers={"If-None-Match": headers.get("ETag") or headers["Etag"]})
    assert status == 304 and body == b""


def test_missing_article_is_404(hub):
    assert http("GET", f"{hub.url}/content/{PACK}/No_such_article")[0] == 404
    assert http("GET", f"{hub.url}/content/zim.not-installed/Home")[0] == 404


def test_opening_an_article_records_progressed_on_the_pack(hub):
    jar = cookiejar.CookieJar()
    browser = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    for path in ("Lion", "Lion", "img/zebra.png", "Zebra"):
        browser.open(f"{hub.url}/content/{PACK}/{path}").read()
    db = open_hub_db(hub.data_dir)
    try:
        rows = list(db.query("SELECT actor, pack_id, resource_id, verb, data FROM events "
                             "WHERE pack_id = ? ORDER BY received_at", [PACK]))
    finally:
        db.conn.close()
    # Other tests' requests carry no cookie: each is its own anonymous actor with one event.
    actors = [r["actor"] for r in rows]
    [me] = {a for a in actors if actors.count(a) > 1}
    mine = sorted((r for r in rows if r["actor"] == me), key=lambda r: r["data"])
    # Two articles read (the reload is a duplicate; the image is not an article).
    assert [(r["resource_id"], r["verb"], r["data"]) for r in mine] == [
        ("home", "progressed", '{"path":"Lion"}'), ("home", "progressed", '{"path":"Zebra"}')]


def test_search_api_merges_zim_results(hub):
    status, _, body = http("GET", f"{hub.url}/api/v1/resources?q=herds&lang=en")
    if status == 404:
        pytest.skip("the resources API has not landed yet")
    import json

    found = json.loads(body)["resources"]
    assert any(r["pack_id"] == PACK and r["language"] == "en" and r["url"].endswith("/Zebra")
               for r in found)


def test_removed_pack_is_no_longer_served(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    db = open_hub_db(data)
    zim_install.install(db, data, make_sample_zim(tmp_path / "en.zim"))
    with HubProcess(data) as server:
        assert http("GET", f"{server.url}/content/{PACK}/Lion")[0] == 200
        with db.atomic():
            catalog.remove_pack(db, PACK)
        assert http("GET", f"{server.url}/content/{PACK}/Lion")[0] == 404
    db.conn.close()


def test_learner_pages_lead_into_the_archive(hub):
    status, _, body = http("GET", f"{hub.url}/packs/{PACK}/home")
    assert status == 200 and f'href="/content/{PACK}/"'.encode() in body
    status, _, body = http("GET", f"{hub.url}/search?q=herds")
    assert status == 200 and f'href="/content/{PACK}/Zebra"'.encode() in body
