"""When an event counts: the batch's sent_at, the phones' clock consensus, impossible moments.

Contract, second wave, "Events": with `sent_at` an event counts at timestamp + (received_at -
sent_at); when the phones agree the hub's own clock is off, events are dated by them; a
timestamp that cannot be a real moment is a 400 naming the field, never a 500.
"""
from __future__ import annotations

import datetime as dt
import uuid

import pytest

from hub.learning import activity, hub_clock
from tests.learning.test_learners_support import PACK, count, event, install_test_pack, sign_up

NOW = dt.datetime(2026, 3, 18, 10, 0, tzinfo=dt.timezone.utc)


@pytest.fixture
def pack(db, data_dir):
    install_test_pack(db, data_dir)


def iso(moment: dt.datetime) -> str:
    return moment.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def post(client, events, sent_at=None, **batch):
    body = {"events": events, **batch}
    if sent_at is not None:
        body["sent_at"] = sent_at
    return client.post("/api/v1/events", json=body)


def counted(db, event_id):
    """The time an event counts at, as every report and page reads it."""
    return db.execute("SELECT CASE WHEN clock_skew_s IS NULL THEN client_ts ELSE received_at END "
                      "FROM events WHERE id = ?", [event_id]).fetchone()[0]


def test_a_phone_that_kept_events_for_a_week_has_them_counted_when_they_happened(
        client, db, pack, clock_at):
    clock_at(NOW)
    sign_up(client)
    kept = event(timestamp=iso(NOW - dt.timedelta(days=7)), duration_s=60)
    assert post(client, [kept], sent_at=iso(NOW)).status_code == 200
    assert counted(db, kept["id"]) == iso(NOW - dt.timedelta(days=7))
    # What the phone said is kept beside it, to audit.
    row = db.execute("SELECT client_clock_ts, sent_at, received_at FROM events").fetchone()
    assert row == (iso(NOW - dt.timedelta(days=7)), iso(NOW), iso(NOW))
    (updated,) = db.execute("SELECT updated_at FROM progress").fetchone()
    assert updated == iso(NOW - dt.timedelta(days=7))


def test_a_phone_a_month_ahead_still_has_its_events_counted_on_their_day(client, db, pack, clock_at):
    clock_at(NOW)
    sign_up(client)
    ahead = dt.timedelta(days=30)
    one = event(timestamp=iso(NOW + ahead - dt.timedelta(hours=3)))
    assert post(client, [one], sent_at=iso(NOW + ahead)).status_code == 200
    assert counted(db, one["id"]) == iso(NOW - dt.timedelta(hours=3))


def test_without_sent_at_the_first_wave_rule_stands(client, db, pack, clock_at):
    clock_at(NOW)
    far = event(timestamp=iso(NOW + dt.timedelta(hours=3)))
    near = event(resource=f"{PACK}/story", timestamp=iso(NOW - dt.timedelta(minutes=2)))
    assert post(client, [far, near]).status_code == 200
    assert counted(db, far["id"]) == iso(NOW) and counted(db, near["id"]) == iso(NOW - dt.timedelta(minutes=2))


IMPOSSIBLE = {
    "year one": ({"timestamp": "0001-01-01T00:00:00Z"}, None, "timestamp"),
    "overflows when moved to UTC": ({"timestamp": "0001-01-01T00:21:01+10:51"}, None, "timestamp"),
    "the largest date, east of UTC": ({"timestamp": "9999-12-31T23:59:59-10:00"}, None, "timestamp"),
    "before 1970": ({"timestamp": "1969-12-31T23:59:59Z"}, None, "timestamp"),
    "sent_at in year one": ({}, "0001-01-01T00:21:01+10:51", "sent_at"),
    "sent_at not a date": ({}, "yesterday", "sent_at"),
    "sent_at without a zone": ({}, "2026-03-18T10:00:00", "sent_at"),
    "sent_at a number": ({}, 1742292000, "sent_at"),
    "two days after it was sent": ({"timestamp": "2026-03-20T10:00:00Z"}, "2026-03-18T10:00:00Z", "timestamp"),
    "overflows once corrected": ({"timestamp": "9999-12-31T00:00:00Z"}, "1970-01-01T00:00:00Z", "timestamp"),
    "before 1970 once corrected": ({"timestamp": "1970-01-01T00:00:00Z"}, "2026-03-18T10:00:01Z", "timestamp"),
}


@pytest.mark.parametrize("change, sent_at, field", IMPOSSIBLE.values(), ids=list(IMPOSSIBLE))
def test_a_moment_that_cannot_be_real_is_a_400_naming_the_field(client, db, pack, clock_at,
                                                                   change, sent_at, field):
    clock_at(NOW)
    body = {"events": [event(**change)]}
    if sent_at is not None:
        body["sent_at"] = sent_at
    response = client.post("/api/v1/events", json=body)
    assert response.status_code == 400, response.get_json()
    assert [d["field"] for d in response.get_json()["details"]] == [field]
    assert count(db, "SELECT count(*) FROM events") == 0


def _phones_send(app, hub_now, phone_now, n, clock_at, offset_each=dt.timedelta(0)):
    """n phones (anonymous sessions) each send one batch at phone_now, received at hub_now."""
    clock_at(hub_now)
    for i in range(n):
        client = app.test_client()
        client.get("/")  # the browser gets its session cookie first, as a page does
        phone = phone_now + offset_each * i
        assert post(client, [event(timestamp=iso(phone))], sent_at=iso(phone)).status_code == 200


def test_when_phones_agree_the_hub_clock_is_off_events_are_dated_by_them(app, db, pack, clock_at):
    real = NOW
    hub_now = real - dt.timedelta(hours=2)  # the hub's clock is two hours behind
    _phones_send(app, hub_now, real, 2, clock_at)
    assert hub_clock.status(db)["off"] is False  # two phones do not outvote the hub
    _phones_send(app, hub_now, real, 2, clock_at, offset_each=dt.timedelta(minutes=1))
    state = hub_clock.status(db)
    assert state["off"] is True and state["offset_s"] == pytest.approx(-7200, abs=120)
    # The hub's own events (a form without JavaScript) are dated by the phones' consensus.
    activity.record_one(db, "Lsomeone", "started", PACK, "story")
    (when,) = db.execute("SELECT client_ts FROM events WHERE actor = 'Lsomeone'").fetchone()
    assert abs((dt.datetime.fromisoformat(when.replace("Z", "+00:00")) - real).total_seconds()) <= 120


def test_one_phone_with_a_wrong_clock_never_moves_the_hub(app, db, pack, clock_at):
    _phones_send(app, NOW, NOW, 3, clock_at)
    _phones_send(app, NOW, NOW + dt.timedelta(days=30), 1, clock_at)
    assert hub_clock.status(db) == {"off": False, "offset_s": 0.0, "phones": 4}


def test_the_doctor_says_when_the_phones_agree_the_hub_clock_is_off(app, db, pack, clock_at, data_dir):
    from hub.ops.device import doctor
    _phones_send(app, NOW - dt.timedelta(hours=3), NOW, 3, clock_at)
    found = [c for c in doctor.run_checks({"HUB_DATA_DIR": str(data_dir)}) if c.name == "clock"]
    assert found and found[0].severity == "warning" and "3 h behind" in found[0].message


def test_a_browser_that_never_returns_its_cookie_adds_no_rows(app, db, pack):
    crawler = app.test_client(use_cookies=False)
    for _ in range(300):
        assert crawler.get(f"/packs/{PACK}/quiz").status_code == 200
    assert count(db, "SELECT count(*) FROM events") == 0
    assert count(db, "SELECT count(*) FROM progress") == 0
    browser = app.test_client()  # a browser that keeps the cookie: one session, counted once
    for _ in range(5):
        browser.get(f"/packs/{PACK}/quiz")
    assert count(db, "SELECT count(DISTINCT actor) FROM events") == 1
    assert count(db, "SELECT count(*) FROM progress") == 1


def test_queued_items_of_another_learner_are_refused_never_recorded_as_theirs(app, db, pack):
    phone = app.test_client()
    asha = sign_up(phone, "Asha")
    kept = event(duration_s=120)
    phone.delete("/api/v1/session")
    sign_up(phone, "Baraka")
    response = post(phone, [kept], learner=asha["id"])
    assert response.status_code == 409 and response.get_json()["details"][0]["field"] == "learner"
    answer = {"id": str(uuid.uuid4()), "resource": f"{PACK}/quiz", "question": "legs",
              "answer": "b", "timestamp": kept["timestamp"], "learner": asha["id"]}
    assert phone.post("/api/v1/answers", json=answer).status_code == 409
    anonymous = post(phone, [event()], learner=None)  # made before anyone signed in
    assert anonymous.status_code == 409
    assert count(db, "SELECT count(*) FROM events") == 0
    phone.delete("/api/v1/session")
    phone.post("/api/v1/session", json={"learner": asha["id"]})
    assert post(phone, [kept], learner=asha["id"]).get_json() == {"accepted": 1, "duplicates": 0}
    assert phone.post("/api/v1/answers", json=answer).get_json()["correct"] is True
    (actor,) = db.execute("SELECT actor FROM learners WHERE id = ?", [asha["id"]]).fetchone()
    assert count(db, "SELECT count(*) FROM events WHERE actor = ?", [actor]) == 2


def test_old_clock_readings_are_dropped(db, clock_at):
    clock_at(NOW)
    for n in range(3):
        hub_clock.note(db.conn, f"Aold{n}", NOW - dt.timedelta(days=3), NOW - dt.timedelta(days=3, hours=2))
    hub_clock.note(db.conn, "Anew", NOW, NOW)
    assert [r[0] for r in db.execute("SELECT actor FROM clock_readings")] == ["Anew"]
    assert hub_clock.status(db) == {"off": False, "offset_s": 0.0, "phones": 1}
