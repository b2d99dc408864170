"""Group commit at the central (issue 16): reports arriving together share one transaction, and
each still gets its own answer, on SQLite and on a real PostgreSQL, in the store and over HTTP."""
from __future__ import annotations

import threading
import time

import pytest

from sync import client, errors, report
from sync.central import report_group
from sync.central.store import Store
from tests.centralproc import CentralProcess
from tests.sync.centraldata import sums_match_rows, week_report

NOW = "2026-12-07T09:00:00Z"


def test_reports_queued_behind_a_commit_are_written_next_as_one_group_each_with_its_own_answer():
    from sync.central.group_commit import GroupCommit

    first_writing, release, groups = threading.Event(), threading.Event(), []

    def write_group(items):
        groups.append(sorted(items))
        if len(groups) == 1:  # the first commit is slow: everyone else queues behind it
            first_writing.set()
            release.wait(10)
        return [ValueError(f"refused {i}") if i == 3 else f"stored {i}" for i in items]

    commit, answers = GroupCommit(write_group, writers=1), {}

    def submit(i):
        try:
            answers[i] = commit.submit(i)
        except ValueError as exc:
            answers[i] = str(exc)

    threads = [threading.Thread(target=submit, args=(i,)) for i in range(6)]
    threads[0].start()
    assert first_writing.wait(10)
    for thread in threads[1:]:
        thread.start()
    deadline = time.monotonic() + 10
    while len(commit._queue) < 5 and time.monotonic() < deadline:  # no event says "queued": look
        time.sleep(0.001)
    release.set()
    for thread in threads:
        thread.join(10)
    assert groups == [[0], [1, 2, 3, 4, 5]]
    assert answers == {0: "stored 0", 1: "stored 1", 2: "stored 2", 3: "refused 3", 4: "stored 4", 5: "stored 5"}
    assert commit.submit(6) == "stored 6"  # nothing left writing: a lone report is its own group at once
    assert groups[-1] == [6]


def test_a_group_gives_each_report_the_answer_it_would_have_had_alone(central_store):
    store = central_store
    for hub_id, region in (("hub-a", "North"), ("hub-b", "South"), ("hub-c", "North")):
        store.add_hub(hub_id, "s" * 40, NOW, region=region, partner="Words NGO")
    store.save_report("hub-c", week_report("hub-c", revision=2, learners=50), NOW)
    items = [("hub-a", week_report("hub-a", revision=1, learners=11), NOW),
             ("hub-b", week_report("hub-b", revision=1, learners=21), NOW),
             ("hub-a", week_report("hub-a", revision=1, learners=11), NOW),   # the same again
             ("hub-a", week_report("hub-a", revision=3, learners=13), NOW),   # a newer one in the same group
             ("hub-a", week_report("hub-a", revision=2, learners=12), NOW),   # older than the one before it
             ("hub-c", week_report("hub-c", revision=1, learners=40), NOW),   # older than the stored one
             ("hub-c", week_report("hub-c", revision=4, learners=44), NOW)]
    answers = report_group.save_group(store.db, items)
    assert answers == ["stored", "stored", "duplicate", "stored", "superseded", "superseded", "stored"]
    totals = {r["hub_id"]: (r["value"], r["revision"]) for r in store.rows("active_learners") if not r["dims"]}
    assert totals == {"hub-a": (13, 3), "hub-b": (21, 1), "hub-c": (44, 4)}
    assert len(store.rows(hub_id="hub-a")) == len(items[0][1]["metrics"])  # one revision's rows, never two
    sums_match_rows(store)
    if store.dialect == "postgresql":  # the whole group was one transaction: one commit
        (writers,), = store.db.execute("SELECT count(DISTINCT xmin::text) FROM reports WHERE hub_id <> 'hub-c'")
        assert writers == 1


def test_a_report_the_database_refuses_fails_alone_in_its_group(central_store):
    store = central_store
    for hub_id in ("hub-a", "hub-b", "hub-c"):
        store.add_hub(hub_id, "s" * 40, NOW, region="North")
    items = [("hub-a", week_report("hub-a", learners=11), NOW),
             ("hub-b", week_report("hub-b", revision=2 ** 70), NOW),  # no database column holds it
             ("hub-c", week_report("hub-c", learners=31), NOW)]
    answers = report_group.save_group(store.db, items)
    assert answers[0] == "stored" and answers[2] == "stored"
    assert isinstance(answers[1], Exception)
    assert sorted({r["hub_id"] for r in store.rows()}) == ["hub-a", "hub-c"]
    sums_match_rows(store)
    assert store.save_report("hub-b", week_report("hub-b", learners=21), NOW) == "stored"  # nothing left locked


def test_many_threads_saving_at_once_each_get_their_own_answer(central_store):
    store = central_store
    hubs = [f"hub-{n:02d}" for n in range(24)]
    for n, hub_id in enumerate(hubs):
        store.add_hub(hub_id, "s" * 40, NOW, region=f"Region {n % 3}")
    store.save_report("hub-00", week_report("hub-00", revision=5, learners=99), NOW)
    barrier, answers, errors = threading.Barrier(12), {}, []

    def push(mine):
        try:
            barrier.wait(10)
            for hub_id in mine:
                answers[hub_id] = store.save_report(hub_id, week_report(hub_id, learners=10 + int(hub_id[4:])), NOW)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    running = [threading.Thread(target=push, args=(hubs[i::12],)) for i in range(12)]
    for thread in running:
        thread.start()
    for thread in running:
        thread.join(60)
    assert not errors, errors
    assert answers == {hub_id: "superseded" if hub_id == "hub-00" else "stored" for hub_id in hubs}
    totals = {r["hub_id"]: r["value"] for r in store.rows("active_learners") if not r["dims"]}
    assert totals == {hub_id: 99 if hub_id == "hub-00" else 10 + int(hub_id[4:]) for hub_id in hubs}
    sums_match_rows(store)


@pytest.mark.slow
def test_a_burst_over_http_stores_every_acknowledged_report_and_refuses_alone(central_database_url, tmp_path):
    url = central_database_url
    folder = tmp_path / "central"
    hubs = [f"hub-{n:02d}" for n in range(40)]
    store = Store(folder, url or None)
    for n, hub_id in enumerate(hubs):
        store.add_hub(hub_id, f"secret-{hub_id}-{'x' * 20}", NOW, region=f"Region {n % 4}")
    store.save_report("hub-01", week_report("hub-01", revision=3, learners=77), NOW)
    store.close()
    bodies = {hub_id: week_report(hub_id, learners=10 + n) for n, hub_id in enumerate(hubs)}
    bodies["hub-02"] = week_report("hub-02", monday="2026-12-01")  # a Tuesday: refused
    answers, barrier = {}, threading.Barrier(20)

    def push(mine):
        barrier.wait(20)
        for hub_id in mine:
            try:
                answers[hub_id] = client.post_report(central.url, hub_id, f"secret-{hub_id}-{'x' * 20}",
                                                      report.encode(bodies[hub_id]))[0]
            except errors.SyncError as exc:
                answers[hub_id] = exc

    with CentralProcess(folder) as central:
        running = [threading.Thread(target=push, args=(hubs[i::20],)) for i in range(20)]
        for thread in running:
            thread.start()
        for thread in running:
            thread.join(120)
    assert isinstance(answers.pop("hub-02"), errors.Rejected)
    assert answers.pop("hub-01") == "superseded"
    assert answers == {hub_id: "stored" for hub_id in hubs if hub_id not in ("hub-01", "hub-02")}
    store = Store(folder, url or None)
    try:
        totals = {r["hub_id"]: r["value"] for r in store.rows("active_learners") if not r["dims"]}
        assert totals == {**{hub_id: 10 + n for n, hub_id in enumerate(hubs) if hub_id != "hub-02"}, "hub-01": 77}
        assert store.hub("hub-02")["last_refused_at"] is not None
        sums_match_rows(store)
    finally:
        store.close()


def test_the_hubs_posts_are_answered_in_json_with_the_pages_security_headers(tmp_path):
    from sync.central.app import create_app
    from tests.sync.centraldata import heartbeat, signed

    web = create_app(tmp_path, {"TESTING": True})
    web.extensions["central_store"].add_hub("hub-a", "s" * 40, NOW)
    client_ = web.test_client()
    for path, data in (("/api/v1/reports", week_report()), ("/api/v1/heartbeat", heartbeat())):
        body, signature = signed("s" * 40, data)
        answer = client_.post(path, data=body, headers={"X-Hub-Id": "hub-a", "X-Hub-Signature": signature})
        assert (answer.status_code, answer.get_json()) == (200, {"status": "stored"})
        assert answer.headers["Content-Type"] == "application/json"
        assert answer.headers["X-Content-Type-Options"] == "nosniff" and answer.headers["Content-Security-Policy"]
    forged = client_.post("/api/v1/reports", data=b"{}", headers={"X-Hub-Id": "hub-a", "X-Hub-Signature": "sha256=00"})
    assert forged.status_code == 401 and "bad signature" in forged.get_json()["error"]


def test_rows_of_a_shape_seen_before_get_the_reference_validators_answers():
    import copy

    from sync import report as reference
    from sync.central import validation

    good = week_report()
    assert validation.problems(good) == []  # its rows' shapes are now known
    changes = [lambda r: r["metrics"][0].update(value=-1), lambda r: r["metrics"][0].update(value=float("nan")),
               lambda r: r["metrics"][0].update(value=float("inf")), lambda r: r["metrics"][1].update(extra=1),
               lambda r: r["metrics"][1].update(dims={"pack": ["a"]}), lambda r: r["metrics"][1].update(dims=[]),
               lambda r: r["metrics"][6].update(dims={"mood": 9}), lambda r: r["metrics"][5].update(value=3),
               lambda r: r["metrics"].append(copy.deepcopy(r["metrics"][2])), lambda r: r.update(revision=0),
               lambda r: r["metrics"].__setitem__(0, "row"), lambda r: r.update(metrics={})]
    for change in changes:
        case = copy.deepcopy(good)
        change(case)
        assert validation.problems(case) == reference.validate(case), case
    assert validation.problems(week_report("hub-b", learners=99)) == []


def test_nan_and_infinity_are_refused_as_not_json(central_store):
    from sync.central.receive import receive
    from tests.sync.centraldata import signed

    central_store.add_hub("hub-a", "s" * 40, NOW)
    body, _ = signed("s" * 40, week_report())
    for constant in (b"NaN", b"Infinity", b"-Infinity"):
        broken = body.replace(b'"value": 12', b'"value": ' + constant, 1)
        status, answer = receive(central_store, "hub-a", client.sign("s" * 40, broken), broken)
        assert status == 400 and constant.decode() in answer["details"][0]["message"]
    assert central_store.rows() == []



def test_numbers_no_column_holds_are_refused_in_words_and_nothing_is_stored(central_store):
    from sync.central.receive import receive
    from tests.sync.centraldata import signed

    central_store.add_hub("hub-a", "s" * 40, NOW)
    huge = [("revision", 2**31, lambda r: r.update(revision=2**31)),
            ("k_threshold", 2**31, lambda r: r.update(k_threshold=2**31)),
            ("metrics[0].value", 10**400, lambda r: r["metrics"][0].update(value=10**400))]
    for field, _number, change in huge:
        report = week_report()
        change(report)
        body, _ = signed("s" * 40, report)
        status, answer = receive(central_store, "hub-a", client.sign("s" * 40, body), body)
        assert status == 400 and answer["details"][0]["field"] == field, answer
        assert "at most" in answer["details"][0]["message"]
    assert central_store.rows() == []
    body, _ = signed("s" * 40, week_report())
    assert receive(central_store, "hub-a", client.sign("s" * 40, body), body)[0] == 200
