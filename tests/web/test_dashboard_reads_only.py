"""The dashboard only reads: the scheduler (or the refresh button) rolls up, the page shows how fresh."""
from __future__ import annotations

import datetime as dt
import re
import sqlite3
from pathlib import Path

from sync import scheduler
from tests.eventfactory import EventFactory
from tests.web.test_facilitator_support import _fresh_login_limits, csrf_from, make_account, sign_in  # noqa: F401

NOW = dt.datetime(2026, 3, 4, 10, 42, tzinfo=dt.timezone.utc)


def _today_activity(db) -> None:
    ev = EventFactory(db)
    ev.resource("org.example.numbers", "count", kind="exercise", language="en", title="Count")
    for actor in ("L001", "L002", "L003"):
        ev.add(actor, "completed", "org.example.numbers/count", at="2026-03-04T08:00:00Z", duration=600)


def _learners_today(html: str) -> str:
    """The last row (today) of the table under the learners-per-day chart."""
    block = re.search(r'<section class="chart-block" id="active_learners".*?</section>', html, re.S).group(0)
    return re.findall(r'<th scope="row">[^<]*</th><td>([^<]*)</td>', block)[-1]


def _db_file(app) -> Path:
    return next(Path(app.config["HUB_DATA_DIR"]).glob("*.db"))


def test_a_get_of_the_dashboard_and_its_csv_writes_nothing(app, client, db, clock_at):
    clock_at(NOW)
    _today_activity(db)
    make_account(db)
    sign_in(client)
    client.get("/facilitator/")  # the first visit after sign-in may note the session
    watcher = sqlite3.connect(_db_file(app))
    before = watcher.execute("PRAGMA data_version").fetchone()[0]
    clock_at(NOW + dt.timedelta(minutes=5))
    for path in ("/facilitator/", "/facilitator/dashboard.csv", "/facilitator/"):
        assert client.get(path).status_code == 200
    # data_version moves when another connection commits: no GET committed anything.
    assert watcher.execute("PRAGMA data_version").fetchone()[0] == before
    assert watcher.execute("SELECT count(*) FROM metrics_daily").fetchone()[0] == 0
    watcher.close()


def test_the_schedulers_tick_makes_todays_figures_appear_with_their_age(app, client, db, clock_at):
    clock_at(NOW)
    _today_activity(db)
    make_account(db)
    sign_in(client)
    html = client.get("/facilitator/").get_data(as_text=True)
    assert _learners_today(html) == "0"
    assert "The figures have not been worked out yet." in html
    scheduler.Scheduler(dict(app.config)).tick(db)
    clock_at(NOW + dt.timedelta(minutes=7))
    html = client.get("/facilitator/").get_data(as_text=True)
    assert _learners_today(html) == "3"
    assert "Figures as of 10:42" in html  # the time of the rollup, in the hub's zone (UTC here)
    exported = client.get("/facilitator/dashboard.csv").get_data(as_text=True)
    assert "figures_as_of,2026-03-04T10:42:00" in exported


def test_the_age_shows_the_date_when_the_figures_are_older_than_today(app, client, db, clock_at):
    clock_at(NOW)
    make_account(db)
    scheduler.Scheduler(dict(app.config)).tick(db)
    clock_at(NOW + dt.timedelta(days=1))
    sign_in(client)
    html = client.get("/facilitator/").get_data(as_text=True)
    assert re.search(r"Figures as of 3/4/26, 10:42", html)


def test_the_refresh_button_rolls_up_in_the_background_and_says_so(app, client, db, clock_at):
    clock_at(NOW)
    _today_activity(db)
    make_account(db)
    sign_in(client)
    html = client.get("/facilitator/").get_data(as_text=True)
    assert "Update the figures now" in html
    pressed = client.post("/facilitator/refresh", data={"csrf_token": csrf_from(client)})
    assert pressed.status_code == 303
    job_id = re.search(r"refresh=([0-9a-f]+)", pressed.headers["Location"]).group(1)
    assert scheduler.REFRESHES.wait(job_id, timeout=30)["state"] == "done"
    html = client.get(pressed.headers["Location"]).get_data(as_text=True)
    assert "The figures are up to date." in html
    assert _learners_today(html) == "3"
    assert "Figures as of 10:42" in html


def test_a_refresh_without_the_form_token_is_refused_and_starts_nothing(client, db, clock_at):
    clock_at(NOW)
    make_account(db)
    sign_in(client)
    jobs = len(scheduler.REFRESHES.recent())
    refused = client.post("/facilitator/refresh", data={})
    assert refused.status_code in (400, 403)
    assert len(scheduler.REFRESHES.recent()) == jobs
