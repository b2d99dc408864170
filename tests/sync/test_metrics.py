"""The daily rollup against a hand-computed day, for every metric and breakdown."""
from __future__ import annotations

import datetime as dt

import pytest

from hub.core.db import open_hub_db
from sync import metrics
from tests.eventfactory import EventFactory, at

DAY = dt.date(2024, 5, 10)


@pytest.fixture
def hubdb(tmp_path):
    db = open_hub_db(tmp_path)
    yield db
    db.conn.close()


def busy_day(db) -> EventFactory:
    """The fixture day 2024-05-10 (UTC), figures computed by hand in each test below."""
    ev = EventFactory(db)
    ev.resource("p.num", "count", kind="exercise", language="en")
    ev.resource("p.num", "video1", kind="video", language="en")
    ev.resource("p.read", "story", kind="article", language="fr")
    # p.gone/old belonged to a removed pack: no resources row any more.
    ev.add("L1", "started", "p.num/count", at=at("2024-05-10", 9), duration=90)
    ev.add("L1", "answered", "p.num/count", at=at("2024-05-10", 9, 5), score=1)
    ev.add("L1", "answered", "p.num/count", at=at("2024-05-10", 9, 6), score=0)
    ev.add("L1", "completed", "p.num/count", at=at("2024-05-10", 9, 10), duration=150)
    ev.add("L2", "started", "p.read/story", at=at("2024-05-10", 11), duration=300)
    ev.add("L2", "completed", "p.read/story", at=at("2024-05-10", 11, 5))
    ev.add("L3", "progressed", "p.gone/old", at=at("2024-05-10", 12), duration=60)
    ev.add("A1", "started", "p.num/video1", at=at("2024-05-10", 13), duration=120)
    ev.add("L1", "checked_in", at=at("2024-05-10", 8), mood=4)
    ev.add("L2", "checked_in", at=at("2024-05-10", 8), mood=4)
    ev.add("L3", "checked_in", at=at("2024-05-10", 8), mood=2)
    # L4's device clock said 12 May; the hub received it on the 10th and noted the skew.
    ev.add("L4", "started", "p.num/video1", at=at("2024-05-12", 10), received=at("2024-05-10", 10), skew=172800)
    ev.add("L1", "started", "p.num/count", at=at("2024-05-08", 10))   # L1 returns on the 10th
    ev.add("L5", "started", "p.num/count", at="2024-05-09T23:30:00Z")  # the 9th in UTC, the 10th in Nairobi
    return ev


def figures(db, day=DAY):
    return {(r["name"], tuple(sorted(r["dims"].items()))): r["value"]
            for r in metrics.daily_rows(db, day, day) if not r["name"].startswith("_")}


def test_every_metric_of_a_day_matches_the_hand_computed_figures(hubdb):
    busy_day(hubdb)
    metrics.rollup(hubdb, DAY, "UTC")
    got = figures(hubdb)
    expected = {
        ("active_learners", ()): 4,  # L1 L2 L3 L4 (A1 is anonymous)
        ("active_learners", (("pack", "p.num"),)): 2, ("active_learners", (("pack", "p.read"),)): 1,
        ("active_learners", (("pack", "p.gone"),)): 1,
        ("active_learners", (("language", "en"),)): 2, ("active_learners", (("language", "fr"),)): 1,
        ("active_learners", (("language", "unknown"),)): 1,
        ("active_sessions", ()): 1,
        # 90+150 (L1) + 300 (L2) + 60 (L3) + 120 (A1) + 0 (L4) seconds = 720 s
        ("learning_minutes", ()): 12,
        ("learning_minutes", (("pack", "p.num"),)): 6, ("learning_minutes", (("pack", "p.read"),)): 5,
        ("learning_minutes", (("pack", "p.gone"),)): 1,
        ("learning_minutes", (("kind", "exercise"),)): 4, ("learning_minutes", (("kind", "video"),)): 2,
        ("learning_minutes", (("kind", "article"),)): 5, ("learning_minutes", (("kind", "unknown"),)): 1,
        # pairs: L1-count L2-story L3-old A1-video1 L4-video1
        ("resources_started", ()): 5,
        ("resources_started", (("pack", "p.num"),)): 3, ("resources_started", (("pack", "p.read"),)): 1,
        ("resources_started", (("pack", "p.gone"),)): 1,
        ("resources_started", (("kind", "exercise"),)): 1, ("resources_started", (("kind", "video"),)): 2,
        ("resources_started", (("kind", "article"),)): 1, ("resources_started", (("kind", "unknown"),)): 1,
        ("resources_started", (("language", "en"),)): 3, ("resources_started", (("language", "fr"),)): 1,
        ("resources_started", (("language", "unknown"),)): 1,
        ("resources_completed", ()): 2,
        ("resources_completed", (("pack", "p.num"),)): 1, ("resources_completed", (("pack", "p.read"),)): 1,
        ("resources_completed", (("kind", "exercise"),)): 1, ("resources_completed", (("kind", "article"),)): 1,
        ("resources_completed", (("language", "en"),)): 1, ("resources_completed", (("language", "fr"),)): 1,
        ("exercise_attempts", ()): 2, ("exercise_attempts", (("pack", "p.num"),)): 2,
        ("exercise_correct", ()): 1, ("exercise_correct", (("pack", "p.num"),)): 1,
        ("checkins", (("mood", 4),)): 2, ("checkins", (("mood", 2),)): 1,
        ("returning_learners", ()): 1,  # L1, active on the 8th too
    }
    assert got == expected


def test_the_day_follows_the_hub_time_zone(hubdb):
    busy_day(hubdb)
    metrics.rollup(hubdb, DAY, "Africa/Nairobi")
    assert figures(hubdb)[("active_learners", ())] == 5  # L5's 23:30 UTC is 02:30 on the 10th


def test_rollup_is_idempotent_and_incremental(hubdb):
    ev = busy_day(hubdb)
    first = metrics.rollup_pending(hubdb, "UTC", until=dt.date(2024, 5, 31))
    assert DAY in first and dt.date(2024, 5, 8) in first
    rows = metrics.daily_rows(hubdb, dt.date(2024, 5, 1), dt.date(2024, 5, 31))
    metrics.rollup(hubdb, DAY, "UTC")
    assert metrics.daily_rows(hubdb, dt.date(2024, 5, 1), dt.date(2024, 5, 31)) == rows
    assert metrics.rollup_pending(hubdb, "UTC", until=dt.date(2024, 5, 31)) == []
    ev.add("L9", "started", "p.num/count", at=at("2024-05-10", 20), received="2030-01-01T00:00:00Z")
    again = metrics.rollup_pending(hubdb, "UTC", until=dt.date(2024, 5, 31))
    assert DAY in again and dt.date(2024, 5, 8) not in again and dt.date(2024, 5, 9) not in again
    assert figures(hubdb)[("active_learners", ())] == 5


def test_a_new_time_zone_recomputes_every_day(hubdb):
    busy_day(hubdb)
    metrics.rollup_pending(hubdb, "UTC", until=dt.date(2024, 5, 31))
    assert figures(hubdb)[("active_learners", ())] == 4
    metrics.rollup_pending(hubdb, "Africa/Nairobi", until=dt.date(2024, 5, 31))
    assert figures(hubdb)[("active_learners", ())] == 5


def test_the_dashboard_shows_local_unsuppressed_figures_from_the_same_rows(hubdb):
    busy_day(hubdb)
    metrics.rollup_pending(hubdb, "UTC", until=dt.date(2024, 5, 12))  # the background's job
    board = metrics.dashboard(hubdb, days=7, today=dt.date(2024, 5, 12), tz="UTC")
    by_day = {d["date"]: d for d in board["days"]}
    assert len(board["days"]) == 7
    assert by_day["2024-05-10"] == {"date": "2024-05-10", "active_learners": 4, "learning_minutes": 12}
    assert by_day["2024-05-09"]["active_learners"] == 1
    assert board["top_resources"][0] == {"resource": "p.num/count", "title": "count", "count": 3}
    assert {r["pack"]: r["count"] for r in board["completions_by_pack"]} == {"p.num": 1, "p.read": 1}
    assert {r["language"]: r["count"] for r in board["completions_by_language"]} == {"en": 1, "fr": 1}
    assert [r["count"] for r in board["checkins_by_mood"]] == [0, 1, 0, 2, 0]
    assert board["totals"] == {"active_learners": 5, "learning_minutes": 12, "resources_completed": 2}


def test_hub_metrics_rollup_command(runner, data_dir):
    db = open_hub_db(data_dir)
    busy_day(db)
    db.conn.close()
    result = runner.invoke(["metrics", "rollup", "--date", "2024-05-10"])
    assert result.exit_code == 0 and result.output.startswith("2024-05-10:")
    result = runner.invoke(["metrics", "rollup"])
    assert result.exit_code == 0 and "2024-05-08:" in result.output
    bad = runner.invoke(["metrics", "rollup", "--date", "10/05/2024"])
    assert bad.exit_code == 1 and bad.output.startswith("--date:")
