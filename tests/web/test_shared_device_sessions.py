"""A shared laptop keeps each person's session their own: a child never inherits the console,
a facilitator session ends when left idle or when its password changes (issue 17)."""
from __future__ import annotations

import datetime as dt

from hub.accounts import facilitators
from hub.core import settings
from hub.learning import learners
from tests.web.test_facilitator_support import PASSWORD, make_account, post, sign_in  # noqa: F401
from tests.web.test_facilitator_support import _fresh_login_limits  # noqa: F401

T0 = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.timezone.utc)


def _console_open(client) -> bool:
    return client.get("/facilitator/learners").status_code == 200


def test_a_child_signing_in_on_the_facilitators_browser_closes_the_console(client, db):
    make_account(db)
    kofi = learners.create_learner(db, "Kofi", avatar="star")
    assert sign_in(client).status_code == 302 and _console_open(client)
    assert post(client, f"/signin/{kofi['id']}").status_code == 302
    assert "Kofi" in client.get("/me").get_data(as_text=True)
    response = client.get("/facilitator/learners")
    assert response.status_code == 302 and "/facilitator/login" in response.headers["Location"]
    assert post(client, "/facilitator/learners", {"name": "Sneaky"}).status_code == 403


def test_a_facilitator_signing_in_ends_the_childs_session(client, db):
    make_account(db)
    kofi = learners.create_learner(db, "Kofi", avatar="star")
    post(client, f"/signin/{kofi['id']}")
    sign_in(client)
    assert _console_open(client)
    assert client.get("/me").status_code == 302  # no learner any more: asked to sign in


def test_an_idle_console_signs_itself_out(client, db, clock_at):
    make_account(db)
    clock_at(T0)
    sign_in(client)
    clock_at(T0 + dt.timedelta(minutes=29))
    assert _console_open(client)  # use keeps it open...
    clock_at(T0 + dt.timedelta(minutes=29 + 29))
    assert _console_open(client)
    clock_at(T0 + dt.timedelta(minutes=29 + 29 + 31))  # ...31 minutes without use closes it
    assert not _console_open(client)
    clock_at(T0 + dt.timedelta(minutes=29 + 29 + 32))
    assert not _console_open(client)  # and it stays closed


def test_the_idle_time_is_a_setting(client, db, clock_at):
    make_account(db)
    clock_at(T0)
    sign_in(client)
    response = post(client, "/facilitator/settings", {
        "hub_name": "Hub", "default_locale": "en", "timezone": "UTC",
        "signin_list": "groups", "facilitator_idle_minutes": "120"})
    assert response.status_code == 302
    assert settings.get(db, "facilitator_idle_minutes") == 120
    clock_at(T0 + dt.timedelta(minutes=100))
    assert _console_open(client)
    bad = post(client, "/facilitator/settings", {
        "hub_name": "Hub", "default_locale": "en", "timezone": "UTC",
        "signin_list": "everyone", "facilitator_idle_minutes": "0"})
    assert bad.status_code == 400
    assert settings.get(db, "facilitator_idle_minutes") == 120
    assert settings.get(db, "signin_list") == "groups"


def test_changing_your_own_password_keeps_you_in_and_ends_other_sessions(app, db):
    make_account(db)
    here, elsewhere = app.test_client(), app.test_client()
    sign_in(here)
    sign_in(elsewhere)
    wrong = post(here, "/facilitator/password", {"current_password": "not it at all",
                                                 "new_password": "a new long password"})
    assert wrong.status_code == 400 and "not right" in wrong.get_data(as_text=True)
    short = post(here, "/facilitator/password", {"current_password": PASSWORD, "new_password": "short"})
    assert short.status_code == 400
    assert facilitators.authenticate(db, "amina", PASSWORD) is not None  # nothing changed
    done = post(here, "/facilitator/password", {"current_password": PASSWORD,
                                                "new_password": "a new long password"})
    assert done.status_code == 302
    assert _console_open(here) and not _console_open(elsewhere)
    assert facilitators.authenticate(db, "amina", "a new long password") is not None


def test_an_admin_resets_another_password_and_a_facilitator_cannot(app, db):
    make_account(db)
    tomas = make_account(db, "tomas", "facilitator")
    admin, helper = app.test_client(), app.test_client()
    sign_in(admin)
    sign_in(helper, "tomas")
    refused = post(helper, "/facilitator/accounts/1/password", {"password": "taken over now"})
    assert refused.status_code == 403
    assert post(admin, f"/facilitator/accounts/{tomas['id']}/password",
                {"password": "short"}).status_code == 400
    assert post(admin, f"/facilitator/accounts/{tomas['id']}/password",
                {"password": "a fresh password"}).status_code == 302
    assert not _console_open(helper)  # the reset ended tomas's session
    assert facilitators.authenticate(db, "tomas", "a fresh password") is not None
    assert post(admin, "/facilitator/accounts/99/password", {"password": "whatever long"}).status_code == 404


def test_hub_facilitators_passwd_sets_a_password_from_stdin(runner, data_dir):
    from hub.core.db import open_hub_db

    assert runner.invoke(["facilitators", "add", "amina", "--password-stdin"],
                         input=PASSWORD + "\n").exit_code == 0
    result = runner.invoke(["facilitators", "passwd", "amina", "--password-stdin"],
                           input="a changed password\n")
    assert result.exit_code == 0, result.output
    db = open_hub_db(data_dir)
    assert facilitators.authenticate(db, "amina", "a changed password") is not None
    result = runner.invoke(["facilitators", "passwd", "amina", "--password-stdin"], input="short\n")
    assert result.exit_code == 1 and "password:" in result.output
    result = runner.invoke(["facilitators", "passwd", "nobody", "--password-stdin"], input="long enough\n")
    assert result.exit_code == 1 and "username:" in result.output
    assert facilitators.authenticate(db, "amina", "a changed password") is not None
    db.conn.close()


def test_a_hub_that_lists_no_names_shows_none(client, db):
    make_account(db)
    group = learners.create_group(db, "Class 3")
    kofi = learners.create_learner(db, "Kofi Mensah", avatar="owl", pin="4321")
    learners.add_to_group(db, group["id"], kofi["id"])
    settings.set(db, "signin_list", "typed")
    page = client.get("/signin").get_data(as_text=True)
    assert "Kofi" not in page and "Class 3" not in page and "Type your name" in page
    for probe in ("/signin?q=K", "/signin?q=kofi", f"/signin?group={group['id']}",
                  f"/signin/{kofi['id']}"):
        response = client.get(probe)
        assert "Kofi" not in response.get_data(as_text=True), probe
    found = client.get("/signin?q=kofi+mensah").get_data(as_text=True)
    assert "Kofi Mensah" in found
    assert client.get(f"/signin/{kofi['id']}?name=kofi+mensah").status_code == 200
    # The PIN form carries the typed name, so signing in works as before.
    signed = post(client, f"/signin/{kofi['id']}", {"name": "Kofi Mensah", "pin": "4321"})
    assert signed.status_code == 302
    assert "Kofi" in client.get("/me").get_data(as_text=True)


def test_the_api_names_no_one_by_id_when_names_are_hidden(client, db):
    settings.set(db, "signin_list", "typed")
    ama = learners.create_learner(db, "Ama Owusu", avatar="cat")  # no PIN
    kofi = learners.create_learner(db, "Kofi Mensah", avatar="owl", pin="4321")
    for body in ({"learner": ama["id"]}, {"learner": kofi["id"]}, {"learner": ama["id"], "name": "Ama"},
                 {"learner": 999, "name": "Ama Owusu"}):
        answer = client.post("/api/v1/session", json=body)
        # Every miss looks alike: no name, no "needs a PIN", so counting ids finds no one.
        assert answer.status_code == 404 and "Ama" not in answer.get_data(as_text=True), body
    assert client.get("/api/v1/session").get_json()["learner"] is None
    signed = client.post("/api/v1/session", json={"learner": ama["id"], "name": " ama  owusu "})
    assert signed.status_code == 200 and signed.get_json()["name"] == "Ama Owusu"
    wrong_pin = client.post("/api/v1/session", json={"learner": kofi["id"], "name": "Kofi Mensah",
                                                      "pin": "0000"})
    assert wrong_pin.status_code == 401


def test_the_console_copies_the_newest_backup_to_a_usb_stick(app, db, tmp_path):
    stick = tmp_path / "stick"
    stick.mkdir()
    app.config["HUB_USB_MOUNTS"] = str(stick)
    app.config["HUB_DISK_RESERVE_MB"] = 0
    make_account(db)
    client = app.test_client()
    sign_in(client)
    assert "Copy the newest backup" in client.get("/facilitator/settings").get_data(as_text=True)
    response = post(client, "/facilitator/backups/usb")
    assert response.status_code == 302
    (copied,) = (stick / "hub-backups").glob("hub-*.db.gz")
    assert "copied" in client.get("/facilitator/settings").get_data(as_text=True)
    app.config["HUB_USB_MOUNTS"] = str(tmp_path / "not-plugged-in")
    post(client, "/facilitator/backups/usb")
    assert "No USB stick" in client.get("/facilitator/settings").get_data(as_text=True)


def test_a_pin_changed_by_the_facilitator_signs_out_every_phone_on_the_profile(app, client, db):
    """Amina's friend learned her PIN and signed in as her on his phone: her facilitator gives
    her a new PIN, and from the next page neither phone is Amina's until she types the new one."""
    make_account(db)
    amina = learners.create_learner(db, "Amina", avatar="star", pin="1234")
    hers, friends = app.test_client(), app.test_client()
    for phone in (hers, friends):
        assert post(phone, f"/signin/{amina['id']}", {"pin": "1234"}).status_code == 302
        assert phone.get("/me").status_code == 200
        for _ in range(3):  # the home page seen again: kept, then answered below Flask
            assert "Amina" in phone.get("/").get_data(as_text=True)
    sign_in(client)
    assert post(client, f"/facilitator/learners/{amina['id']}/pin", {"pin": "9876"}).status_code == 302
    for phone in (hers, friends):
        page = phone.get("/", follow_redirects=True).get_data(as_text=True)
        assert "The PIN of this profile was changed, so this device was signed out." in page
        assert phone.get("/me").status_code == 302  # asked to sign in
    assert post(friends, f"/signin/{amina['id']}", {"pin": "1234"}).status_code == 401
    assert post(hers, f"/signin/{amina['id']}", {"pin": "9876"}).status_code == 302
    assert hers.get("/me").status_code == 200
    # Removing the PIN ends her sign-in too (a profile without a PIN is anyone's to open).
    assert post(client, f"/facilitator/learners/{amina['id']}/pin", {"pin": ""}).status_code == 302
    assert hers.get("/me").status_code == 302
    # Her other changes (a new avatar) keep her signed in.
    assert post(hers, f"/signin/{amina['id']}").status_code == 302
    learners.update_learner(db, amina["id"], avatar="moon")
    assert hers.get("/me").status_code == 200


def test_a_copy_of_the_consoles_cookie_opens_nothing_after_the_sign_out(app, client, db, clock_at):
    """Someone on the Wi-Fi (or another tab) kept the console's cookie: signing out ends it,
    and every older cookie of the same sign-in too (the text changes as the console is used)."""
    make_account(db)
    clock_at(T0)
    sign_in(client)
    assert _console_open(client)
    early = client.get_cookie("hub_session").value
    clock_at(T0 + dt.timedelta(minutes=5))
    assert _console_open(client)  # the moment last seen is written again: a new cookie text
    copied = client.get_cookie("hub_session").value
    assert copied != early
    assert post(client, "/facilitator/logout").status_code == 302
    assert not _console_open(client)
    for kept in (copied, early):
        stranger = app.test_client()
        stranger.set_cookie("hub_session", kept)
        assert not _console_open(stranger)
        assert post(stranger, "/facilitator/learners", {"name": "Sneaky"}).status_code in (302, 400, 403)
    assert learners.list_learners(db) == []
