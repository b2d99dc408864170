"""The thriving side of the overview: life-skills observations in aggregate, and a clock gone back."""
from __future__ import annotations

import csv
import datetime as dt
import html as htmllib
import io
import re

from hub.core import clock
from hub.accounts import observations
from hub.ops.device import health
from tests.eventfactory import EventFactory
from tests.web.test_facilitator_support import _fresh_login_limits, make_account, sign_in  # noqa: F401


def _learner_id(db, actor: str, name: str) -> int:
    EventFactory(db).learner(actor, name)
    return db.execute("SELECT id FROM learners WHERE actor = ?", [actor]).fetchone()[0]


def _life_skills(html: str) -> dict[str, str]:
    block = re.search(r'<section[^>]*id="life-skills".*?</section>', html, re.S).group(0)
    return dict(re.findall(r'<tr data-skill="([a-z]+)"><th scope="row">[^<]*</th><td>([^<]*)</td>', block))


def test_the_overview_and_its_csv_show_life_skills_averages_of_the_last_30_days(client, db):
    today = clock.local_today("UTC")
    amina, baraka, chidi = (_learner_id(db, f"L{n}", name) for n, name in enumerate(("Amina", "Baraka", "Chidi")))
    observations.record_observation(db, amina, today.isoformat(), {"confidence": 4, "collaboration": 3})
    observations.record_observation(db, baraka, (today - dt.timedelta(days=3)).isoformat(),
                                    {"confidence": 3, "collaboration": 2, "curiosity": 4})
    # Older than the overview's 30 days: not counted.
    observations.record_observation(db, chidi, (today - dt.timedelta(days=45)).isoformat(), {"confidence": 1})
    make_account(db)
    sign_in(client)
    html = client.get("/facilitator/").get_data(as_text=True)
    assert "Facilitators observed 2 learners in these days." in htmllib.unescape(html)
    assert _life_skills(html) == {"confidence": "3.5", "collaboration": "2.5", "curiosity": "4"}
    assert "Amina" not in html.split('id="life-skills"')[1]  # aggregates only, no names
    exported = list(csv.reader(io.StringIO(client.get("/facilitator/dashboard.csv").get_data(as_text=True))))
    rows = {key: float(value) for section, key, _d, value in exported[1:] if section == "life_skills"}
    assert rows == {"learners": 2, "confidence": 3.5, "collaboration": 2.5, "curiosity": 4}


def test_no_observations_says_how_to_add_them(client, db):
    make_account(db)
    sign_in(client)
    html = htmllib.unescape(client.get("/facilitator/").get_data(as_text=True))
    assert "No life-skills observations in these days yet. Add them on a learner's page." in html
    exported = client.get("/facilitator/dashboard.csv").get_data(as_text=True)
    assert "life_skills,learners,,0" in exported and "life_skills,confidence" not in exported


def test_the_overview_warns_when_the_clock_is_behind_the_newest_pack_install(app, client, db):
    EventFactory(db).pack("org.example.future", installed_at="2999-01-01T00:00:00Z")
    make_account(db)
    sign_in(client)
    client.get("/facilitator/")  # the device checks run in the background (hub.ops.device.health)
    health.wait(app.config)
    html = htmllib.unescape(client.get("/facilitator/").get_data(as_text=True))
    assert "The clock has gone back." in html
