"""The public community page: last month's totals, hidden below k exactly as in a report."""
from __future__ import annotations

import datetime as dt
import re

from hub.core import clock
from hub.learning import community
from hub.core import settings
from tests.eventfactory import EventFactory, at
from tests.learning.test_learners_support import as_signed_in

RESOURCE = "org.example.community/r1"


def _activity(db, day: dt.date, learners: int, *, moods=(), anonymous: int = 0) -> None:
    ev = EventFactory(db)
    ev.resource("org.example.community", "r1", title="Community")
    for n in range(learners):
        ev.add(f"L{n:03d}", "completed", RESOURCE, at=at(day.isoformat(), 1), duration=600)
        ev.add(f"L{n:03d}", "answered", RESOURCE, at=at(day.isoformat(), 1, 5), score=1.0)
    for n in range(anonymous):
        ev.add(f"A{n:03d}", "progressed", RESOURCE, at=at(day.isoformat(), 1), duration=300)
    for n, mood in enumerate(moods):
        ev.add(f"L{n:03d}", "checked_in", at=at(day.isoformat(), 2), mood=mood)


def _stats(html: str) -> list[str]:
    return [re.sub(r"<[^>]+>", "", s).strip() for s in re.findall(r'<p class="stat">(.*?)</p>', html, re.S)]


def _page(client, db):
    settings.set(db, "community_page", True)
    response = client.get("/community")
    assert response.status_code == 200
    return response.get_data(as_text=True)


TODAY = dt.date(2024, 6, 10)                      # the page shows May 2024
IN_MAY = dt.date(2024, 5, 20)


def test_fewer_than_k_learners_show_nothing_recoverable(client, db, clock_at):
    clock_at(dt.datetime(2024, 6, 10, 12, tzinfo=dt.timezone.utc))
    _activity(db, IN_MAY, 3, moods=(4, 4, 2))
    html = _page(client, db)
    assert _stats(html) == ["—hidden"] * 5
    assert community.month_totals(db, today=TODAY, tz="UTC", k=5) == dict.fromkeys(community.SHOWN)
    # Not a single count of that month appears anywhere in the page's text.
    text = re.sub(r"<[^>]+>", " ", html.split("<main", 1)[1])
    for secret in ("3", "6", "30", "10"):  # learners, check-ins/answers, minutes
        assert not re.search(rf"(?<![\d/]){secret}(?![\d/])", text.replace("2024", "")), secret


def test_totals_are_last_months_from_k_learners(client, db, clock_at):
    clock_at(dt.datetime(2024, 6, 10, 12, tzinfo=dt.timezone.utc))
    _activity(db, IN_MAY, 6, moods=(5,) * 6, anonymous=2)
    _activity(db, dt.date(2024, 4, 30), 9)   # April is not May
    html = _page(client, db)
    assert _stats(html) == ["6", "70", "6", "6", "6"]  # minutes: 6 x 10 + 2 x 5 (visitors count too)
    assert "May" in html


def test_the_page_never_shows_the_month_so_far(db):
    """Attack 6: the page on the 10th minus the page on the 9th would be one child's day."""
    _activity(db, dt.date(2024, 6, 2), 8)
    on_the_9th = community.month_totals(db, today=dt.date(2024, 6, 9), tz="UTC", k=5)
    EventFactory(db).add("L900", "completed", RESOURCE, at=at("2024-06-09", 15), duration=37 * 60)
    on_the_10th = community.month_totals(db, today=dt.date(2024, 6, 10), tz="UTC", k=5)
    assert on_the_9th == on_the_10th == dict.fromkeys(community.SHOWN)  # June shows only in July
    july = community.month_totals(db, today=dt.date(2024, 7, 1), tz="UTC", k=5)
    assert july["active_learners"] == 9 and july["learning_minutes"] == 8 * 10 + 37


def test_check_ins_show_as_one_total_from_k_learners(db):
    _activity(db, IN_MAY, 6, moods=(5, 5, 5, 5, 5, 1))
    assert community.month_totals(db, today=TODAY, tz="UTC", k=5)["checkins"] == 6
    db.execute("DELETE FROM events")
    _activity(db, IN_MAY, 6, moods=(5, 1))
    assert community.month_totals(db, today=TODAY, tz="UTC", k=5)["checkins"] is None


def test_the_totals_are_computed_once_a_day(client, db, clock_at):
    clock_at(dt.datetime(2024, 6, 10, 12, tzinfo=dt.timezone.utc))
    _activity(db, IN_MAY, 6)
    assert _stats(_page(client, db))[0] == "6"
    _activity(db, IN_MAY, 8)  # late events: the page keeps today's numbers until tomorrow
    assert _stats(_page(client, db))[0] == "6"
    clock_at(dt.datetime(2024, 6, 11, 12, tzinfo=dt.timezone.utc))
    assert _stats(_page(client, db))[0] == "8"


def test_a_kept_page_follows_the_settings_and_the_language_at_once(app, client, db, clock_at):
    clock_at(dt.datetime(2024, 6, 10, 12, tzinfo=dt.timezone.utc))
    _activity(db, IN_MAY, 6)
    settings.set(db, "hub_name", "Riverside Hub")
    assert "Riverside Hub" in _page(client, db)
    settings.set(db, "hub_name", "Hilltop Hub")  # renamed: the next visitor sees the new name
    html = _page(client, db)
    assert "Hilltop Hub" in html and "Riverside Hub" not in html
    client.get("/language/fr")
    french = _page(client, db)
    assert 'lang="fr"' in french and "Hilltop Hub" in french
    other = app.test_client()  # a visitor in English is not given the French page
    assert '<html lang="en"' in other.get("/community").get_data(as_text=True)
    settings.set(db, "community_page", False)
    assert client.get("/community").status_code == 404


def test_a_signed_in_learners_page_is_their_own(app, client, db, clock_at):
    from hub.learning import learners

    clock_at(dt.datetime(2024, 6, 10, 12, tzinfo=dt.timezone.utc))
    _activity(db, IN_MAY, 6)
    assert "Amina" not in _page(client, db)
    child = learners.create_learner(db, "Amina")
    with client.session_transaction() as session:
        as_signed_in(session, child)
    assert "Amina" in client.get("/community").get_data(as_text=True)
    assert "Amina" not in app.test_client().get("/community").get_data(as_text=True)


def test_the_background_works_the_totals_out_before_the_first_visitor(app, client, db, clock_at):
    from sync import scheduler

    clock_at(dt.datetime(2024, 6, 12, 12, tzinfo=dt.timezone.utc))
    settings.set(db, "community_page", True)
    _activity(db, IN_MAY, 6)
    scheduler.Scheduler(dict(app.config)).tick(db)  # at start, and with each new day
    _activity(db, IN_MAY, 8)  # came later: today's page keeps the totals worked out
    assert _stats(_page(client, db))[0] == "6"
