"""The facilitator console's plain modules: accounts, rate limiter, jobs, CSV, the CLI."""
from __future__ import annotations

import threading

import pytest

from hub.web import csv_export
from hub.accounts import facilitators
from hub.accounts import login_limits
from hub.accounts import observations
from hub.ops import jobs
from hub.core.ratelimit import RateLimiter
from tests.web.test_facilitator_support import PASSWORD, _fresh_login_limits  # noqa: F401


def test_passwords_are_stored_salted_and_slow(db):
    first = facilitators.create(db, "amina", PASSWORD)
    second = facilitators.create(db, "baraka", PASSWORD)
    hashes = [row[0] for row in db.execute("SELECT password_hash FROM facilitators")]
    assert PASSWORD not in "".join(hashes)
    assert hashes[0] != hashes[1]  # salted
    assert all(h.startswith(("scrypt:", "pbkdf2:")) for h in hashes)
    assert (first["role"], second["role"]) == ("admin", "facilitator")
    assert "password_hash" not in first


def test_account_rules(db):
    facilitators.create(db, "amina", PASSWORD)
    with pytest.raises(facilitators.FacilitatorError, match="exists"):
        facilitators.create(db, "AMINA", PASSWORD)
    with pytest.raises(facilitators.FacilitatorError, match="password"):
        facilitators.create(db, "baraka", "short")
    with pytest.raises(facilitators.FacilitatorError, match="username"):
        facilitators.create(db, "bad name!", PASSWORD)
    assert facilitators.count(db) == 1
    with pytest.raises(facilitators.FacilitatorError, match="admin"):
        facilitators.delete(db, 1)
    with pytest.raises(facilitators.FacilitatorError, match="admin"):
        facilitators.set_role(db, 1, "facilitator")
    assert facilitators.create_first(db, "late", PASSWORD) is None


def test_authenticate_and_its_limit(db):
    facilitators.create(db, "amina", PASSWORD)
    assert facilitators.authenticate(db, "amina", PASSWORD)["username"] == "amina"
    assert facilitators.authenticate(db, "Amina", "nope nope") is None
    assert facilitators.authenticate(db, "nobody", PASSWORD) is None
    for _ in range(4):
        facilitators.authenticate(db, "amina", "wrong", client="10.0.0.9")
    with pytest.raises(login_limits.TooManyAttempts) as raised:
        facilitators.authenticate(db, "amina", PASSWORD, client="10.0.0.9")
    assert raised.value.retry_after > 0


def test_rate_limiter_window_and_reset():
    now = [1000.0]
    limiter = RateLimiter(limit=3, window=60, clock=lambda: now[0])
    assert [limiter.hit("k") for _ in range(4)] == [True, True, True, False]
    assert limiter.blocked("k") and not limiter.blocked("other")
    assert limiter.retry_after("k") == 60
    now[0] += 59.5
    assert limiter.blocked("k")
    now[0] += 1
    assert not limiter.blocked("k") and limiter.retry_after("k") == 0
    limiter.hit("k")
    limiter.reset("k")
    assert not limiter.blocked("k")
    with pytest.raises(ValueError):
        RateLimiter(limit=0, window=1)


def test_rate_limiter_is_exact_under_threads():
    limiter = RateLimiter(limit=500, window=3600)
    allowed = []
    lock = threading.Lock()

    def worker():
        mine = sum(limiter.hit("shared") for _ in range(100))
        with lock:
            allowed.append(mine)

    threads = [threading.Thread(target=worker) for _ in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(allowed) == 500


def test_jobs_report_progress_results_and_problems():
    runner = jobs.JobRunner()
    release = threading.Event()
    midway = threading.Event()

    def work(progress, name):
        progress(0.5, f"half of {name}")
        midway.set()
        release.wait(10)
        return {"name": name}

    job_id = runner.submit("install", "Installing", work, "numbers")
    assert midway.wait(10)
    state = runner.get(job_id)
    assert (state["state"], state["fraction"], state["message"]) == ("running", 0.5, "half of numbers")
    queued = runner.submit("install", "Second", lambda progress: {})
    assert runner.get(queued)["state"] == "queued"  # one at a time
    release.set()
    done = runner.wait(job_id, 10)
    assert done["finished"] and done["state"] == "done" and done["result"] == {"name": "numbers"}
    assert runner.wait(queued, 10)["state"] == "done"

    def refuse(progress):
        raise jobs.JobFailed("refused", ["pack.json: id: missing"])

    failed = runner.wait(runner.submit("install", "Bad", refuse), 10)
    assert failed["state"] == "failed" and failed["problems"] == ["pack.json: id: missing"]
    crashed = runner.wait(runner.submit("install", "Crash", lambda p: 1 / 0), 10)
    assert crashed["state"] == "failed" and "ZeroDivisionError" in crashed["error"]
    assert [j["label"] for j in runner.recent()] == ["Crash", "Bad", "Second", "Installing"]


def test_csv_cells_cannot_become_formulas():
    text = csv_export.to_csv(["name", "minutes"], [["=HYPERLINK(\"x\")", -3], ["@me", 4.5]])
    lines = text.splitlines()
    assert lines[0] == "name,minutes"
    assert lines[1] == "\"'=HYPERLINK(\"\"x\"\")\",-3"
    assert lines[2] == "'@me,4.5"


def test_cli_adds_accounts_first_admin_then_facilitator(runner, data_dir):
    from hub.core.db import open_hub_db

    result = runner.invoke(["facilitators", "add", "amina", "--password-stdin"],
                           input=PASSWORD + "\n")
    assert result.exit_code == 0 and "admin" in result.output
    result = runner.invoke(["facilitators", "add", "baraka"],
                           input=f"{PASSWORD}\n{PASSWORD}\n")
    assert result.exit_code == 0 and "created facilitator account baraka" in result.output
    result = runner.invoke(["facilitators", "add", "amina", "--password-stdin"], input=PASSWORD + "\n")
    assert result.exit_code == 1
    assert "username: an account with this name exists already" in result.output
    result = runner.invoke(["facilitators", "add", "chidi", "--password-stdin"], input="short\n")
    assert result.exit_code == 1 and result.output.startswith("password: ")
    db = open_hub_db(data_dir)
    try:
        assert [(a["username"], a["role"]) for a in facilitators.list_all(db)] == [
            ("amina", "admin"), ("baraka", "facilitator")]
    finally:
        db.conn.close()


def test_observations_validate_and_go_with_the_learner(db):
    # A bare learner row: this test is about the observations table, not the learners module.
    db.execute("INSERT INTO learners (id, actor, name, avatar, created_at) "
               "VALUES (7, 'Labc', 'Zawadi', 'owl', '2024-05-01T00:00:00Z')")
    observations.record_observation(db, 7, "2024-05-01", {"confidence": "3", "curiosity": 4})
    observations.record_observation(db, 7, "2024-05-01", {"confidence": 2})  # same day: replaced
    assert observations.observations(db, 7) == [
        {"observed_on": "2024-05-01", "confidence": 2, "collaboration": None, "curiosity": None}]
    for bad in ({"confidence": 5}, {"curiosity": "x"}, {}):
        with pytest.raises(facilitators.FacilitatorError):
            observations.record_observation(db, 7, "2024-05-02", bad)
    with pytest.raises(facilitators.FacilitatorError):
        observations.record_observation(db, 7, "May 2", {"confidence": 1})
    assert observations.observation_averages(db, "2024-05-01", "2024-05-31")["learners"] == 1
    db.execute("DELETE FROM learners WHERE id = 7")
    assert db.execute("SELECT count(*) FROM observations").fetchone()[0] == 0
