"""The public community page: this month's totals, hidden below k exactly as in a report."""
from __future__ import annotations

import datetime as dt
import re

from hub.core import clock
from hub.learning import community
from hub.core import settings
from sync import privacy
from tests.eventfactory import EventFactory, at

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


def test_fewer_than_k_learners_show_nothing_recoverable(client, db):
    today = clock.local_today("UTC")
    _activity(db, today, 3, moods=(4, 4, 2))
    html = _page(client, db)
    assert _stats(html) == ["—hidden"] * 5
    assert community.month_totals(db, today=today, tz="UTC", k=5) == dict.fromkeys(community.SHOWN)
    # Not a single count of this month appears anywhere in the page's text.
    text = re.sub(r"<[^>]+>", " ", html.split("<main", 1)[1])
    for secret in ("3", "6", "30", "10"):  # learners, check-ins/answers, minutes
        assert not re.search(rf"(?<![\d/]){secret}(?![\d/])", text.replace(str(today.year), "")), secret


def test_totals_are_shown_from_k_learners_and_equal_the_month(client, db):
    today = clock.local_today("UTC")
    _activity(db, today, 6, moods=(5,) * 6, anonymous=2)
    if today.day > 1:  # last month's activity is not this month's
        _activity(db, today.replace(day=1) - dt.timedelta(days=1), 9)
    html = _page(client, db)
    assert _stats(html) == ["6", "70", "6", "6", "6"]  # minutes: 6 x 10 + 2 x 5 (visitors count too)


def test_a_hidden_mood_hides_the_check_in_total(db):
    today = clock.local_today("UTC")
    _activity(db, today, 6, moods=(5, 5, 5, 5, 5, 1))
    totals = community.month_totals(db, today=today, tz="UTC", k=5)
    assert totals["active_learners"] == 6 and totals["checkins"] is None


def test_suppression_is_the_report_rule(db):
    """Each total is hidden exactly when sync.privacy would hide that cell in a report."""
    today = clock.local_today("UTC")
    for learners in (1, 4, 5, 7):
        db.execute("DELETE FROM events")
        db.execute("DELETE FROM metrics_daily")
        _activity(db, today, learners, anonymous=1)
        cells = community.month_cells(db, today, "UTC")
        hidden = {r["name"] for r in privacy.suppress(cells, 5) if r["suppressed"] and not r["dims"]}
        totals = community.month_totals(db, today=today, tz="UTC", k=5)
        for cell in cells:
            if not cell["dims"]:
                assert (totals[cell["name"]] is None) == (cell["name"] in hidden) == (cell["learners"] < 5)
                if cell["learners"] >= 5:
                    assert totals[cell["name"]] == cell["value"]
