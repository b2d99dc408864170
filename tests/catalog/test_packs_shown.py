"""What people see of packs: the search box on every learner page, signed or unsigned packs on
the facilitators' content page, and an html5 app that cannot act as the learner."""
from __future__ import annotations

import pytest

from hub.core.db import open_hub_db
from hub.catalog.packs import install as packs
from hub.catalog.packs import sign
from tests.helpers import HubProcess, http
from tests.packfactory import PACK_ID as SIGNED_ID
from tests.packfactory import make_pack
from tests.catalog.test_catalog_support import PACK_ID, install
from tests.web.test_facilitator_support import _fresh_login_limits, make_account, sign_in  # noqa: F401
from tests.learning.test_learners_support import count, event, sign_up

SEARCH_BOX = '<form class="search" role="search" action="/search" method="get">'


@pytest.fixture
def pack(db, tmp_path):
    return install(db, tmp_path / "pack")


def test_every_learner_page_has_the_search_box(client, pack):
    sign_up(client)
    for url in ("/", "/search?q=water", f"/packs/{PACK_ID}", f"/packs/{PACK_ID}/water-en",
                f"/packs/{PACK_ID}/stars", f"/packs/{PACK_ID}/song", "/me", "/language"):
        response = client.get(url)
        html = response.get_data(as_text=True)
        assert response.status_code == 200 and SEARCH_BOX in html, url
        assert '<label for="q"' in html and 'name="q"' in html, url


def test_facilitators_see_which_packs_are_signed_and_which_are_not(client, db, data_dir, tmp_path):
    private, public, _fingerprint = sign.write_key_pair(tmp_path / "partner")
    sign.trust(db, public.read_bytes(), "Example Foundation")
    signed = make_pack(tmp_path / "signed")
    sign.sign_folder(signed, private)
    packs.install(db, data_dir, signed)
    install(db, tmp_path / "unsigned")
    make_account(db)
    sign_in(client)
    html = client.get("/facilitator/content").get_data(as_text=True)
    assert "Signed by <bdi>Example Foundation</bdi>" in html and "Not signed" in html
    assert html.count("Not signed") == 1 and SIGNED_ID in html and PACK_ID in html


@pytest.mark.slow
def test_an_html5_app_cannot_send_events_as_the_learner(tmp_path):
    """The app runs in an opaque origin (sandbox without allow-same-origin): what it could send
    carries Origin: null, and a plain-text body has no CSRF token; both are refused."""
    data = tmp_path / "data"
    data.mkdir()
    db = open_hub_db(data)
    install(db, data / "packs" / PACK_ID / "1.0.0")
    db.conn.close()
    with HubProcess(data) as hub:
        status, headers, _ = http("POST", hub.url + "/api/v1/learners", {"name": "Asha"})
        assert status == 201
        cookie = headers["Set-Cookie"].split(";", 1)[0]
        batch = {"events": [event("completed", resource=f"{PACK_ID}/stars")]}
        for extra in ({"Origin": "null"}, {"Content-Type": "text/plain"}):
            status, _, _ = http("POST", hub.url + "/api/v1/events", batch,
                                headers={"Cookie": cookie, **extra})
            assert status == 400, extra
        status, _, _ = http("POST", hub.url + "/api/v1/events", batch, headers={"Cookie": cookie})
        assert status == 200  # the hub's own page may
    db = open_hub_db(data)
    try:
        assert count(db, "SELECT count(*) FROM events") == 1
    finally:
        db.conn.close()


def test_api_resources_filter_by_pack(client, db, tmp_path, pack):
    install(db, tmp_path / "other", pack_id="org.test.other")
    mine = client.get(f"/api/v1/resources?pack={PACK_ID}&limit=100").get_json()["resources"]
    other = client.get("/api/v1/resources?pack=org.test.other&q=water").get_json()["resources"]
    assert mine and {r["pack_id"] for r in mine} == {PACK_ID}
    assert other and {r["pack_id"] for r in other} == {"org.test.other"}
    assert client.get("/api/v1/resources?pack=org.no.such").get_json() == {"resources": []}
