"""Send now on a real `hub serve`, to a real `hub-central serve`, over loopback HTTP."""
from __future__ import annotations

import datetime as dt
import html as htmllib
import json
import time
import urllib.parse

import pytest

from hub.accounts import facilitators
from hub.core.db import open_hub_db
from tests.centralproc import CentralProcess, add_hub, central_cli
from tests.eventfactory import EventFactory, at, closed_week_day, week_of
from tests.helpers import HubProcess
from tests.web.test_facilitator_support import PASSWORD
from tests.web.test_facilitator_upload import Browser


def _until(check, seconds: float, what: str):
    # Another process does the work: there is no event to await but its answers.
    deadline = time.monotonic() + seconds
    while not (found := check()):
        assert time.monotonic() < deadline, what
        time.sleep(0.2)
    return found


@pytest.mark.slow
def test_send_now_on_a_running_hub_delivers_once_and_the_page_follows(tmp_path):
    hub_dir = tmp_path / "hub"
    hub_dir.mkdir()
    db = open_hub_db(hub_dir)
    facilitators.create(db, "amina", PASSWORD)
    ev = EventFactory(db)
    ev.resource("org.example.share", "r1")
    day = closed_week_day()
    ev.many([f"L{n}" for n in range(6)], "completed", "org.example.share/r1", at=at(day), duration=300)
    central = CentralProcess(tmp_path / "central")
    secret = add_hub(central.data_dir, "hub-console")
    with HubProcess(hub_dir, HUB_UPSTREAM_URL=central.url, HUB_ID="hub-console", HUB_SECRET=secret,
                    HUB_SYNC_INTERVAL=3600) as hub:
        # The scheduler's first round builds the report; the central is not up yet, so it waits.
        _until(lambda: db.execute("SELECT count(*) FROM sync_outbox").fetchone()[0], 30, "no report built")
        with central:
            web = Browser(hub.url)
            assert web.sign_in("amina", PASSWORD)[0] == 302
            token = web.csrf("/facilitator/sync")
            status, headers, _ = web.request("POST", "/facilitator/sync", urllib.parse.urlencode(
                {"csrf_token": token}), {"Content-Type": "application/x-www-form-urlencoded"})
            assert status == 303
            location = urllib.parse.urlsplit(headers["Location"])
            job_id = urllib.parse.parse_qs(location.query)["job"][0]
            state = _until(lambda: (s := json.loads(web.request("GET", f"/facilitator/sync/jobs/{job_id}.json")[2]))
                           ["finished"] and s, 60, "the send did not finish")
            assert state["state"] == "done" and [s[2] for s in state["result"]["sent"]] == ["stored"]
            page = htmllib.unescape(web.request("GET", f"{location.path}?{location.query}")[2].decode())
            assert "1 report was sent." in page and "Send now" in page
            rows = json.loads(central_cli(central.data_dir, "export", "--json", "--metric", "resources_completed").stdout)
            assert [(r["hub_id"], r["period_start"], r["value"]) for r in rows if not r["dims"]] == [
                ("hub-console", week_of(day)[1], 6)]
        assert hub.stop() == 0
    db.conn.close()
