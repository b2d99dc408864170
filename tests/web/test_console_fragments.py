"""Kept console fragments are never stale and never shared across what they show."""
from __future__ import annotations

import datetime as dt
import re

from hub.learning import learners
from sync import scheduler
from tests.eventfactory import EventFactory
from tests.web.test_facilitator_support import _fresh_login_limits, csrf_from, make_account, sign_in  # noqa: F401

NOW = dt.datetime(2026, 3, 4, 10, 42, tzinfo=dt.timezone.utc)


def _learners_today(html: str) -> str:
    block = re.search(r'<section class="chart-block" id="active_learners".*?</section>', html, re.S).group(0)
    return re.findall(r'<th scope="row">[^<]*</th><td>([^<]*)</td>', block)[-1]


def _very_happy(html: str) -> str:
    block = re.search(r'<section class="chart-block" id="checkins".*?</section>', html, re.S).group(0)
    found = re.search(r'<th scope="row">Very happy</th><td>([^<]*)</td>', block)
    return found.group(1) if found else "0"


def _activity(db, actors, mood=None):
    ev = EventFactory(db)
    ev.resource("org.example.numbers", "count", kind="exercise", language="en", title="Count")
    for actor in actors:
        ev.add(actor, "completed", "org.example.numbers/count", at="2026-03-04T08:00:00Z", duration=600)
        if mood:
            ev.add(actor, "checked_in", at="2026-03-04T08:05:00Z", mood=mood)


def test_new_figures_and_a_new_check_in_show_at_once(app, client, db, clock_at):
    clock_at(NOW)
    _activity(db, ("L001", "L002"))
    make_account(db)
    sign_in(client)
    scheduler.Scheduler(dict(app.config)).tick(db)
    html = client.get("/facilitator/").get_data(as_text=True)
    assert _learners_today(html) == "2" and _very_happy(html) == "0"
    assert _learners_today(client.get("/facilitator/").get_data(as_text=True)) == "2"
    _activity(db, ("L003",), mood=5)
    clock_at(NOW + dt.timedelta(minutes=10))
    scheduler.Scheduler(dict(app.config)).tick(db)  # the background rolls up again
    html = client.get("/facilitator/").get_data(as_text=True)
    assert _learners_today(html) == "3"
    assert _very_happy(html) == "1"
    assert "Figures as of 10:52" in html


def test_two_facilitators_in_two_languages_never_share_a_page(app, client, db, clock_at):
    clock_at(NOW)
    _activity(db, ("L001", "L002"))
    make_account(db)
    make_account(db, "baraka")
    scheduler.Scheduler(dict(app.config)).tick(db)
    sign_in(client)
    english = client.get("/facilitator/").get_data(as_text=True)
    other = app.test_client()
    sign_in(other, "baraka")
    other.get("/language/fr")
    french = other.get("/facilitator/").get_data(as_text=True)
    assert "Learners active each day" in english and "Learners active each day" not in french
    assert 'lang="fr"' in french
    assert "Signed in as baraka" in french or "baraka" in french
    assert "baraka" not in english
    # Each page carries its own facilitator's form token.
    assert csrf_from(client) in english and csrf_from(client) not in french


def test_the_learners_list_shows_a_new_learner_and_a_visit_at_once(app, client, db, clock_at):
    clock_at(NOW)
    make_account(db)
    sign_in(client)
    learners.create_learner(db, "Amina")
    html = client.get("/facilitator/learners").get_data(as_text=True)
    assert "Amina" in html and "Baraka" not in html and "Last seen" not in html
    assert client.get("/facilitator/learners").get_data(as_text=True).count("Amina") == html.count("Amina")
    child = learners.create_learner(db, "Baraka")
    assert "Baraka" in client.get("/facilitator/learners").get_data(as_text=True)
    learners.mark_seen(db, child["actor"], "2026-03-04T09:00:00Z")
    assert "Last seen" in client.get("/facilitator/learners").get_data(as_text=True)
    learners.rename_learner(db, child["id"], "Baraka Juma")
    assert "Baraka Juma" in client.get("/facilitator/learners").get_data(as_text=True)
    # A filter is its own list.
    assert "Baraka" not in client.get("/facilitator/learners?q=Ami").get_data(as_text=True)
