"""The overview's numbers are the metrics module's numbers: charts, tables and CSV agree."""
from __future__ import annotations

import csv
import datetime as dt
import io
import re
import xml.etree.ElementTree as ET

import pytest

from tests.test_facilitator_support import _fresh_login_limits, make_account, sign_in  # noqa: F401

metrics = pytest.importorskip("sync.metrics", reason="sync.metrics has not landed yet")


def _events(db, today):
    rows = []
    for day in range(5):
        when = (today - dt.timedelta(days=day)).isoformat() + "T10:00:00+00:00"
        for learner in range(day + 1):
            rows.append((f"e{day}-{learner}", f"L{learner:04d}", "org.example.numbers", "count-1",
                         "completed" if learner % 2 else "progressed", 120 + 60 * learner, when))
    for row in rows:
        db.execute("INSERT INTO events (id, actor, anonymous, pack_id, resource_id, verb, duration_s, "
                   "client_ts, received_at) VALUES (?, ?, 0, ?, ?, ?, ?, ?, ?)", [*row, row[-1]])


def _table_numbers(html, section):
    block = re.search(rf'id="{section}".*?</section>', html, re.S).group(0)
    return [(label, float(value.replace(",", "")))
            for label, value in re.findall(r'<th scope="row">([^<]*)</th><td>([^<]*)</td>', block)]


def test_dashboard_equals_the_metrics_module(client, db):
    today = dt.date.today()
    _events(db, today)
    if hasattr(metrics, "rollup"):
        for day in range(6):
            try:
                metrics.rollup(db, today - dt.timedelta(days=day))
            except TypeError:
                break
    make_account(db)
    sign_in(client)
    expected = metrics.dashboard(db, days=30, tz="UTC")
    html = client.get("/facilitator/").get_data(as_text=True)
    days = expected["days"]
    assert len(days) == 30
    shown = _table_numbers(html, "active_learners")
    assert [value for _label, value in shown] == [float(d["active_learners"]) for d in days]
    assert sum(value for _l, value in shown) > 0
    minutes = _table_numbers(html, "learning_minutes")
    assert [v for _l, v in minutes] == [float(d["learning_minutes"]) for d in days]
    for svg in re.findall(r"<svg .*?</svg>", html, re.S):
        ET.fromstring(svg)
    exported = list(csv.reader(io.StringIO(client.get("/facilitator/dashboard.csv").get_data(as_text=True))))
    assert exported[0] == ["section", "key", "detail", "value"] and len(exported) > 30
