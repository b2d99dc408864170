"""Learner profiles: names, avatars, groups, PINs (hashed, rate-limited), sign-up and sign-in
through the contract API, and one learner never reaching another's data."""
from __future__ import annotations

import datetime as dt

import pytest

from hub.learning import learners
from hub.core import settings
from tests.learning.test_learners_support import PACK, count, event, form, install_test_pack, sign_up


@pytest.fixture
def pack(db, data_dir):
    install_test_pack(db, data_dir)


def test_profiles_have_name_avatar_language_and_random_actor(db):
    amina = learners.create_learner(db, "  Amina   K. ", avatar="owl", language="sw")
    assert (amina["name"], amina["avatar"], amina["language"]) == ("Amina K.", "owl", "sw")
    assert amina["actor"].startswith("L") and "Amina" not in amina["actor"]
    assert learners.create_learner(db, "Baraka")["avatar"] in learners.AVATARS
    assert [x["name"] for x in learners.list_learners(db, q="amina")] == ["Amina K."]
    assert learners.list_learners(db, q="%") == []  # LIKE wildcards are plain text


@pytest.mark.parametrize("name, avatar, language, pin, field", [
    ("", None, None, None, "name"),
    ("x" * 41, None, None, None, "name"),
    ("Bad\x00name", None, None, None, "name"),
    ("Zuri", "dragon", None, None, "avatar"),
    ("Zuri", None, "english please", None, "language"),
    ("Zuri", None, None, "12345", "pin"),
    ("Zuri", None, None, "12a4", "pin"),
], ids=["empty", "too long", "control char", "unknown avatar", "bad language", "long pin", "letters"])
def test_bad_profiles_are_refused_and_change_nothing(db, name, avatar, language, pin, field):
    with pytest.raises(learners.LearnerError, match=f"^{field}:"):
        learners.create_learner(db, name, avatar=avatar, language=language, pin=pin)
    assert learners.list_learners(db) == []


def test_names_are_unique_without_regard_to_case(db):
    learners.create_learner(db, "Neema")
    with pytest.raises(learners.LearnerError, match="taken"):
        learners.create_learner(db, "NEEMA")
    other = learners.create_learner(db, "Neema B")
    with pytest.raises(learners.LearnerError, match="taken"):
        learners.rename_learner(db, other["id"], "neema")


def test_groups_hold_members_and_removing_a_group_keeps_its_learners(db):
    a, b = learners.create_learner(db, "Asha"), learners.create_learner(db, "Bahati")
    group = learners.create_group(db, "Class 3")
    learners.add_to_group(db, group["id"], a["id"])
    learners.add_to_group(db, group["id"], a["id"])  # twice is once
    assert learners.list_groups(db) == [{"id": group["id"], "name": "Class 3", "members": 1}]
    assert [x["id"] for x in learners.list_learners(db, group_id=group["id"])] == [a["id"]]
    with pytest.raises(learners.LearnerError):
        learners.create_group(db, "Class 3")
    learners.rename_group(db, group["id"], "Class 4")
    learners.remove_from_group(db, group["id"], a["id"])
    assert learners.list_learners(db, group_id=group["id"]) == []
    learners.delete_group(db, group["id"])
    assert learners.list_groups(db) == [] and len(learners.list_learners(db)) == 2
    assert b["id"] != a["id"]


def test_deleting_a_learner_keeps_only_anonymous_events(client, db, pack):
    learner = sign_up(client, "Neema")
    client.post("/api/v1/events", json={"events": [event(), event("completed")]})
    group = learners.create_group(db, "Club")
    learners.add_to_group(db, group["id"], learner["id"])
    actor = learners.get_learner(db, learner["id"])["actor"]
    learners.delete_learner(db, learner["id"])
    assert learners.get_learner(db, learner["id"]) is None
    assert count(db, "SELECT count(*) FROM progress WHERE actor = ?", [actor]) == 0
    assert count(db, "SELECT count(*) FROM group_members") == 0
    assert count(db, "SELECT count(*) FROM events") == 2
    # The old cookie no longer opens anything, even if a new learner gets the same row id.
    newcomer = learners.create_learner(db, "Someone else")
    assert client.get("/me").status_code == 302
    assert newcomer["id"] == learner["id"] or newcomer["id"] > learner["id"]


def test_pins_are_stored_hashed(db):
    learner = learners.create_learner(db, "Amani", pin="4321")
    (stored,) = db.execute("SELECT pin_hash FROM learners WHERE id = ?", [learner["id"]]).fetchone()
    # A salted slow hash, never the PIN. (Not `"4321" not in stored`: a random salt or digest
    # holds those four characters about once in a few hundred runs.)
    method, salt, digest = stored.split("$")
    assert method.startswith(("scrypt:", "pbkdf2:")) and len(salt) >= 16 and len(digest) >= 64
    assert learner["has_pin"] and "pin_hash" not in learner
    assert learners.check_pin(db, learner["id"], "4321")
    assert not learners.check_pin(db, learner["id"], "0000")
    learners.set_pin(db, learner["id"], None)
    assert learners.check_pin(db, learner["id"], "anything")


def test_wrong_pins_lock_the_profile_for_a_while(db):
    learner = learners.create_learner(db, "Amani", pin="4321")
    now = dt.datetime(2024, 5, 2, 10, 0, tzinfo=dt.timezone.utc)
    for _ in range(learners.PIN_MAX_FAILURES - 1):
        assert not learners.check_pin(db, learner["id"], "0000", now=now)
    with pytest.raises(learners.PinLocked) as locked:
        learners.check_pin(db, learner["id"], "0000", now=now)
    assert locked.value.retry_after == learners.PIN_LOCK_SECONDS
    with pytest.raises(learners.PinLocked):  # even the right PIN waits
        learners.check_pin(db, learner["id"], "4321", now=now + dt.timedelta(minutes=4))
    later = now + dt.timedelta(seconds=learners.PIN_LOCK_SECONDS + 1)
    assert learners.check_pin(db, learner["id"], "4321", now=later)
    assert not learners.check_pin(db, learner["id"], "0000", now=later)  # counting starts over


def test_api_sign_up_signs_in_with_a_cookie(client, db):
    response = client.post("/api/v1/learners", json={"name": "Zawadi", "pin": "1234"})
    assert response.status_code == 201 and response.get_json()["id"]
    assert "hub_session" in response.headers.get("Set-Cookie", "")
    assert "Zawadi" in client.get("/me").get_data(as_text=True)


@pytest.mark.parametrize("body, status, field", [
    ({"name": ""}, 400, "name"), ({"name": "Kito", "pin": "12"}, 400, "pin"),
    ({"name": "Kito", "admin": True}, 400, "admin"), ({}, 400, "name"),
], ids=["empty name", "short pin", "unknown field", "no name"])
def test_api_sign_up_refuses_bad_input(client, db, body, status, field):
    response = client.post("/api/v1/learners", json=body)
    assert response.status_code == status
    assert response.get_json()["details"][0]["field"] == field
    assert learners.list_learners(db) == []


def test_api_sign_up_refuses_a_taken_name_and_can_be_switched_off(client, db):
    sign_up(client, "Kito")
    assert client.post("/api/v1/learners", json={"name": "kito"}).status_code == 409
    settings.set(db, "self_signup", False)
    assert client.post("/api/v1/learners", json={"name": "Other"}).status_code == 403
    assert len(learners.list_learners(db)) == 1


def test_api_session_needs_the_pin_and_locks_after_wrong_tries(app, db):
    learner = learners.create_learner(db, "Amani", pin="4321")
    client = app.test_client()
    assert client.post("/api/v1/session", json={"learner": learner["id"]}).status_code == 401
    assert client.post("/api/v1/session", json={"learner": 999}).status_code == 404
    assert client.post("/api/v1/session", json={"learner": "x"}).status_code == 400
    statuses = [client.post("/api/v1/session", json={"learner": learner["id"], "pin": "0000"}).status_code
                for _ in range(learners.PIN_MAX_FAILURES)]
    assert statuses == [401] * (learners.PIN_MAX_FAILURES - 1) + [429]
    locked = client.post("/api/v1/session", json={"learner": learner["id"], "pin": "4321"})
    assert locked.status_code == 429 and int(locked.headers["Retry-After"]) > 0
    assert client.get("/me").status_code == 302  # still not signed in
    learners.set_pin(db, learner["id"], "4321")  # a facilitator resets it: the lock is gone
    assert client.post("/api/v1/session", json={"learner": learner["id"], "pin": "4321"}).status_code == 200
    assert client.get("/me").status_code == 200
    assert client.delete("/api/v1/session").status_code == 200
    assert client.get("/me").status_code == 302


def test_the_pin_form_is_rate_limited_too(client, db):
    learner = learners.create_learner(db, "Amani", pin="4321")
    url = f"/signin/{learner['id']}"
    for _ in range(learners.PIN_MAX_FAILURES - 1):
        assert form(client, url, {"pin": "1111"}).status_code == 401
    assert form(client, url, {"pin": "1111"}).status_code == 429
    assert form(client, url, {"pin": "4321"}).status_code == 429


def test_one_learner_cannot_read_or_write_another_learners_data(app, db, pack):
    asha, baraka = app.test_client(), app.test_client()
    sign_up(asha, "Asha")
    b = sign_up(baraka, "Baraka")
    baraka.post("/api/v1/events", json={"events": [event("completed", resource=f"{PACK}/story2")]})
    asha.post("/api/v1/events", json={"events": [event("completed", resource=f"{PACK}/story")]})
    page = asha.get("/me").get_data(as_text=True)
    assert "A story" in page and "Another story" not in page and "Baraka" not in page
    # No field names another learner: the batch is refused whole, nothing is written.
    sneaky = asha.post("/api/v1/events", json={"events": [event(actor="L123")]})
    assert sneaky.status_code == 400
    # Naming another learner (as the offline queue names the owner) is refused, never taken.
    sneaky = asha.post("/api/v1/events", json={"events": [event()], "learner": b["id"]})
    assert sneaky.status_code == 409
    b_actor = learners.get_learner(db, b["id"])["actor"]
    assert count(db, "SELECT count(*) FROM events WHERE actor = ?", [b_actor]) == 1
    # Signing in as Baraka needs going through his profile (no PIN here), not Asha's cookie.
    assert "Baraka" not in asha.get("/me").get_data(as_text=True)
