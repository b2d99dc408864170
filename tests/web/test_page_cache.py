"""Learner pages as bytes: ETag/304 for a phone that comes back, kept pages that never go stale.

What a user would check: a revisit costs a 304 and no page; a pack installed or a hub renamed
shows on the very next page; a signed-in child never sees another's page, and a visitor never
sees a child's; a message shown once is shown once.
"""
from __future__ import annotations

import pytest

from hub.core import settings
from hub.core.bytecache import ByteBoundedCache
from hub.web import page_cache
from tests.catalog.test_catalog_support import install
from tests.learning.test_learners_support import sign_up


@pytest.fixture(autouse=True)
def empty_cache():
    page_cache.clear()
    yield
    page_cache.clear()


@pytest.fixture
def pack(db, tmp_path):
    return install(db, tmp_path / "pack")


def test_a_phone_that_comes_back_gets_a_304_and_no_page(client, pack):
    first = client.get("/")
    assert first.status_code == 200 and first.headers["ETag"]
    assert "no-cache" in first.headers["Cache-Control"]
    again = client.get("/", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304 and again.data == b""
    page = client.get(f"/packs/{pack['id']}")
    assert client.get(f"/packs/{pack['id']}",
                      headers={"If-None-Match": page.headers["ETag"]}).status_code == 304


def test_a_page_with_a_one_time_form_id_is_never_a_304(client, pack):
    # A resource page carries fresh attempt ids: a phone re-using an old page would send an
    # answer under an id already used, and the hub would take it for a duplicate.
    url = f"/packs/{pack['id']}/water-en"
    page = client.get(url)
    assert page.status_code == 200 and 'name="attempt"' in page.get_data(as_text=True)
    assert client.get(url, headers={"If-None-Match": page.headers["ETag"]}).status_code == 200


def test_a_kept_page_is_the_same_page_for_the_next_visitor(app, pack):
    one, two = app.test_client(), app.test_client()
    first = one.get("/")
    second = two.get("/")
    assert second.data == first.data
    assert second.headers["ETag"] == first.headers["ETag"]
    assert "Set-Cookie" not in second.headers  # a visitor's page hands out no one's session


def test_a_new_pack_and_a_new_hub_name_show_on_the_next_page(client, db, pack, tmp_path):
    assert "Health at home" in client.get("/").get_data(as_text=True)
    # Installed by another connection, as `hub packs install` in another process would.
    install(db, tmp_path / "second", pack_id="org.test.second", title={"en": "Counting songs"})
    assert "Counting songs" in client.get("/").get_data(as_text=True)
    settings.set(db, "hub_name", "Kibera Learning Hub")
    assert "Kibera Learning Hub" in client.get("/").get_data(as_text=True)
    query = client.get("/search?q=counting").get_data(as_text=True)
    db.execute("UPDATE packs SET enabled = 0 WHERE id = 'org.test.second'")
    assert "Counting songs" not in client.get("/").get_data(as_text=True)
    assert client.get("/search?q=counting").get_data(as_text=True) != query


def test_each_language_has_its_own_page(client, pack):
    english = client.get("/", headers={"Accept-Language": "en"}).get_data(as_text=True)
    french = client.get("/", headers={"Accept-Language": "fr"}).get_data(as_text=True)
    assert 'lang="en"' in english and 'lang="fr"' in french
    assert "La santé à la maison" in french and "La santé à la maison" not in english


def test_a_signed_in_child_and_a_visitor_never_share_a_page(app, pack):
    visitor = app.test_client()
    visitor_home = visitor.get("/").get_data(as_text=True)
    child = app.test_client()
    sign_up(child, name="Zawadi")
    child_home = child.get("/").get_data(as_text=True)
    assert "My learning" in child_home and "My learning" not in visitor_home
    assert "Zawadi" not in visitor.get("/").get_data(as_text=True)
    # The child's page carries its own form token: never the visitor's, never kept for others.
    assert "My learning" not in app.test_client().get("/").get_data(as_text=True)


def test_a_message_is_shown_once_even_on_a_kept_page(client, pack):
    client.get("/")  # kept
    with client.session_transaction() as session:
        session["_flashes"] = [("message", "Thank you for telling us how you feel.")]
    assert "Thank you for telling us" in client.get("/").get_data(as_text=True)
    assert "Thank you for telling us" not in client.get("/").get_data(as_text=True)


def test_the_cache_is_bounded_in_bytes(client, pack, monkeypatch):
    monkeypatch.setattr(page_cache, "_pages", ByteBoundedCache(200_000, max_entry_bytes=200_000 // 8))
    for n in range(40):
        assert client.get(f"/search?q=water{n}").status_code == 200
    assert page_cache._pages.held_bytes() <= 200_000
