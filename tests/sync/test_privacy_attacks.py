"""One test per attack of docs/privacy-attacks (the shared design notes), each against the real
report pipeline: what recovered a child's numbers from the first wave recovers nothing now.

Actions are (actor, verb, pack, resource, score, minutes, day of the week, arrives late).
"""
from __future__ import annotations

import datetime as dt
import tempfile

from hub.core import settings as hub_settings
from hub.core.db import open_hub_db
from sync import privacy, report, upstream, week_cells, weeks
from tests.eventfactory import EventFactory, at
from tests.sync.lp_attacker import catalog_of, pinned
from tests.sync.test_suppression_audit import FIRST_BUILD, K, MONDAY, SECOND_BUILD, _seed, audit_hub


def act(actors, verb, pack, resource=0, *, score=0, minutes=5, day=2, late=False):
    """The same action by several actors."""
    return [(a, verb, pack, resource, score, minutes, day, late) for a in actors]


def kids(prefix, n):
    return [f"L{prefix}{i}" for i in range(n)]


def totals(rows):
    return {r["name"]: r["value"] for r in rows if not r["dims"]}


def old_rule_leaks(packs, actions) -> list[str]:
    """What the LP attacker finds when the same week is suppressed by the first wave's rule."""
    with tempfile.TemporaryDirectory() as folder:
        db = open_hub_db(folder)
        try:
            _seed(db, packs, actions)
            wk = weeks.week(db, MONDAY, "UTC")
            facts, cat, _ = report.week_facts(db, wk, until="9999")
            cells = [{"name": n, "dims": dict(d), "value": f.value, "learners": f.learners}
                     for (n, d), f in facts.items() if privacy.allowed(n, dict(d))]
            rows = privacy.suppress(cells, K)
            return pinned([rows], [facts], catalog_of(cat), K)
        finally:
            db.conn.close()


LINKED = [("p.big", [("r0", "article", "en"), ("r1", "video", "ar"), ("r2", "video", "en")]),
          ("p.mid", [("r0", "article", "fr"), ("r1", "video", "fr")]),
          ("p.small", [("r0", "article", "en"), ("r1", "video", "sw")])]
LINKED_WEEK = (act(kids("b", 20), "started", 0, 0) + act(kids("b", 2), "started", 0, 2)
               + act(kids("b", 20)[-2:], "started", 0, 1)
               + act(kids("m", 5), "started", 1, 0) + act(["Lm0"], "started", 1, 1)
               + act(kids("s", 2), "started", 2, 0) + act(["Ls0"], "started", 2, 1))


def test_1_a_pack_and_its_only_language_are_suppressed_together():
    assert old_rule_leaks(LINKED, LINKED_WEEK), "the first wave's rule should leak here"
    found, made = audit_hub(LINKED, LINKED_WEEK)
    assert not found, found
    rows = made[0]["metrics"]
    by_pack = [r for r in rows if r["name"] == "resources_started" and "pack" in r["dims"]]
    assert by_pack and all(r["suppressed"] for r in by_pack)  # one small pack hides the whole table


def test_2_cross_metric_bounds_do_not_pin_a_small_pack():
    packs = [("p.a", [("r0", "article", "en"), ("r1", "video", "en")]), ("p.b", [("r0", "article", "en")]),
             ("p.c", [("r0", "article", "sw")])]
    week = act(kids("a", 6), "started", 0, 0) + act(["Lb0"], "started", 1) + act(kids("c", 10), "started", 2)
    found, _ = audit_hub(packs, week)
    assert not found, found


def test_3_the_complement_rule_gives_nothing_away():
    packs = [("p.x", [("r0", "article", "en")]), ("p.y", [("r0", "article", "en")]),
             ("p.z", [("r0", "article", "en")])]
    week = act(kids("x", 3), "started", 0) + act(kids("y", 5), "started", 1) + act(kids("z", 5), "started", 2)
    found, _ = audit_hub(packs, week)
    assert not found, found


def test_4_one_late_tablet_makes_no_revision_and_five_make_a_protected_one():
    packs = [("p.num", [("r0", "exercise", "en")])]
    week = act(kids("n", 12), "answered", 0, score=1) + act(kids("n", 12), "started", 0)
    one_late = week + [("Llate", "answered", 0, 0, 1, 37, 3, True), ("Llate", "checked_in", 0, 0, 0, 0, 3, True)]
    found, made = audit_hub(packs, one_late)
    assert not found and [r["revision"] for r in made] == [1]  # it waits on the hub
    five_late = week + act(kids("late", 5), "answered", 0, score=1, late=True) + [
        ("Llate0", "checked_in", 0, 0, 0, 0, 3, True)]
    found, made = audit_hub(packs, five_late)
    assert not found, found
    assert [r["revision"] for r in made] == [1, 2]


def test_5_a_time_zone_change_never_recuts_a_sent_week(tmp_path):
    conf = {"HUB_DATA_DIR": str(tmp_path), "HUB_K_THRESHOLD": K, "HUB_TIMEZONE": "UTC"}
    upstream.register(conf, "http://127.0.0.1:9", "hub-tz", "s" * 32)
    db = open_hub_db(tmp_path)
    ev = EventFactory(db)
    ev.resource("p.one", "r0")
    for n in range(8):
        ev.add(f"L{n}", "started", "p.one/r0", at=at("2024-05-12", 22, 30))  # Sunday 23:30 UTC-ish
    first = report.build_closed_weeks(db, conf, now=FIRST_BUILD)
    hub_settings.set(db, "timezone", "Africa/Nairobi")  # Sunday 22:30 UTC is Monday 01:30 there
    later = report.build_closed_weeks(db, conf, now=FIRST_BUILD + dt.timedelta(days=7))
    assert [r["report_id"] for r in first] == ["week-2024-W19"]
    assert [(r["report_id"], r["revision"]) for r in later] == [("week-2024-W20", 1)]  # no re-cut
    frozen = weeks.frozen_rows(db)
    assert frozen[dt.date(2024, 5, 13)]["start_utc"] == frozen[dt.date(2024, 5, 6)]["end_utc"]
    db.conn.close()


def test_7_returning_and_new_are_suppressed_as_a_breakdown():
    packs = [("p.one", [("r0", "article", "en")])]
    week = act(kids("r", 11), "started", 0) + act(kids("r", 10), "started", 0, day=-3)
    _found, made = audit_hub(packs, week)
    assert totals(made[-1]["metrics"])["active_learners"] == 11
    assert totals(made[-1]["metrics"])["returning_learners"] is None  # 11 - 10 would be one new child


def test_8_no_homogeneous_zero_and_no_single_mood():
    packs = [("p.num", [("r0", "exercise", "en")])]
    week = act(kids("z", 12), "answered", 0, score=0) + act(kids("z", 6), "checked_in", 0)
    _found, made = audit_hub(packs, [(a, v, p, r, s, m, d, lt) for a, v, p, r, s, m, d, lt in week])
    rows = made[0]["metrics"]
    assert totals(rows)["exercise_attempts"] == 12 and totals(rows)["exercise_correct"] is None
    moods = [r for r in rows if r["name"] == "checkins"]
    assert [r["dims"]["mood"] for r in moods] == [1, 2, 3, 4, 5] and all(r["suppressed"] for r in moods)


def test_9_a_one_child_hub_shows_nothing_not_even_which_weeks_she_came(tmp_path):
    conf = {"HUB_DATA_DIR": str(tmp_path), "HUB_K_THRESHOLD": K, "HUB_TIMEZONE": "UTC"}
    upstream.register(conf, "http://127.0.0.1:9", "hub-one", "s" * 32)
    db = open_hub_db(tmp_path)
    ev = EventFactory(db)
    ev.resource("p.one", "r0")
    ev.add("L0", "started", "p.one/r0", at=at("2024-04-24"))  # she came in week 17, not in 18
    ev.add("L0", "checked_in", at=at("2024-05-08"), mood=1)    # and checked in, very sad, in 19
    made = report.build_closed_weeks(db, conf, now=FIRST_BUILD)
    db.conn.close()
    assert [r["report_id"] for r in made] == ["week-2024-W17", "week-2024-W18", "week-2024-W19"]
    shapes = {tuple((r["name"], tuple(r["dims"].items()), r["value"]) for r in m["metrics"]) for m in made}
    assert len(shapes) == 1  # the three weeks look exactly alike
    assert all(r["value"] is None for r in made[0]["metrics"])


def test_10_anonymous_sessions_count_as_one_learner_at_most():
    packs = [("p.one", [("r0", "article", "en")])]
    week = act(["L0"], "started", 0, minutes=40) + act(["A1", "A2", "A3", "A4"], "started", 0)
    _found, made = audit_hub(packs, week)
    assert all(r["value"] is None for r in made[0]["metrics"])  # 1 + 1 learners < k: totals only, hidden
    assert {r["name"] for r in made[0]["metrics"]} == {n for n, keys in privacy.BREAKDOWNS.items() if "" in keys}


def test_a_zim_article_is_counted_as_kind_other_and_the_week_still_goes():
    packs = [("p.wiki", [("r0", "zim", "en")]), ("p.num", [("r0", "exercise", "en")])]
    week = act(kids("w", 6), "started", 0) + act(kids("w", 6), "completed", 1)
    found, made = audit_hub(packs, week)
    assert not found and report.validate(made[0]) == []
    kinds = {r["dims"]["kind"]: r["value"] for r in made[0]["metrics"]
             if r["name"] == "resources_started" and "kind" in r["dims"]}
    assert kinds["other"] == 6 and kinds["exercise"] == 6 and "zim" not in kinds
