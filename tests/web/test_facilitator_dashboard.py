"""The overview's numbers are the metrics module's numbers: charts, tables, summary and CSV agree."""
from __future__ import annotations

import csv
import datetime as dt
import html as htmllib
import io
import random
import re
import xml.etree.ElementTree as ET

from hub.core import clock
from hub.core import settings
from sync import metrics, scheduler
from tests.eventfactory import EventFactory
from tests.web.test_facilitator_support import _fresh_login_limits, make_account, sign_in  # noqa: F401

TZ = "Africa/Nairobi"


def _generate(db, today: dt.date, seed: int = 5) -> None:
    """A month of varied activity: two packs in two languages, exercises, check-ins, visitors."""
    rng = random.Random(seed)
    ev = EventFactory(db)
    resources = [("org.example.numbers", "count", "exercise", "en"), ("org.example.numbers", "song", "video", "sw"),
                 ("org.example.reading", "story", "article", "en"), ("org.example.reading", "letters", "article", "fr")]
    for pack, resource, kind, language in resources:
        ev.resource(pack, resource, kind=kind, language=language, title=f"{resource.title()} ({language})")
    for back in range(35):  # older days must not count
        day = today - dt.timedelta(days=back)
        for actor in rng.sample([f"L{n:03d}" for n in range(12)] + ["A001", "A002"], rng.randint(0, 9)):
            pack, resource, _kind, _lang = rng.choice(resources)
            when = f"{day.isoformat()}T{rng.randint(5, 17):02d}:{rng.randint(0, 59):02d}:00Z"
            verb = rng.choice(["started", "progressed", "completed", "answered"])
            ev.add(actor, verb, f"{pack}/{resource}", at=when, duration=rng.randint(30, 900),
                   score=1.0 if verb == "answered" else None)
            if not actor.startswith("A") and rng.random() < 0.3:
                ev.add(actor, "checked_in", at=when, mood=rng.randint(1, 5))


def _table(html: str, section: str) -> list[tuple[str, float]]:
    block = re.search(rf'<section class="chart-block" id="{section}".*?</section>', html, re.S).group(0)
    return [(htmllib.unescape(label), float(value.replace(",", "")))
            for label, value in re.findall(r'<th scope="row">([^<]*)</th><td>([^<]*)</td>', block)]


def test_dashboard_equals_the_metrics_module(app, client, db):
    settings.set(db, "timezone", TZ)
    today = clock.local_today(TZ)
    _generate(db, today)
    make_account(db)
    sign_in(client)
    scheduler.Scheduler(dict(app.config)).tick(db)  # the background rollup; a GET only reads
    html = client.get("/facilitator/").get_data(as_text=True)
    expected = metrics.dashboard(db, days=30, tz=TZ)
    days = expected["days"]
    assert len(days) == 30 and days[-1]["date"] == today.isoformat()
    assert [v for _l, v in _table(html, "active_learners")] == [d["active_learners"] for d in days]
    assert [v for _l, v in _table(html, "learning_minutes")] == [d["learning_minutes"] for d in days]
    assert sum(d["active_learners"] for d in days) > 30  # the generator made real activity
    assert _table(html, "top_resources") == [(r["title"], r["count"]) for r in expected["top_resources"]]
    assert _table(html, "completions_by_pack") == [(r["title"], r["count"])
                                                   for r in expected["completions_by_pack"]]
    assert [v for _l, v in _table(html, "completions_by_language")] == [
        r["count"] for r in expected["completions_by_language"]]
    assert [v for _l, v in _table(html, "checkins")] == [r["count"] for r in expected["checkins_by_mood"]]
    totals = expected["totals"]
    assert (f"Learners who used the hub in the last 30 days: {totals['active_learners']:,}." in html)
    assert f"Together they learned for {totals['learning_minutes']:,} minutes." in html
    assert f"They completed {totals['resources_completed']:,} resources." in html
    for svg in re.findall(r"<svg .*?</svg>", html, re.S):
        ET.fromstring(svg)
    exported = list(csv.reader(io.StringIO(client.get("/facilitator/dashboard.csv").get_data(as_text=True))))
    assert exported[0] == ["section", "key", "detail", "value"]
    assert exported[1][:2] == ["figures_as_of", expected["as_of"]]
    rows = {(s, k): float(v) for s, k, _d, v in exported[2:]}
    for d in days:
        assert rows[("active_learners", d["date"])] == d["active_learners"]
        assert rows[("learning_minutes", d["date"])] == d["learning_minutes"]
    for r in expected["completions_by_pack"]:
        assert rows[("completions_by_pack", r["pack"])] == r["count"]
    assert {k: v for (s, k), v in rows.items() if s == "totals"} == {k: float(v) for k, v in totals.items()}


def test_an_empty_hub_shows_zeros_and_no_broken_charts(client, db):
    make_account(db)
    sign_in(client)
    html = client.get("/facilitator/").get_data(as_text=True)
    assert "Learners who used the hub in the last 30 days: 0." in html
    assert [v for _l, v in _table(html, "active_learners")] == [0.0] * 30
    for svg in re.findall(r"<svg .*?</svg>", html, re.S):
        ET.fromstring(svg)
