"""Small-cell suppression, on its own: primary, complementary, and never recoverable (hypothesis)."""
from __future__ import annotations

import datetime as dt
import shutil

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hub.core.db import connect, open_hub_db
from sync import aggregate, privacy
from tests.eventfactory import EventFactory, at

ADDITIVE = {"resources_started", "resources_completed", "exercise_attempts", "exercise_correct"}


def cell(name, dims, value, learners):
    return {"name": name, "dims": dims, "value": value, "learners": learners}


def by_key(rows):
    return {(r["name"], tuple(sorted(r["dims"].items()))): r for r in rows}


def test_counts_below_k_are_hidden_and_values_from_few_learners_too():
    rows = by_key(privacy.suppress([
        cell("active_learners", {}, 12, 12), cell("active_sessions", {}, 3, 3),
        cell("learning_minutes", {}, 400, 4), cell("returning_learners", {}, 5, 5),
        cell("checkins", {"mood": 5}, 9, 4), cell("checkins", {"mood": 3}, 6, 6)], k=5))
    assert rows[("active_learners", ())] == {"name": "active_learners", "value": 12, "suppressed": False, "dims": {}}
    assert rows[("active_sessions", ())]["value"] is None and rows[("active_sessions", ())]["suppressed"]
    assert rows[("learning_minutes", ())]["value"] is None  # 400 minutes, but from 4 learners
    assert rows[("returning_learners", ())]["value"] == 5
    assert rows[("checkins", (("mood", 5),))]["suppressed"] and rows[("checkins", (("mood", 3),))]["value"] == 6


def test_a_lone_hidden_cell_takes_the_smallest_shown_one_with_it():
    rows = by_key(privacy.suppress([
        cell("resources_started", {}, 40, 20), cell("resources_started", {"pack": "a"}, 25, 12),
        cell("resources_started", {"pack": "b"}, 12, 6), cell("resources_started", {"pack": "c"}, 3, 2)], k=5))
    assert rows[("resources_started", (("pack", "c"),))]["suppressed"]
    assert rows[("resources_started", (("pack", "b"),))]["suppressed"]  # else c = 40 - 25 - 12
    assert rows[("resources_started", (("pack", "a"),))]["value"] == 25
    assert rows[("resources_started", ())]["value"] == 40


def test_hidden_cells_that_could_only_be_ones_hide_the_whole_metric():
    # Five packs with one learner each: hiding all five still says "1 each" (5 - 0 = 5 cells).
    cells = [cell("resources_completed", {}, 5, 5)] + [
        cell("resources_completed", {"pack": f"p{i}"}, 1, 1) for i in range(5)]
    rows = privacy.suppress(cells, k=5)
    assert all(r["suppressed"] and r["value"] is None for r in rows)


def test_only_contract_metrics_and_breakdowns_leave():
    rows = privacy.suppress([cell("_resource_learners", {"resource": "p/r"}, 9, 9),
                             cell("active_learners", {"kind": "video"}, 9, 9),
                             cell("active_learners", {}, 9, 9)], k=2)
    assert [(r["name"], r["dims"]) for r in rows] == [("active_learners", {})]


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    folder = tmp_path_factory.mktemp("template")
    db = open_hub_db(folder)
    ev = EventFactory(db)
    ev.resource("p.a", "r1", kind="exercise", language="en")
    ev.resource("p.a", "r2", kind="video", language="fr")
    ev.resource("p.b", "r3", kind="article", language="en")
    ev.resource("p.c", "r4", kind="exercise", language="sw")
    db.conn.close()
    return folder / "hub.db"


RESOURCES = ["p.a/r1", "p.a/r2", "p.b/r3", "p.c/r4", "p.gone/r5"]
event = st.tuples(st.integers(0, 11), st.booleans(), st.sampled_from(RESOURCES),
                  st.sampled_from(["started", "progressed", "completed", "answered", "checked_in"]),
                  st.sampled_from([0, 20, 45, 60, 600]), st.sampled_from([0.0, 1.0]), st.integers(1, 5))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(events=st.lists(event, min_size=1, max_size=60), k=st.integers(2, 6))
def test_no_hidden_value_can_be_derived_from_what_is_shown(template, tmp_path, events, k):
    path = tmp_path / f"h{abs(hash((tuple(events), k)))}.db"
    shutil.copy(template, path)
    db = connect(path)
    ev = EventFactory(db)
    for actor, anonymous, resource, verb, duration, score, mood in events:
        who = f"A{actor}" if anonymous else f"L{actor}"
        if verb == "checked_in":
            ev.add(who, verb, at=at("2024-05-10", 10), mood=mood)
        else:
            ev.add(who, verb, resource, at=at("2024-05-10", 10), duration=duration,
                   score=score if verb == "answered" else None)
    cells = [cell(n, d, v, c) for n, d, v, c in aggregate.compute_day(db, dt.date(2024, 5, 10), "UTC")]
    db.conn.close()
    path.unlink()
    truth = by_key(cells)
    rows = privacy.suppress(cells, k)
    # Primary: nothing computed from fewer than k learners is shown.
    for row in rows:
        key = (row["name"], tuple(sorted(row["dims"].items())))
        if truth[key]["learners"] < k:
            assert row["suppressed"] and row["value"] is None
        if not row["suppressed"]:
            assert row["value"] == pytest.approx(truth[key]["value"])
    # Complementary: total minus the shown cells never pins a hidden cell.
    for name, keys in privacy.BREAKDOWNS.items():
        mine = [r for r in rows if r["name"] == name]
        total = next((r for r in mine if not r["dims"]), None)
        if total is None:
            continue
        if total["suppressed"]:
            assert all(r["suppressed"] for r in mine)
            continue
        for key in keys[1:]:
            part = [r for r in mine if list(r["dims"]) == [key]]
            hidden = [r for r in part if r["suppressed"]]
            if not hidden:
                continue
            assert len(hidden) >= 2, (name, key, part)
            if name in ADDITIVE:
                lower = privacy.LOWER_BOUND.get(name, 1)
                residual = total["value"] - sum(r["value"] for r in part if not r["suppressed"])
                # each hidden cell lies in [lower, residual - (n-1)*lower]: never a single value
                assert residual > lower * len(hidden), (name, key, part, residual)
