"""The facilitator's Sharing page shows sync.outbox.status and exactly sync.report.preview."""
from __future__ import annotations

from sync import report, upstream
from tests.eventfactory import EventFactory, at, closed_week_day, week_of
from tests.web.test_facilitator_support import _fresh_login_limits, make_account, sign_in  # noqa: F401


def test_the_sharing_page_shows_what_would_leave_and_hides_small_numbers(app, client, db):
    upstream.register(app.config, "http://127.0.0.1:9", "hub-panel", "p" * 32)
    ev = EventFactory(db)
    ev.resource("p.num", "count", kind="exercise", language="en")
    day = closed_week_day()
    ev.many([f"L{i}" for i in range(6)], "started", "p.num/count", at=at(day, 10), duration=120)
    ev.add("L0", "completed", "p.num/count", at=at(day, 11))
    ev.learner("L0", "Zawadi Kamau")
    make_account(db)
    sign_in(client)
    report.build_closed_weeks(db, app.config)
    page = client.get("/facilitator/sync").get_data(as_text=True)
    assert "http://127.0.0.1:9" in page and "Zawadi" not in page
    assert "active_learners" in page and "hidden (too few learners)" in page
    assert week_of(day)[0] in page and "waiting-weeks" in page
    assert "so-far-table" in page and "Not final" in page  # the open week, beside the waiting one


def test_a_week_that_could_not_be_prepared_is_shown(app, client, db):
    from sync import state

    upstream.register(app.config, "http://127.0.0.1:9", "hub-panel", "p" * 32)
    state.put(db, "week_errors", {"week-2024-W19": "RuntimeError: the disk said no"})
    make_account(db)
    sign_in(client)
    page = client.get("/facilitator/sync").get_data(as_text=True)
    assert 'id="week-errors"' in page and "week-2024-W19" in page and "the disk said no" in page
