"""Kept learner pages (signed in, resource pages, visitors below Flask) are never stale and
never anyone else's.

What a user would check: after a child finishes something, answers, is given a lesson, checks
in or is renamed, the next page shows it; two children never see each other's page; a
facilitator's change shows at once; a resource page's form ids are fresh on every load and its
form token is the browser's own; a visitor opening a resource writes nothing.
"""
from __future__ import annotations

import re

import pytest

from hub.core import settings
from hub.learning import learners, lessons
from hub.web import page_cache, page_tokens
from tests.learning.test_learners_support import PACK, count, form, install_test_pack, sign_up


@pytest.fixture(autouse=True)
def empty_cache():
    page_cache.clear()
    yield
    page_cache.clear()


@pytest.fixture
def pack(db, data_dir):
    install_test_pack(db, data_dir)
    story = data_dir / "packs" / PACK / "articles"
    story.mkdir(parents=True, exist_ok=True)
    (story / "story.md").write_text("# A story\n\nOnce upon a time.", encoding="utf-8")
    return PACK


def _page(client, url="/", **kwargs) -> str:
    response = client.get(url, **kwargs)
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert page_tokens.CSRF not in body and page_tokens.ATTEMPT not in body
    return body


def _signed_in(app, name):
    client = app.test_client()
    learner = sign_up(client, name=name)
    return client, learner


def test_a_childs_home_shows_what_they_just_finished_and_is_a_304_when_unchanged(app, db, pack):
    child, _ = _signed_in(app, "Zawadi")
    _page(child)  # the check-in offer, once
    first = child.get("/")
    again = child.get("/")
    assert again.get_data() == first.get_data() and again.headers["ETag"] == first.headers["ETag"]
    assert child.get("/", headers={"If-None-Match": first.headers["ETag"]}).status_code == 304
    assert "Continue where you left off" not in first.get_data(as_text=True)
    before = _page(child, f"/packs/{PACK}")
    _page(child, f"/packs/{PACK}/story")  # started
    assert child.get("/", headers={"If-None-Match": first.headers["ETag"]}).status_code == 200
    assert "A story" in _page(child)  # continue where you left off
    started = _page(child, f"/packs/{PACK}")
    assert started != before
    assert form(child, f"/packs/{PACK}/story/done").status_code == 302
    assert "Well done! You finished it." in _page(child, f"/packs/{PACK}/story")  # shown once
    finished = _page(child, f"/packs/{PACK}")
    assert finished not in (before, started)
    assert _page(child, f"/packs/{PACK}") == finished  # kept again, with the finished mark


def test_an_answer_shows_on_the_next_resource_page(app, pack):
    child, _ = _signed_in(app, "Amani")
    before = _page(child, f"/packs/{PACK}/plain")
    assert "See how you did" not in before
    attempt = re.search(r'name="attempt" value="([0-9a-f-]{36})"', before).group(1)
    form(child, f"/packs/{PACK}/plain/question/one", {"answer": "2", "attempt": attempt})
    assert "See how you did" in _page(child, f"/packs/{PACK}/plain")


def test_a_lesson_given_a_rename_and_a_new_hub_name_show_at_once(app, db, pack):
    child, learner = _signed_in(app, "Baraka")
    _page(child)
    assert "Stories for today" not in _page(child)
    lessons.create(db, "Stories for today", resources=[f"{PACK}/story"], chosen=[learner["id"]])
    assert "Stories for today" in _page(child)
    learners.rename_learner(db, learner["id"], "Baraka M.")
    assert "Baraka M." in _page(child)
    settings.set(db, "hub_name", "Kibera Learning Hub")
    assert "Kibera Learning Hub" in _page(child)
    assert "Kibera Learning Hub" in _page(child, f"/packs/{PACK}/story")


def test_a_check_in_offer_is_shown_once_and_a_check_in_then_shows(app, pack):
    child, _ = _signed_in(app, "Neema")
    assert 'name="action"' in _page(child)  # today's offer
    assert 'name="action"' not in _page(child)  # offered: never served again from a kept page
    form(child, "/checkin", {"action": "5", "next": "/"})
    assert 'name="action"' not in _page(child)


def test_two_children_never_see_each_others_page(app, pack):
    one, _ = _signed_in(app, "Zawadi")
    two, _ = _signed_in(app, "Juma")
    for url in ("/", f"/packs/{PACK}", f"/packs/{PACK}/story", "/search?q=story"):
        first, second = _page(one, url), _page(two, url)
        assert "Zawadi" in first and "Juma" not in first
        assert "Juma" in second and "Zawadi" not in second
        assert "Zawadi" not in _page(app.test_client(), url)


def test_a_kept_resource_page_has_fresh_ids_and_this_browsers_own_token(app, db, pack):
    one, two = app.test_client(), app.test_client()
    url = f"/packs/{PACK}/story"
    pages = [_page(one, url), _page(one, url), _page(two, url)]
    attempts = [re.search(r'name="attempt" value="([^"]+)"', p).group(1) for p in pages]
    tokens = [re.search(r'name="csrf_token" value="([^"]+)"', p).group(1) for p in pages]
    assert len(set(attempts)) == 3
    assert tokens[0] == tokens[1] != tokens[2]
    # The token of a page served from the kept bytes works for its own browser only.
    done = f"/packs/{PACK}/story/done"
    assert two.post(done, data={"csrf_token": tokens[0], "attempt": attempts[2]}).status_code == 400
    assert two.post(done, data={"csrf_token": tokens[2], "attempt": attempts[2]}).status_code == 302


def test_a_visitor_opening_a_resource_writes_nothing_and_a_child_starts_it_once(app, db, pack):
    versions = db.execute("SELECT * FROM page_versions ORDER BY owner").fetchall()
    visitor = app.test_client(use_cookies=False)  # a browser that never returns the cookie
    for _ in range(3):
        _page(visitor, f"/packs/{PACK}/story")
    assert count(db, "SELECT count(*) FROM events") == 0
    assert db.execute("SELECT * FROM page_versions ORDER BY owner").fetchall() == versions
    returning = app.test_client()  # an anonymous session it returns starts the resource once
    for _ in range(3):
        _page(returning, f"/packs/{PACK}/story")
    assert count(db, "SELECT count(*) FROM events WHERE verb = 'started'") == 1
    child, learner = _signed_in(app, "Imani")
    for _ in range(3):
        assert "I finished this" in _page(child, f"/packs/{PACK}/story")
    actor = db.execute("SELECT actor FROM learners WHERE id = ?", [learner["id"]]).fetchone()[0]
    assert count(db, "SELECT count(*) FROM events WHERE verb = 'started' AND actor = ?", [actor]) == 1


def test_a_visitor_without_a_cookie_gets_the_new_page_after_a_change(app, db, pack):
    plain = app.test_client(use_cookies=False)
    first = plain.get("/")
    assert plain.get("/").get_data() == first.get_data()  # served below Flask
    assert plain.get("/", headers={"If-None-Match": first.headers["ETag"]}).status_code == 304
    settings.set(db, "hub_name", "Kibera Learning Hub")
    assert "Kibera Learning Hub" in plain.get("/").get_data(as_text=True)
    french = plain.get("/", headers={"Accept-Language": "fr"}).get_data(as_text=True)
    assert '<html lang="fr"' in french
    assert '<html lang="en"' in plain.get("/").get_data(as_text=True)
    assert "Set-Cookie" not in plain.get("/").headers


def test_an_error_page_never_shows_a_placeholder(app, pack):
    child, _ = _signed_in(app, "Zuri")
    missing = child.get(f"/packs/{PACK}/no-such-thing")
    assert missing.status_code == 404
    body = missing.get_data(as_text=True)
    assert page_tokens.CSRF not in body and page_tokens.ATTEMPT not in body


def test_a_removed_child_leaves_no_version_behind(app, db, pack):
    child, learner = _signed_in(app, "Rehema")
    _page(child, f"/packs/{PACK}/story")  # started: the child has a version
    actor = db.execute("SELECT actor FROM learners WHERE id = ?", [learner["id"]]).fetchone()[0]
    assert count(db, "SELECT count(*) FROM page_versions WHERE owner = ?", [actor]) == 1
    learners.delete_learner(db, learner["id"])
    assert count(db, "SELECT count(*) FROM page_versions WHERE owner = ?", [actor]) == 0
    assert "Rehema" not in _page(child)  # signed out, never the kept page


def test_a_page_that_sets_a_cookie_is_never_served_below_flask(app, pack):
    plain = app.test_client(use_cookies=False)
    url = f"/packs/{PACK}/story"
    first, second = plain.get(url), plain.get(url)
    # Each first visit gets its own anonymous session and form token, never a shared one.
    assert "Set-Cookie" in first.headers and "Set-Cookie" in second.headers
    assert first.headers["Set-Cookie"] != second.headers["Set-Cookie"]
    for _ in range(2):
        assert plain.get("/", headers={"Accept-Language": "fr-FR,fr;q=0.9"}).status_code == 200
    assert "Set-Cookie" not in plain.get("/", headers={"Accept-Language": "fr-FR,fr;q=0.9"}).headers
