"""The store contract: every test runs against SQLite and against a real PostgreSQL server."""
from __future__ import annotations

import random
import threading

from sync.central import migrations
from sync.central.receive import receive, receive_heartbeat
from sync.central.scope import Scope
from sync.central.store import Store
from tests.sync.centraldata import heartbeat, signed, sums_match_rows, week_report

NOW = "2026-12-07T09:00:00Z"


def test_migrations_are_named_ordered_and_applied_once(central_store, tmp_path):
    names = [name for (name,) in central_store.db.execute(
        "SELECT name FROM central_migrations ORDER BY name")]
    assert names == [name for name, _ in migrations.MIGRATIONS] == sorted(names)
    assert migrations.migrate(central_store.db, NOW) == []  # a second start changes nothing


def test_hubs_carry_name_region_partner_and_a_secret_that_round_trips(central_store):
    store = central_store
    assert store.add_hub("hub-a", "s" * 40, NOW, name="Kibera library", region="Nairobi", partner="Words NGO")
    assert not store.add_hub("hub-a", "other", NOW)
    assert store.hub_secret("hub-a") == "s" * 40 and store.hub_secret("nope") is None
    assert store.update_hub("hub-a", "Kibera library hub", "Nairobi", "Numbers Publisher")
    assert not store.update_hub("nope", "", "", "")
    hub = store.hub("hub-a")
    assert (hub["name"], hub["region"], hub["partner"]) == ("Kibera library hub", "Nairobi", "Numbers Publisher")
    assert store.places() == {"regions": ["Nairobi"], "partners": ["Numbers Publisher"]}


def test_a_report_is_stored_then_duplicate_then_superseded(central_store):
    store = central_store
    store.add_hub("hub-a", "s" * 40, NOW)
    assert store.save_report("hub-a", week_report(revision=2, learners=20), NOW) == "stored"
    assert store.save_report("hub-a", week_report(revision=2, learners=20), NOW) == "duplicate"
    assert store.save_report("hub-a", week_report(revision=1, learners=10), NOW) == "superseded"
    assert store.save_report("hub-a", week_report(revision=3, learners=30, hidden_pack=False), NOW) == "stored"
    rows = store.rows("active_learners", "hub-a")
    assert [(r["dims"], r["value"], r["revision"]) for r in rows] == [
        ({}, 30, 3), ({"pack": "org.example.numbers"}, 30, 3)]
    assert {r["period_kind"] for r in rows} == {"week"}
    assert rows[0]["period_start"] == "2026-11-30" and rows[0]["period_end"] == "2026-12-06"


def test_day_reports_of_older_hubs_are_still_taken(central_store):
    store = central_store
    store.add_hub("hub-old", "s" * 40, NOW)
    report = week_report("hub-old")
    report.update(report_id="daily-2026-12-01", period={"start": "2026-12-01", "end": "2026-12-01"})
    body, signature = signed("s" * 40, report)
    assert receive(store, "hub-old", signature, body) == (200, {"status": "stored"})
    assert {r["period_kind"] for r in store.rows(hub_id="hub-old")} == {"day"}


def test_a_week_that_is_not_monday_to_sunday_is_refused_and_remembered(central_store):
    store = central_store
    store.add_hub("hub-a", "s" * 40, NOW)
    report = week_report(monday="2026-12-01")  # a Tuesday
    body, signature = signed("s" * 40, report)
    status, answer = receive(store, "hub-a", signature, body, received_at=NOW)
    assert status == 400 and answer["details"][0]["field"] == "period"
    hub = store.hub("hub-a")
    assert hub["last_refused_at"] == NOW and "Monday" in hub["last_refused_reason"]
    assert store.rows() == []


def _push_all(store, reports, threads=8):
    barrier = threading.Barrier(threads)
    answers, errors = [], []

    def worker(mine):
        try:
            barrier.wait(10)
            for report in mine:
                answers.append(store.save_report("hub-a", report, NOW))
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    chunks = [reports[i::threads] for i in range(threads)]
    running = [threading.Thread(target=worker, args=(c,)) for c in chunks]
    for thread in running:
        thread.start()
    for thread in running:
        thread.join(60)
    assert not errors, errors
    return answers


def test_concurrent_pushes_of_one_report_and_of_revisions_end_with_the_highest(central_store):
    store = central_store
    store.add_hub("hub-a", "s" * 40, NOW)
    same = [week_report(revision=1)] * 16
    answers = _push_all(store, same)
    assert sorted(answers) == ["duplicate"] * 15 + ["stored"]
    assert len(store.rows(hub_id="hub-a")) == len(same[0]["metrics"])

    revisions = [week_report(revision=r, learners=10 + r) for r in range(2, 26)] * 2
    random.Random(16).shuffle(revisions)
    _push_all(store, revisions)
    rows = store.rows("active_learners", "hub-a")
    assert [(r["dims"], r["value"], r["revision"]) for r in rows if not r["dims"]] == [({}, 35, 25)]
    assert len(store.rows(hub_id="hub-a")) == len(same[0]["metrics"])  # one revision's rows, never two


def test_heartbeats_keep_the_newest_and_are_signed_like_reports(central_store):
    store = central_store
    store.add_hub("hub-a", "s" * 40, NOW)
    body, signature = signed("s" * 40, heartbeat(sent_at="2026-12-07T08:00:00Z", disk_free_mb=300))
    assert receive_heartbeat(store, "hub-a", signature, body, received_at=NOW) == (200, {"status": "stored"})
    older, older_sig = signed("s" * 40, heartbeat(sent_at="2026-12-06T08:00:00Z", disk_free_mb=9000))
    assert receive_heartbeat(store, "hub-a", older_sig, older, received_at=NOW)[0] == 200
    beat = store.hub("hub-a")["heartbeat"]
    assert beat["disk_free_mb"] == 300 and beat["version"] == "1.4.0" and beat["last_event_day"] == "2026-12-06"
    assert beat["packs"] == [{"id": "org.example.numbers", "version": "1.2.0"}]
    assert receive_heartbeat(store, "hub-a", "sha256=00", body)[0] == 401
    bad, bad_sig = signed("s" * 40, {**heartbeat(), "learners": ["ana"]})
    status, answer = receive_heartbeat(store, "hub-a", bad_sig, bad)
    assert status == 400 and answer["details"] == [{"field": "learners", "message": "unknown field"}]


def test_rows_are_limited_to_a_scope_and_filters(central_store):
    store = central_store
    store.add_hub("hub-n", "s" * 40, NOW, region="North", partner="Alpha")
    store.add_hub("hub-s", "t" * 40, NOW, region="South", partner="Beta")
    store.save_report("hub-n", week_report("hub-n"), NOW)
    store.save_report("hub-s", week_report("hub-s", monday="2026-11-23"), NOW)
    assert {r["hub_id"] for r in store.rows(scope=Scope(region="North"))} == {"hub-n"}
    assert {r["hub_id"] for r in store.rows(scope=Scope(partner="Beta"))} == {"hub-s"}
    assert store.rows(scope=Scope(partner="Beta"), hub_id="hub-n") == []
    assert {r["hub_id"] for r in store.rows(since="2026-11-30")} == {"hub-n"}
    assert {r["hub_id"] for r in store.rows(region="South")} == {"hub-s"}
    assert [h["hub_id"] for h in store.hubs(Scope(partner="Alpha"))] == ["hub-n"]


def test_users_are_admins_or_scoped(central_store):
    store = central_store
    store.set_user("ana", "hash-a", NOW)
    store.set_user("pat", "hash-p", NOW, partner="Beta")
    assert store.user("ana").is_admin and not store.user("pat").is_admin
    assert store.user("pat").scope == Scope(partner="Beta")
    assert store.set_scope("pat", "North", "") and store.user("pat").scope == Scope(region="North")
    assert [u.username for u in store.users()] == ["ana", "pat"]
    assert store.remove_user("pat") and store.user("pat") is None and not store.remove_user("pat")


def test_an_existing_sqlite_central_is_adopted(tmp_path):
    import sqlite3

    folder = tmp_path / "old"
    folder.mkdir()
    conn = sqlite3.connect(folder / "central.db")
    conn.executescript(migrations.BASE.format(**migrations.TYPES["sqlite"]))
    conn.execute("INSERT INTO metric_rows VALUES ('hub-a', 'daily-2026-12-02', '2026-12-02', '2026-12-02', "
                 "'learning_minutes', '{\"kind\": \"video\"}', 40, 0, 1, ?)", [NOW])
    conn.commit()
    conn.close()
    store = Store(folder)
    (row,) = store.db.execute("SELECT week, dim_key, dim_value, period_kind FROM metric_rows")
    assert row == ("2026-11-30", "kind", "video", "day")


def test_week_sums_follow_revisions_and_hubs_that_move(central_store):
    from sync.central import figures

    store = central_store
    store.add_hub("hub-a", "s" * 40, NOW, region="North", partner="Alpha")
    store.add_hub("hub-b", "t" * 40, NOW, region="North", partner="Beta")
    store.save_report("hub-a", week_report("hub-a", revision=1, learners=10, minutes=100), NOW)
    store.save_report("hub-a", week_report("hub-a", revision=2, learners=14, minutes=140), NOW)
    store.save_report("hub-b", week_report("hub-b", revision=1, learners=20, minutes=200), NOW)
    store.save_report("hub-b", week_report("hub-b", revision=1, learners=99, minutes=999), NOW)  # duplicate

    def minutes(**filters):
        return figures.table(store.db, "learning_minutes", "region", "2026-11-30", "2026-11-30",
                             filters=filters)["rows"]

    assert [(r["key"], r["cells"][0]["value"]) for r in minutes()] == [("North", 340)]
    assert store.update_hub("hub-b", "", "South", "Beta")
    assert [(r["key"], r["cells"][0]["value"]) for r in minutes()] == [("South", 200), ("North", 140)]
    by_hub = figures.table(store.db, "learning_minutes", "hub", "2026-11-30", "2026-11-30")["rows"]
    assert sorted((r["key"], r["cells"][0]["value"]) for r in by_hub) == [("hub-a", 140), ("hub-b", 200)]
    hidden = figures.hidden_summary(store.db, "2026-11-23", "2026-11-30", filters={"region": "South"})
    assert hidden == {"week": "2026-11-30", "metrics": {"returning_learners": {"hubs": 1, "cells": 0},
                                                        "active_learners": {"hubs": 0, "cells": 1},
                                                        "checkins": {"hubs": 0, "cells": 1}}}
    # The move and the revisions were recorded as changes; folded into the sums, nothing moves.
    sums_match_rows(store)
    assert [(r["key"], r["cells"][0]["value"]) for r in minutes()] == [("South", 200), ("North", 140)]
    assert figures.hidden_summary(store.db, "2026-11-23", "2026-11-30", filters={"region": "South"}) == hidden


def test_the_fast_check_gives_the_reference_validators_answers():
    import copy

    from sync import report
    from sync.central import validation

    good = week_report()
    cases = [good, {"schema": "hub-report/1"}, [], "text", None]
    for change in (lambda r: r["metrics"][0].update(value=-1), lambda r: r["metrics"][0].update(suppressed=True),
                   lambda r: r["period"].update(start="2026-13-01"), lambda r: r.update(extra=1),
                   lambda r: r["period"].update(start="2026-12-31"), lambda r: r["metrics"].append(r["metrics"][0]),
                   lambda r: r["metrics"][0].update(dims={"mood": 3}), lambda r: r["period"].update(kind="month"),
                   lambda r: r["metrics"][0].update(value=True)):
        case = copy.deepcopy(good)
        change(case)
        cases.append(case)
    for case in cases:
        assert validation.problems(case) == report.validate(case), case
    assert validation.problems(good) == []


def test_a_secret_kept_in_memory_gives_way_to_a_key_changed_by_another_process(central_store):
    store = central_store
    other = Store(store.dir, getattr(store.db, "url", None))  # another central process on the same database
    try:
        assert other.add_hub("hub-a", "s" * 40, NOW)
        body, signature = signed("s" * 40, week_report(revision=1))
        assert receive(store, "hub-a", signature, body, received_at=NOW) == (200, {"status": "stored"})
        # The hub's key is replaced elsewhere: the new key is taken at once, the old one no longer.
        other.db.execute("UPDATE hubs SET secret_box = ? WHERE hub_id = ?", [other._box.encrypt(b"n" * 40), "hub-a"])
        body, signature = signed("n" * 40, week_report(revision=2))
        assert receive(store, "hub-a", signature, body, received_at=NOW) == (200, {"status": "stored"})
        body, signature = signed("s" * 40, week_report(revision=3))
        assert receive(store, "hub-a", signature, body, received_at=NOW)[0] == 401
        assert store.rows("active_learners", "hub-a")[0]["revision"] == 2
    finally:
        other.close()


def test_every_hubs_sealed_secret_is_read_at_once_and_a_hub_added_since_is_known_at_once(central_store):
    store = central_store
    other = Store(store.dir, getattr(store.db, "url", None))  # another central process on the same database
    try:
        for number in range(3):
            assert other.add_hub(f"hub-{number}", f"{number}" * 40, NOW)
        assert store.hub_secret("hub-0") == "0" * 40  # reads all three sealed secrets in one query
        assert store.hub_secret("hub-2") == "2" * 40
        assert other.add_hub("hub-new", "w" * 40, NOW)  # after that read, in another process
        body, signature = signed("w" * 40, week_report(hub_id="hub-new"))
        assert receive(store, "hub-new", signature, body, received_at=NOW) == (200, {"status": "stored"})
        assert store.hub_secret("nobody") is None
        # A hub added in this process: known at once, and the others' secrets stay kept (the
        # read of them all is not thrown away for one new hub of twenty thousand).
        read_at = store._boxes[0]
        assert store.add_hub("hub-here", "h" * 40, NOW) and store.hub_secret("hub-here") == "h" * 40
        assert store._boxes[0] == read_at and set(store._boxes[1]) >= {"hub-0", "hub-1", "hub-2"}
    finally:
        other.close()


def test_a_regions_hubs_are_ordered_by_their_sums_from_the_index_alone(tmp_path):
    # The by-hub table of a big region reads its sums from the index, not from a year of rows;
    # the week sums too, through the changes not yet folded.
    from sync.central import week_sums

    store = Store(tmp_path)
    plan = " ".join(str(row) for row in store.db.execute(
        "EXPLAIN QUERY PLAN SELECT m.hub_id, sum(m.value), sum(m.suppressed) FROM metric_rows m "
        "WHERE m.metric = 'learning_minutes' AND m.dim_key = '' AND m.week BETWEEN '2026-01-05' "
        "AND '2026-03-30' AND m.period_kind = 'week' GROUP BY m.hub_id"))
    assert "COVERING INDEX metric_rows_week_cover" in plan
    plan = " ".join(str(row) for row in store.db.execute(
        f"EXPLAIN QUERY PLAN SELECT s.week, sum(s.hidden) FROM {week_sums.CURRENT} s WHERE s.metric = 'checkins' "
        "AND s.dim_key <> '' AND s.week BETWEEN '2026-01-05' AND '2026-03-30' AND s.partner = 'Words NGO' "
        "GROUP BY s.week"))
    assert "COVERING INDEX week_sums_cover" in plan
