"""The dashboard shows the device's health from the background: a page never runs the checks."""
from __future__ import annotations

import datetime as dt

import pytest

from hub.ops.device import doctor, health
from tests.web.test_facilitator_support import _fresh_login_limits, make_account, sign_in  # noqa: F401


@pytest.fixture
def facilitator(client, db):
    make_account(db)
    sign_in(client)
    return client


@pytest.fixture(autouse=True)
def no_kept_results(app):
    health.forget(app.config)
    yield
    health.wait(app.config)
    health.forget(app.config)


def test_the_first_view_says_checking_and_the_next_shows_the_checks(facilitator, app):
    first = facilitator.get("/facilitator/").get_data(as_text=True)
    assert "The device is being checked." in first
    health.wait(app.config)
    second = facilitator.get("/facilitator/").get_data(as_text=True)
    assert "The device is being checked." not in second
    assert "Free space" in second and "Checked at" in second


def test_a_dashboard_view_never_checks_the_database_or_calls_the_centre(facilitator, app, monkeypatch):
    health.refresh(app.config)
    calls = []
    monkeypatch.setattr(doctor, "check_database", lambda *a, **k: calls.append("database"))
    for _ in range(3):
        assert facilitator.get("/facilitator/").status_code == 200
    health.wait(app.config)
    assert calls == []  # the kept results are fresh: nothing ran, not even in the background


def test_old_results_are_shown_and_refreshed_in_the_background(facilitator, app, clock_at):
    clock_at(dt.datetime(2026, 12, 7, 8, 0, tzinfo=dt.timezone.utc))
    health.refresh(app.config)
    clock_at(dt.datetime(2026, 12, 7, 8, 30, tzinfo=dt.timezone.utc))  # older than MAX_AGE_S
    page = facilitator.get("/facilitator/").get_data(as_text=True)
    assert "Free space" in page  # the older results, while new ones are made
    health.wait(app.config)
    _, checked_at = health.latest(app.config)
    assert checked_at == dt.datetime(2026, 12, 7, 8, 30, tzinfo=dt.timezone.utc)
