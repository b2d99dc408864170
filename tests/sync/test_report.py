"""Reports: schema-valid, one per closed ISO week with a stable id, frozen, no identifiers."""
from __future__ import annotations

import datetime as dt
import gzip
import json

import pytest

from hub.core.db import open_hub_db
from sync import outbox, report, upstream
from tests.eventfactory import EventFactory, at

NOW = dt.datetime(2024, 5, 20, 12, tzinfo=dt.timezone.utc)  # a Monday: the week of 13-19 May closed


@pytest.fixture
def hub(tmp_path):
    conf = {"HUB_DATA_DIR": str(tmp_path), "HUB_K_THRESHOLD": 5, "HUB_TIMEZONE": "UTC",
            "HUB_UPSTREAM_URL": "", "HUB_ID": "", "HUB_SECRET": "", "HUB_SYNC_INTERVAL": 900}
    upstream.register(conf, "http://127.0.0.1:9", "hub-test", "s" * 32)
    db = open_hub_db(tmp_path)
    yield db, conf
    db.conn.close()


def seed(db):
    ev = EventFactory(db)
    ev.resource("p.num", "count", kind="exercise", language="en", title="Counting with Amina")
    names = ["Amina Yusuf", "Baraka Otieno", "Chidi Obi", "Dalia Haddad", "Esi Mensah", "Farah Ali", "Gift Banda"]
    for i, name in enumerate(names):
        ev.learner(f"L{i:04x}deadbeef", name)
        ev.add(f"L{i:04x}deadbeef", "started", "p.num/count", at=at("2024-05-10", 9 + i), duration=300,
               event_id=f"5e5e5e5e-0000-4000-8000-00000000000{i}", data={"note": f"free text by {name}"})
        ev.add(f"L{i:04x}deadbeef", "checked_in", at=at("2024-05-10", 8), mood=3 + i % 2,
               data={"comment": "secret feelings"})
    ev.add("Aanon42", "started", "p.num/count", at=at("2024-05-11", 9))
    return ev


def test_reports_are_valid_one_per_closed_week_with_stable_ids(hub):
    db, conf = hub
    seed(db)
    made = report.build_closed_weeks(db, conf, now=NOW)
    # 6-12 May, and 13-19 May although nobody came: every closed week goes, so none says "nobody"
    assert [r["report_id"] for r in made] == ["week-2024-W19", "week-2024-W20"]
    made += report.build_closed_weeks(db, conf, now=NOW + dt.timedelta(days=7))
    assert [r["report_id"] for r in made] == ["week-2024-W19", "week-2024-W20", "week-2024-W21"]
    assert all(report.validate(r) == [] and r["revision"] == 1 for r in made)
    assert made[0]["period"] == {"start": "2024-05-06", "end": "2024-05-12", "kind": "week"}
    assert made[0]["k_threshold"] == 5
    total = {r["name"]: r["value"] for r in made[0]["metrics"] if not r["dims"]}
    assert total["active_learners"] == 7 and total["active_sessions"] is None  # one anonymous session
    assert report.build_closed_weeks(db, conf, now=NOW) == []  # frozen: nothing new


def test_late_events_from_fewer_than_k_learners_wait_then_k_make_a_revision(hub):
    db, conf = hub
    ev = seed(db)
    report.build_closed_weeks(db, conf, now=NOW)
    later = NOW + dt.timedelta(hours=1)
    for n in range(4):
        ev.add(f"Llate{n}", "completed", "p.num/count", at=at("2024-05-10", 15), received=at("2024-05-20", 12, 5))
    assert report.build_closed_weeks(db, conf, now=later) == []  # four late learners: they wait
    ev.add("Llate4", "completed", "p.num/count", at=at("2024-05-10", 15), received=at("2024-05-20", 12, 6))
    again = report.build_closed_weeks(db, conf, now=later)
    assert [(r["report_id"], r["revision"]) for r in again] == [("week-2024-W19", 2)]
    assert [(p["report_id"], p["revision"]) for p in outbox.pending(db)] == [
        ("week-2024-W19", 2), ("week-2024-W20", 1)]


def test_no_identifier_name_pin_free_text_or_event_id_in_any_report_byte(hub):
    db, conf = hub
    seed(db)
    report.build_closed_weeks(db, conf, now=NOW)
    sent = b"".join(bytes(r["body"]) for r in outbox.pending(db))
    wire = sent + gzip.decompress(gzip.compress(sent))
    forbidden = [row[0] for row in db.execute("SELECT actor FROM events")]
    forbidden += [row[0] for row in db.execute("SELECT id FROM events")]
    forbidden += [w for row in db.execute("SELECT name FROM learners") for w in row[0].split()]
    forbidden += ["pbkdf2", "secret-pin-hash", "free text", "secret feelings", "Counting with Amina", "note"]
    for needle in forbidden:
        assert needle.encode() not in wire, needle
    assert b"s" * 32 not in wire  # nor the hub's secret


def test_the_schema_refuses_what_should_not_leave(hub):
    db, conf = hub
    seed(db)
    good = report.build_closed_weeks(db, conf, now=NOW)[0]
    cases = {
        "learner": dict(good, learner="L0000deadbeef"),
        "metrics/0/dims": dict(good, metrics=[{"name": "active_learners", "value": 3, "suppressed": False,
                                               "dims": {"learner": "L1"}}]),
        "metrics/0/name": dict(good, metrics=[{"name": "learner_names", "value": 1, "suppressed": False, "dims": {}}]),
        "metrics/0": dict(good, metrics=[{"name": "checkins", "value": 2, "suppressed": True, "dims": {"mood": 3}}]),
        "revision": dict(good, revision=0),
    }
    for where, bad in cases.items():
        problems = report.validate(bad)
        assert problems and any(p["field"].startswith(where) or where in p["message"] for p in problems), (where, problems)
    wrong_breakdown = dict(good, metrics=[{"name": "checkins", "value": 9, "suppressed": False, "dims": {"pack": "p.num"}}])
    assert report.validate(wrong_breakdown)[0]["field"] == "metrics/0/dims"


def test_preview_is_exactly_the_next_report_to_leave(hub):
    db, conf = hub
    seed(db)
    so_far = report.so_far(db, conf, now=dt.datetime(2024, 5, 11, 12, tzinfo=dt.timezone.utc))
    assert so_far["report_id"] == "week-2024-W19" and report.validate(so_far) == []  # the open week
    report.build_closed_weeks(db, conf, now=NOW)
    assert report.preview(db, conf) == json.loads(outbox.next_body(db))
    status = outbox.status(db, conf)
    assert set(status) == {"upstream", "pending", "last_success", "last_error", "next_attempt", "clock_warning"}
    assert status["pending"] == 2 and status["upstream"] == "http://127.0.0.1:9"


def test_a_clock_earlier_than_the_newest_pack_install_is_warned_about(hub):
    db, conf = hub
    EventFactory(db).pack("p.future", installed_at="2999-01-01T00:00:00Z")
    assert "newest pack install" in outbox.status(db, conf)["clock_warning"]


def test_a_week_that_cannot_be_built_is_noted_and_never_stops_the_others(hub, monkeypatch):
    db, conf = hub
    seed(db)
    real_build = report.build

    def broken_for_one_week(db_, settings, wk, **kwargs):
        if wk.report_id == "week-2024-W19":  # fault injection: this one week cannot be built
            raise RuntimeError("the disk said no")
        return real_build(db_, settings, wk, **kwargs)

    monkeypatch.setattr(report, "build", broken_for_one_week)
    made = report.build_closed_weeks(db, conf, now=NOW)
    assert [r["report_id"] for r in made] == ["week-2024-W20"]
    assert report.week_errors(db) == {"week-2024-W19": "RuntimeError: the disk said no"}
    monkeypatch.setattr(report, "build", real_build)
    again = report.build_closed_weeks(db, conf, now=NOW)  # the next round builds it after all
    assert [r["report_id"] for r in again] == ["week-2024-W19"] and report.week_errors(db) == {}
