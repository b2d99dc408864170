"""Parallel guessers get exactly the tries a lockout allows: PINs and facilitator passwords
(issue 17: the count used to be read and written in two steps, and 8 guessers got 32 tries)."""
from __future__ import annotations

import threading
import urllib.parse

import pytest

from hub.accounts import facilitators, login_limits
from hub.core.db import open_hub_db
from hub.learning import learners
from tests.helpers import HubProcess
from tests.web.test_facilitator_support import PASSWORD
from tests.web.test_facilitator_upload import Browser

GUESSERS, TRIES_EACH = 8, 4
FORM = {"Content-Type": "application/x-www-form-urlencoded"}


def _race(hub, path: str, fields: dict) -> list[int]:
    """GUESSERS browsers, each with its own session, send TRIES_EACH forms at once; the statuses."""
    browsers = [Browser(hub.url) for _ in range(GUESSERS)]
    tokens = [b.csrf(path) for b in browsers]
    start = threading.Barrier(GUESSERS)
    statuses: list[int] = []
    lock = threading.Lock()

    def guess(browser, token):
        start.wait()
        for _ in range(TRIES_EACH):
            body = urllib.parse.urlencode({**fields, "csrf_token": token})
            status = browser.request("POST", path, body, FORM)[0]
            with lock:
                statuses.append(status)

    threads = [threading.Thread(target=guess, args=pair) for pair in zip(browsers, tokens)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    return statuses


@pytest.mark.slow
def test_eight_parallel_pin_guessers_get_no_more_tries_than_the_lockout(tmp_path):
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    db = open_hub_db(data_dir)
    facilitators.create(db, "amina", PASSWORD)
    learner = learners.create_learner(db, "Kofi", avatar="star", pin="4321")
    db.conn.close()
    with HubProcess(data_dir) as hub:
        statuses = _race(hub, f"/signin/{learner['id']}", {"pin": "1111"})
    print(f"{GUESSERS} PIN guessers x {TRIES_EACH}: {statuses.count(401)} told wrong, "
          f"{statuses.count(429)} told to wait")
    assert len(statuses) == GUESSERS * TRIES_EACH
    # The fifth wrong PIN locks the profile (its answer is already "wait"): 4 + 1 checked.
    assert statuses.count(401) == learners.PIN_MAX_FAILURES - 1
    assert statuses.count(429) == len(statuses) - statuses.count(401)
    db = open_hub_db(data_dir)
    failures = db.execute("SELECT pin_failures FROM learners WHERE id = ?",
                          [learner["id"]]).fetchone()[0]
    db.conn.close()
    assert failures == learners.PIN_MAX_FAILURES


@pytest.mark.slow
def test_eight_parallel_password_guessers_get_no_more_tries_than_the_limit(tmp_path):
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    db = open_hub_db(data_dir)
    facilitators.create(db, "amina", PASSWORD)
    db.conn.close()
    with HubProcess(data_dir) as hub:
        statuses = _race(hub, "/facilitator/login", {"username": "amina", "password": "guess guess"})
        limit = login_limits.LOGIN_FAILURES_PER_USER.limit
        print(f"{GUESSERS} password guessers x {TRIES_EACH}: {statuses.count(401)} checked, "
              f"{statuses.count(429)} told to wait")
        assert statuses.count(401) == limit
        assert statuses.count(429) == GUESSERS * TRIES_EACH - limit
        # The right password is refused too while the name is locked.
        admin = Browser(hub.url)
        assert admin.sign_in("amina", PASSWORD)[0] == 429
