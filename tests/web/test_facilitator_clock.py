"""The facilitator console says when the phones agree that the hub's own clock is off."""
from __future__ import annotations

import datetime as dt

from hub.learning import hub_clock
from hub.ops.device import health
from tests.web.test_facilitator_support import make_account, sign_in

NOW = dt.datetime(2026, 3, 18, 10, 0, tzinfo=dt.timezone.utc)


def _phones_say(db, hub_behind: dt.timedelta, phones: int) -> None:
    for n in range(phones):
        hub_clock.note(db.conn, f"Aphone{n}", NOW, NOW + hub_behind)
    db.conn.commit()


def _checked(client, app):
    """The dashboard once its device checks have run (they run in the background)."""
    client.get("/facilitator/")
    health.wait(app.config)


def test_the_dashboard_says_the_hub_clock_is_behind_the_phones(app, client, db, clock_at):
    clock_at(NOW)
    make_account(db)
    sign_in(client)
    _checked(client, app)
    page = client.get("/facilitator/").get_data(as_text=True)
    assert "behind theirs" not in page
    _phones_say(db, dt.timedelta(hours=2), 4)
    page = client.get("/facilitator/").get_data(as_text=True)
    assert "the device&#39;s clock is 2 h behind theirs" in page or "the device's clock is 2 h behind theirs" in page
    assert "dated by the phones" in page


def test_in_french_too(app, client, db, clock_at):
    clock_at(NOW)
    make_account(db)
    sign_in(client)
    _checked(client, app)
    _phones_say(db, dt.timedelta(minutes=-45), 3)  # the hub is 45 minutes ahead of the phones
    page = client.get("/facilitator/", headers={"Accept-Language": "fr"}).get_data(as_text=True)
    assert "45 min d" in page and "avance" in page
