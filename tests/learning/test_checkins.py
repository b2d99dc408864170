"""Well-being check-ins: offered at most once a day, skippable, declinable with one tap."""
from __future__ import annotations

import json

import pytest
from flask import render_template_string, session

from hub.learning import learners
from tests.learning.test_learners_support import as_signed_in, count, form


@pytest.fixture
def amina(db):
    return learners.create_learner(db, "Amina")


def sign_in(client, learner):
    return form(client, f"/signin/{learner['id']}", {"next": "/"})


def test_the_first_sign_in_of_the_day_offers_a_check_in_once(client, db, amina):
    response = sign_in(client, amina)
    assert response.status_code == 302 and "/checkin" in response.headers["Location"]
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "How do you feel today?" in page and page.count('class="mood"') == 5
    for word in ("Very sad", "Sad", "Okay", "Happy", "Very happy", "Not now", "ask me again"):
        assert word in page
    assert form(client, "/checkin", {"action": "4", "next": "/"}).headers["Location"] == "/"
    (data,) = db.execute("SELECT data FROM events WHERE verb = 'checked_in'").fetchone()
    assert json.loads(data) == {"mood": 4}
    form(client, "/signout")
    assert sign_in(client, amina).headers["Location"] == "/"  # not twice in a day
    form(client, "/checkin", {"action": "5"})  # a second check-in the same day is not stored
    assert count(db, "SELECT count(*) FROM events WHERE verb = 'checked_in'") == 1


def test_skipping_records_nothing_and_waits_until_tomorrow(client, db, amina):
    client.get(sign_in(client, amina).headers["Location"])
    form(client, "/checkin", {"action": "skip"})
    assert count(db, "SELECT count(*) FROM events") == 0
    form(client, "/signout")
    assert sign_in(client, amina).headers["Location"] == "/"
    db.execute("UPDATE learners SET checkin_offered_on = '2000-01-01'")  # the next day
    form(client, "/signout")
    assert "/checkin" in sign_in(client, amina).headers["Location"]


def test_dont_ask_again_is_one_tap_and_can_be_undone(client, db, amina):
    client.get(sign_in(client, amina).headers["Location"])
    form(client, "/checkin", {"action": "never"})
    assert learners.get_learner(db, amina["id"])["checkin_declined"]
    db.execute("UPDATE learners SET checkin_offered_on = '2000-01-01'")
    form(client, "/signout")
    assert sign_in(client, amina).headers["Location"] == "/"
    assert "Ask me again how I feel" in client.get("/me").get_data(as_text=True)
    form(client, "/checkin", {"action": "again", "next": "/me"})
    assert not learners.get_learner(db, amina["id"])["checkin_declined"]


def test_an_unknown_mood_is_refused(client, db, amina):
    sign_in(client, amina)
    assert form(client, "/checkin", {"action": "9"}).status_code == 400
    assert form(client, "/checkin", {"action": "0"}).status_code == 400
    assert count(db, "SELECT count(*) FROM events") == 0


def test_anonymous_visitors_are_not_asked(client, db):
    assert client.get("/checkin").status_code == 302


def test_the_home_panel_offers_it_at_most_once_a_day(app, db, amina):
    def render():
        with app.test_request_context("/"):
            as_signed_in(session, amina)
            app.preprocess_request()
            return render_template_string('{% include "learners/continue.html" %}')

    first, second = render(), render()
    assert "How do you feel today?" in first and "Hello, Amina!" in first
    assert "How do you feel today?" not in second and "Hello, Amina!" in second


def test_the_day_of_a_check_in_follows_the_time_zone_chosen_at_setup(client, db, amina):
    import datetime as dt
    from zoneinfo import ZoneInfo

    from hub.learning import activity
    from hub.core import settings

    now = dt.datetime.now(dt.timezone.utc)
    # A zone whose date differs from UTC's right now, so UTC's day boundary would be wrong.
    zone = ZoneInfo("Pacific/Kiritimati" if now.hour >= 10 else "Pacific/Pago_Pago")
    settings.set(db, "timezone", zone.key)  # HUB_TIMEZONE stays UTC
    midnight = now.astimezone(zone).replace(hour=0, minute=0, second=0, microsecond=0)
    for minutes, offered in ((-1, True), (1, False)):  # yesterday there, then today there
        db.execute("DELETE FROM events")
        moment = (midnight + dt.timedelta(minutes=minutes)).astimezone(dt.timezone.utc)
        checked_in = activity.CheckedIn(id=activity.new_id(), pack_id="", resource_id="",
                                        timestamp=moment, data={"mood": 3})
        activity.record(db, amina["actor"], [checked_in], received_at=moment)
        form(client, "/signout")
        assert ("/checkin" in sign_in(client, amina).headers["Location"]) is offered, minutes
