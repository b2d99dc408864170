"""First run: the setup page names the hub and creates the first admin, once."""
from __future__ import annotations

from hub.accounts import facilitators
from hub.core import settings
from tests.helpers import csrf_from
from tests.web.test_facilitator_support import _fresh_login_limits  # noqa: F401

FORM = {"hub_name": "Kibera Learning Hub", "default_locale": "sw", "timezone": "Africa/Nairobi",
        "username": "amina", "password": "long enough pw", "password_again": "long enough pw"}


def _setup(client, **changes):
    client.get("/setup")
    return client.post("/setup", data={**FORM, **changes, "csrf_token": csrf_from(client)})


def test_setup_creates_the_admin_stores_the_settings_and_signs_in(client, db):
    page = client.get("/setup")
    assert page.status_code == 200
    for field in ("hub_name", "default_locale", "timezone", "username", "password"):
        assert f'name="{field}"'.encode() in page.data
    response = _setup(client)
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/facilitator/")
    account = facilitators.list_all(db)[0]
    assert (account["username"], account["role"]) == ("amina", "admin")
    assert settings.get(db, "hub_name") == "Kibera Learning Hub"
    assert settings.get(db, "default_locale") == "sw"
    assert settings.get(db, "timezone") == "Africa/Nairobi"
    # Signed in straight away, and the hub's name is on every page.
    overview = client.get("/facilitator/")
    assert overview.status_code == 200
    assert b"Kibera Learning Hub" in overview.data


def test_setup_is_gone_once_done(client, db):
    assert _setup(client).status_code == 302
    assert client.get("/setup").status_code == 404
    response = _setup(client, username="intruder")
    assert response.status_code == 404
    assert [a["username"] for a in facilitators.list_all(db)] == ["amina"]


def test_setup_is_gone_after_the_cli_made_an_account(client, db):
    facilitators.create(db, "amina", "long enough pw")
    assert client.get("/setup").status_code == 404


def test_bad_setup_input_is_explained_and_changes_nothing(client, db):
    response = _setup(client, timezone="Mars/Olympus", password_again="different pw",
                      hub_name="", username="a b")
    assert response.status_code == 400
    text = response.get_data(as_text=True)
    assert "Choose a time zone" in text
    assert "The two passwords are not the same." in text
    assert "Give the hub a name" in text
    assert 'aria-invalid="true"' in text
    assert not facilitators.exists(db)
    assert settings.get(db, "hub_name") == settings.DEFAULTS["hub_name"]


def test_setup_without_csrf_token_is_refused(client, db):
    client.get("/setup")
    assert client.post("/setup", data=FORM).status_code == 400
    assert not facilitators.exists(db)


def test_setup_page_in_arabic_is_right_to_left(client):
    client.set_cookie("hub_lang", "ar")
    assert b'<html lang="ar" dir="rtl">' in client.get("/setup").data


def test_the_learner_home_points_to_setup_until_it_is_done(app, db):
    visitor = app.test_client()
    page = visitor.get("/").get_data(as_text=True)
    assert 'href="/setup"' in page and "This hub is new" in page
    _setup(app.test_client())
    page = visitor.get("/").get_data(as_text=True)
    assert 'href="/setup"' not in page and "This hub is new" not in page
