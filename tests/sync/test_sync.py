"""A hub pushes to a real `hub-central serve` over loopback: stored, duplicate, revisions, outages."""
from __future__ import annotations

import datetime as dt
import json
import time

import pytest

from hub.core.db import open_hub_db
from sync import client, outbox, state
from tests.centralproc import CentralProcess, add_hub, central_cli
from tests.eventfactory import EventFactory, at, closed_week_day, hold_the_week, week_of
from tests.helpers import HubProcess, free_port

# These tests run hubs and centrals as real processes on the real clock: their events happen
# in the last closed ISO week, so that exactly one week has closed since.
DAY = closed_week_day()
WEEK, MONDAY = week_of(DAY)


@pytest.fixture(autouse=True)
def one_week_closed(clock_at):
    """The hub in this process (the `hub sync` commands) stops its clock in the week after DAY's."""
    hold_the_week(clock_at, DAY)


def seed(data_dir, learners=6, day=DAY):
    db = open_hub_db(data_dir)
    ev = EventFactory(db)
    ev.resource("p.num", "count", kind="exercise", language="en")
    ev.many([f"L{i}" for i in range(learners)], "completed", "p.num/count", at=at(day, 10), duration=600)
    db.conn.close()
    return ev


def register(runner, env, url, hub_id, secret):
    result = runner.invoke(["sync", "register", "--url", url, "--hub-id", hub_id, "--secret-stdin"],
                           input=secret + "\n", env=env)
    assert result.exit_code == 0, result.output


def exported(central_dir, *args):
    done = central_cli(central_dir, "export", "--json", *args)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


@pytest.fixture
def central(tmp_path):
    with CentralProcess(tmp_path / "central") as proc:
        yield proc


@pytest.mark.slow
def test_push_stores_then_repeats_are_duplicates_and_revisions_supersede(runner, data_dir, central):
    secret = add_hub(central.data_dir, "hub-a")
    register(runner, None, central.url, "hub-a", secret)
    seed(data_dir)
    result = runner.invoke(["sync", "push"])
    assert result.exit_code == 0 and f"{WEEK} revision 1: stored" in result.output
    rows = exported(central.data_dir, "--metric", "resources_completed")
    assert {(r["hub_id"], r["period_start"], r["value"], r["revision"]) for r in rows if not r["dims"]} == {
        ("hub-a", MONDAY, 6, 1)}
    assert set(rows[0]) == {"hub_id", "period_start", "period_end", "period_kind", "metric", "dims", "value", "suppressed",
                            "revision", "received_at"}
    assert runner.invoke(["sync", "push"]).output.strip() == "Nothing to send."
    db = open_hub_db(data_dir)
    first_body = bytes(db.execute("SELECT body FROM sync_outbox").fetchone()[0])
    assert client.post_report(central.url, "hub-a", secret, first_body)[0] == "duplicate"
    received = state.iso(state.utc_now() - dt.timedelta(minutes=5))  # after the week was built
    EventFactory(db).many(["L7", "L8"], "completed", "p.num/count", at=at(DAY, 16), received=received)
    db.conn.close()
    assert runner.invoke(["sync", "push"]).output.strip() == "Nothing to send."  # two late: they wait
    db = open_hub_db(data_dir)
    received = state.iso(state.utc_now() - dt.timedelta(minutes=2))  # received later still
    EventFactory(db).many(["L9", "L10", "L11"], "completed", "p.num/count", at=at(DAY, 16), received=received)
    db.conn.close()
    result = runner.invoke(["sync", "push"])
    assert f"{WEEK} revision 2: stored" in result.output  # five late learners: a revision
    rows = exported(central.data_dir, "--metric", "resources_completed", "--hub", "hub-a")
    assert [(r["value"], r["revision"], r["period_kind"]) for r in rows if not r["dims"]] == [(11, 2, "week")]
    assert client.post_report(central.url, "hub-a", secret, first_body)[0] == "superseded"
    status = json.loads(runner.invoke(["sync", "status", "--json"]).output)
    assert status["pending"] == 0 and status["last_success"] and status["last_error"] is None


@pytest.mark.slow
def test_central_down_then_up_the_report_waits_and_arrives_once(runner, data_dir, tmp_path):
    central = CentralProcess(tmp_path / "central")
    secret = add_hub(central.data_dir, "hub-a")
    register(runner, None, central.url, "hub-a", secret)
    seed(data_dir)
    down = runner.invoke(["sync", "push"])
    assert down.exit_code == 1 and "cannot reach" in down.output
    status = json.loads(runner.invoke(["sync", "status", "--json"]).output)
    assert status["pending"] == 1 and "cannot reach" in status["last_error"] and status["next_attempt"]
    with central:  # `with central.start()` started a second process and left the first running
        assert runner.invoke(["sync", "push"]).exit_code == 0
        assert runner.invoke(["sync", "push"]).exit_code == 0
        reports = {(r["period_start"], r["revision"]) for r in exported(central.data_dir)}
    assert reports == {(MONDAY, 1)}
    assert json.loads(runner.invoke(["sync", "status", "--json"]).output)["pending"] == 0


@pytest.mark.slow
def test_the_running_hub_pushes_in_the_background_once_the_central_answers(tmp_path):
    port = free_port()
    central = CentralProcess(tmp_path / "central", port=port)
    secret = add_hub(central.data_dir, "hub-bg")
    hub_dir = tmp_path / "hub"
    hub_dir.mkdir()
    seed(hub_dir)
    with HubProcess(hub_dir, HUB_UPSTREAM_URL=central.url, HUB_ID="hub-bg", HUB_SECRET=secret,
                    HUB_SYNC_INTERVAL=1) as hub:
        db = open_hub_db(hub_dir)
        deadline = time.monotonic() + 20
        while not db.execute("SELECT count(*) FROM sync_outbox").fetchone()[0]:
            assert time.monotonic() < deadline, "the scheduler built no report"
            time.sleep(0.1)  # waiting on another process's work: nothing to await but the file
        with central:
            deadline = time.monotonic() + 30
            while outbox.pending(db):
                assert time.monotonic() < deadline, outbox.status(db, {"HUB_DATA_DIR": str(hub_dir)})
                time.sleep(0.2)
            assert {r["revision"] for r in exported(central.data_dir)} == {1}
        db.conn.close()
        assert hub.stop() == 0


@pytest.mark.slow
def test_bundle_round_trip_is_signed_and_idempotent(runner, data_dir, tmp_path):
    central_dir = tmp_path / "central"
    secret = add_hub(central_dir, "hub-usb")
    register(runner, None, "http://127.0.0.1:9", "hub-usb", secret)
    seed(data_dir)
    stick = tmp_path / "stick"
    result = runner.invoke(["sync", "export", str(stick)])
    assert result.exit_code == 0 and "Wrote 1 report(s)" in result.output
    (bundle_file,) = stick.glob("*.hubbundle")
    first = central_cli(central_dir, "import", str(bundle_file))
    assert first.returncode == 0 and "report 1: stored" in first.stdout
    again = central_cli(central_dir, "import", str(bundle_file))
    assert again.returncode == 0 and "report 1: duplicate" in again.stdout
    assert len([r for r in exported(central_dir) if r["metric"] == "active_learners" and not r["dims"]]) == 1
    tampered = json.loads(bundle_file.read_text())
    tampered["hub_id"] = "hub-other"
    add_hub(central_dir, "hub-other")
    forged = tmp_path / "forged.hubbundle"
    forged.write_text(json.dumps(tampered))
    refused = central_cli(central_dir, "import", str(forged))
    assert refused.returncode == 1 and "bad signature" in refused.stderr


@pytest.mark.slow
def test_two_hubs_report_to_one_central(runner, tmp_path, central):
    for name, learners in (("hub-one", 5), ("hub-two", 9)):
        folder = tmp_path / name
        folder.mkdir()
        env = {"HUB_DATA_DIR": str(folder)}
        register(runner, env, central.url, name, add_hub(central.data_dir, name))
        seed(folder, learners=learners)
        assert runner.invoke(["sync", "push"], env=env).exit_code == 0
    rows = exported(central.data_dir, "--metric", "active_learners")
    assert {(r["hub_id"], r["value"]) for r in rows if not r["dims"]} == {("hub-one", 5), ("hub-two", 9)}
    assert {r["hub_id"] for r in exported(central.data_dir, "--hub", "hub-two")} == {"hub-two"}


def test_a_second_process_holding_the_lease_keeps_this_one_from_pushing(runner, data_dir):
    register(runner, None, "http://127.0.0.1:9", "hub-a", "x" * 32)
    assert (data_dir / "sync-upstream.json").stat().st_mode & 0o077 == 0  # the secret: owner only
    seed(data_dir)
    db = open_hub_db(data_dir)
    state.put(db, "push_lease", {"owner": "another-process", "until": "2999-01-01T00:00:00Z"})
    db.conn.close()
    result = runner.invoke(["sync", "push"])
    assert result.exit_code == 1 and "another hub process" in result.output


def test_register_refuses_bad_input_and_push_needs_registration(runner):
    assert runner.invoke(["sync", "push"]).exit_code == 1
    bad = runner.invoke(["sync", "register", "--url", "ftp://x", "--hub-id", "a b", "--secret-stdin"], input="short\n")
    assert bad.exit_code == 1 and [line.split(":")[0] for line in bad.output.splitlines()] == ["--url", "--hub-id", "secret"]
    status = json.loads(runner.invoke(["sync", "status", "--json"]).output)
    assert status == {"upstream": None, "pending": 0, "last_success": None, "last_error": None,
                      "next_attempt": None, "clock_warning": None}
