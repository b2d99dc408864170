"""Kept pages of sessions and first visits answered below Flask, over real HTTP (waitress on
loopback), never stale and never anyone else's.

What a user would check: a child's next page shows what they just did (finished, answered,
checked in, were renamed, were given a lesson, a pack hidden); two children never see each
other's page; a cookie that was signed out, tampered with or is too old never opens a kept
page; a resource page's form ids are fresh on every load, its token is the browser's own and
a form sent with them works; a phone that has the page gets a 304; a first visit gets its own
new session whose form works; nothing a visitor opens is written.
"""
from __future__ import annotations

import datetime as dt
import http.client
import json
import re
import threading
from urllib.parse import urlencode

import pytest
from waitress import wasyncore
from waitress.server import create_server

from hub.catalog import store as catalog
from hub.core import clock, settings
from hub.learning import learners, lessons
from hub.web import page_tokens
from tests.learning.test_learners_support import PACK, count
from tests.web.test_kept_learner_pages import empty_cache, pack  # noqa: F401 - the same fixtures

STORY = f"/packs/{PACK}/story"


@pytest.fixture
def flask_asked(app):
    """How many requests reached Flask (the rest were answered by the middleware in front)."""
    calls = [0]
    below = app.wsgi_app.app  # the visitors' fast path; Flask's own wsgi_app behind it
    flask_wsgi = below.app

    def counting(environ, start_response):
        calls[0] += 1
        return flask_wsgi(environ, start_response)

    below.app = counting
    return calls


@pytest.fixture
def port(app, flask_asked):
    """The app under a real waitress server on a free loopback port."""
    server = create_server(app, host="127.0.0.1", port=0, threads=4, clear_untrusted_proxy_headers=True)
    stopping = threading.Event()

    def serve():
        # waitress's loop, one poll at a time, so that stopping needs no trigger from this thread
        # (pulling it at teardown once met an already closed pipe); everything closes in here.
        while not stopping.is_set():
            wasyncore.loop(timeout=0.05, map=server._map, count=1)
        server.task_dispatcher.shutdown()
        wasyncore.close_all(server._map)

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield server.effective_port
    stopping.set()
    thread.join(10)


class Browser:
    """A phone's browser over real HTTP: keeps the cookies it is given (or not)."""

    def __init__(self, port: int, keeps_cookies: bool = True):
        self.port, self.keeps_cookies, self.cookies = port, keeps_cookies, {}

    def ask(self, method: str, path: str, form: dict | None = None, body=None,
            headers: dict | None = None):
        """(status, headers, text) of one request."""
        sent = dict(headers or {})
        if self.cookies and "Cookie" not in sent:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if form is not None:
            body = urlencode(form, doseq=True)
            sent["Content-Type"] = "application/x-www-form-urlencoded"
        elif body is not None:
            body = json.dumps(body)
            sent["Content-Type"] = "application/json"
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        try:
            conn.request(method, path, body=body, headers=sent)
            response = conn.getresponse()
            text = response.read().decode()
        finally:
            conn.close()
        for line in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = line.partition("=")
            if self.keeps_cookies:
                self.cookies[name] = rest.split(";", 1)[0]
        return response.status, response.headers, text

    def page(self, path: str = "/", **kwargs) -> str:
        """A page that must be there; no placeholder ever shows."""
        status, _, text = self.ask("GET", path, **kwargs)
        assert status == 200, (path, status)
        assert page_tokens.CSRF not in text and page_tokens.ATTEMPT not in text
        return text

    def post_form(self, path: str, page: str, **fields) -> int:
        """Send a form with the token (and attempt id) the page carries; return the status."""
        token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
        return self.ask("POST", path, form={"csrf_token": token, **fields})[0]


def _signed_up(port: int, name: str) -> tuple[Browser, dict]:
    phone = Browser(port)
    status, _, text = phone.ask("POST", "/api/v1/learners", body={"name": name})
    assert status == 201, text
    phone.page()  # today's check-in offer, once
    return phone, json.loads(text)


def _attempt(page: str) -> str:
    return re.search(r'name="attempt" value="([0-9a-f-]{36})"', page).group(1)


def test_a_childs_kept_pages_show_each_change_on_the_very_next_page(port, db, pack, flask_asked):
    child, learner = _signed_up(port, "Zawadi")
    home = child.page()
    asked = flask_asked[0]
    assert child.page() == home and child.page(f"/packs/{PACK}") == child.page(f"/packs/{PACK}")
    assert flask_asked[0] == asked + 1  # the pack page once; the rest below Flask
    story = child.page(STORY)  # started
    assert "A story" in child.page()  # continue where you left off
    story = child.page(STORY)
    assert child.post_form(f"{STORY}/done", story, attempt=_attempt(story)) == 302
    assert "Well done! You finished it." in child.page(STORY)
    finished = child.page(f"/packs/{PACK}")
    assert child.page(f"/packs/{PACK}") == finished
    plain = child.page(f"/packs/{PACK}/plain")
    assert "See how you did" not in child.page(f"/packs/{PACK}/plain")
    child.post_form(f"/packs/{PACK}/plain/question/one", plain, answer="2", attempt=_attempt(plain))
    assert "See how you did" in child.page(f"/packs/{PACK}/plain")
    lessons.create(db, "Stories for today", resources=[f"{PACK}/story"], chosen=[learner["id"]])
    assert "Stories for today" in child.page()
    learners.rename_learner(db, learner["id"], "Zawadi M.")
    assert "Zawadi M." in child.page() and "Zawadi M." in child.page(STORY)
    settings.set(db, "hub_name", "Kibera Learning Hub")
    assert "Kibera Learning Hub" in child.page(STORY)
    catalog.set_enabled(db, PACK, False)
    assert child.ask("GET", STORY)[0] == 404 and "Test pack" not in child.page()


def test_a_check_in_shows_on_the_next_kept_page(port, pack):
    child = Browser(port)
    assert child.ask("POST", "/api/v1/learners", body={"name": "Neema"})[0] == 201
    first = child.page()
    assert 'name="action"' in first  # today's offer, once
    home = child.page()
    assert 'name="action"' not in home and child.page() == home
    assert child.post_form("/checkin", home, action="5", next="/") == 302
    assert "Thank you for telling us how you feel." in child.page()


def test_two_children_never_see_each_others_kept_page(port, pack, flask_asked):
    one, _ = _signed_up(port, "Zawadi")
    two, _ = _signed_up(port, "Juma")
    for url in ("/", f"/packs/{PACK}", STORY, "/search?q=story"):
        for _ in range(3):  # rendered, kept, then answered below Flask
            first, second = one.page(url), two.page(url)
            assert "Zawadi" in first and "Juma" not in first
            assert "Juma" in second and "Zawadi" not in second
            assert "Zawadi" not in Browser(port).page(url)
    one.page(), two.page()  # home again, since opening the story was a `started` each
    asked = flask_asked[0]
    assert "Zawadi" in one.page() and "Juma" in two.page()
    assert flask_asked[0] == asked


def test_a_signed_out_or_tampered_cookie_never_opens_a_kept_page(port, pack, flask_asked):
    child, _ = _signed_up(port, "Rehema")
    home = child.page()
    assert "Rehema" in child.page()
    kept_cookie = dict(child.cookies)
    value = kept_cookie["hub_session"]
    tampered = value[:-2] + ("AA" if not value.endswith("AA") else "BB")
    assert "Rehema" not in child.page(headers={"Cookie": f"hub_session={tampered}"})
    assert child.post_form("/signout", home, next="/") == 302
    assert "Rehema" not in child.page()
    # A copy of the cookie from before the sign-out (another tab, a proxy) opens nothing.
    stale = Browser(port)
    stale.cookies = kept_cookie
    for _ in range(2):
        assert "Rehema" not in stale.page() and "Rehema" not in stale.page(STORY)


def test_a_cookie_too_old_goes_to_flask_and_an_expired_one_opens_nothing(port, pack, clock_at):
    child, _ = _signed_up(port, "Imani")
    assert "Imani" in child.page() and "Imani" in child.page()
    cookie = child.cookies["hub_session"]
    clock_at(clock.now() + dt.timedelta(days=2))  # a lasting session is signed again after a day
    status, headers, text = child.ask("GET", "/")
    assert status == 200 and "Imani" in text and "hub_session=" in headers.get("Set-Cookie", "")
    old = Browser(port)
    old.cookies = {"hub_session": cookie}
    clock_at(clock.now() + dt.timedelta(days=91))  # past the 90 days of a session
    assert "Imani" not in old.page() and "Imani" not in old.page()


def test_a_removed_child_never_gets_the_kept_page(port, db, pack):
    child, learner = _signed_up(port, "Baraka")
    assert "Baraka" in child.page() and "Baraka" in child.page()
    learners.delete_learner(db, learner["id"])
    assert "Baraka" not in child.page()


def test_a_kept_resource_page_has_fresh_ids_this_browsers_token_and_its_form_works(port, db, pack,
                                                                                 flask_asked):
    child, learner = _signed_up(port, "Amani")
    child.page(STORY)  # started
    child.page(STORY)
    asked = flask_asked[0]
    pages = [child.page(STORY) for _ in range(3)]
    assert flask_asked[0] == asked  # answered below Flask
    tokens = {re.search(r'name="csrf_token" value="([^"]+)"', p).group(1) for p in pages}
    assert len(tokens) == 1
    attempts = [_attempt(p) for p in pages]
    assert len(set(attempts)) == 3
    other = Browser(port)
    other_page = other.page(STORY)
    assert child.post_form(f"{STORY}/done", other_page, attempt=attempts[0]) == 400  # not its token
    assert child.post_form(f"{STORY}/done", pages[0], attempt=attempts[0]) == 302
    assert child.post_form(f"{STORY}/done", pages[0], attempt=attempts[0]) == 302  # sent twice
    actor = db.execute("SELECT actor FROM learners WHERE id = ?", [learner["id"]]).fetchone()[0]
    assert count(db, "SELECT count(*) FROM events WHERE verb = 'completed' AND actor = ?", [actor]) == 1


def test_a_kept_signed_in_page_is_a_304_until_it_changes(port, db, pack, flask_asked):
    child, learner = _signed_up(port, "Asha")
    child.page()
    status, headers, _ = child.ask("GET", "/")
    etag = headers["ETag"]
    asked = flask_asked[0]
    status, headers, text = child.ask("GET", "/", headers={"If-None-Match": etag})
    assert status == 304 and text == "" and headers["ETag"] == etag
    assert "private" in headers["Cache-Control"] and flask_asked[0] == asked
    learners.rename_learner(db, learner["id"], "Asha K.")
    status, headers, text = child.ask("GET", "/", headers={"If-None-Match": etag})
    assert status == 200 and "Asha K." in text and headers["ETag"] != etag


def test_a_first_visit_gets_its_own_session_and_its_form_works(port, db, pack, flask_asked):
    versions = db.execute("SELECT * FROM page_versions ORDER BY owner").fetchall()
    visits = [Browser(port, keeps_cookies=False).ask("GET", STORY) for _ in range(4)]
    assert flask_asked[0] == 1  # the first rendered; the others below Flask
    cookies = [headers["Set-Cookie"] for _, headers, _ in visits]
    assert len({c.split(";", 1)[0] for c in cookies}) == 4
    attributes = {frozenset(part.strip().lower() for part in c.split(";")[1:]
                            if not part.strip().lower().startswith("expires")) for c in cookies}
    assert attributes == {frozenset({"httponly", "path=/", "samesite=lax"})}  # Flask's, each time
    assert len({_attempt(text) for _, _, text in visits}) == 4
    assert all(headers["Vary"] == "Cookie" for _, headers, _ in visits)
    assert count(db, "SELECT count(*) FROM events") == 0
    assert db.execute("SELECT * FROM page_versions ORDER BY owner").fetchall() == versions
    # A phone keeps the cookie of a page answered below Flask: its form works for it alone.
    phone = Browser(port)
    page = phone.page(STORY)
    assert Browser(port).post_form(f"{STORY}/done", page, attempt=_attempt(page)) == 400
    assert phone.post_form(f"{STORY}/done", page, attempt=_attempt(page)) == 302
    assert count(db, "SELECT count(*) FROM events WHERE verb = 'completed'") == 1
    assert "Well done! You finished it." in phone.page(STORY)


def test_on_a_shared_device_an_idle_child_is_signed_out_not_served_a_kept_page(port, db, pack,
                                                                               clock_at):
    clock_at(dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.timezone.utc))
    child, _ = _signed_up(port, "Juma")
    assert "Juma" in child.page() and "Juma" in child.page()
    settings.set(db, "shared_device_idle_minutes", 5)
    assert "Juma" in child.page()  # the first page after counts from now
    assert "Juma" in child.page()
    clock_at(dt.datetime(2026, 3, 2, 9, 10, tzinfo=dt.timezone.utc))
    text = child.page()
    assert "Juma" not in text and "signed out" in text


def test_the_next_day_the_check_in_is_offered_again_not_the_kept_page(port, pack, clock_at):
    clock_at(dt.datetime(2026, 3, 2, 23, 58, tzinfo=dt.timezone.utc))
    child, _ = _signed_up(port, "Neema")
    home = child.page()
    assert 'name="action"' not in home and child.page() == home
    clock_at(dt.datetime(2026, 3, 3, 0, 0, 30, tzinfo=dt.timezone.utc))
    assert 'name="action"' in child.page()  # a new day: today's offer


def test_a_child_who_signs_out_and_in_again_at_once_is_signed_in(port, pack):
    child, learner = _signed_up(port, "Zuri")
    for _ in range(3):  # within a second: the new cookie is never the refused one
        assert child.ask("DELETE", "/api/v1/session")[0] == 200
        assert "Zuri" not in child.page()
        assert child.ask("POST", "/api/v1/session", body={"learner": learner["id"]})[0] == 200
        assert "Zuri" in child.page() and "Zuri" in child.page()
