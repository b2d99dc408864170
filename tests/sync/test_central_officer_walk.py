"""A program officer's walk over a real central (issue 16), on SQLite and on a real PostgreSQL: hubs
push a term of weekly reports over HTTP, past a fold of the week sums; revisions arrive in a burst;
the admin moves a hub to another region in the dashboard; the central restarts. At every step the
pages show exactly what was pushed, a regional officer sees only their region, and the pages
agree with the export."""
from __future__ import annotations

import datetime as dt
import http.client
import json
import re
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor

import pytest
from werkzeug.security import generate_password_hash

from sync import client, report
from sync.central import store as store_module
from sync.central.store import Store
from tests.centralproc import CentralProcess
from tests.eventfactory import closed_week_day, week_of
from tests.sync.centraldata import week_report

NOW = "2026-12-07T09:00:00Z"
PASSWORD = "officer-password-16"
REGIONS = ["North", "South", "East"]
HUBS = [f"hub-{n:02d}" for n in range(20)]
# 20 hubs x 34 weeks x 9 rows: past the first fold of the week sums. The weeks end with the last
# closed one by the real clock (the central runs as a process), so they stay in the pages' last
# 52 weeks whenever the test runs (fixed Mondays fell out of them a year on).
_LAST = dt.date.fromisoformat(week_of(closed_week_day())[1])
MONDAYS = [(_LAST - dt.timedelta(weeks=33 - w)).isoformat() for w in range(34)]


class Officer:
    """A dashboard user signed in over HTTP (the session cookie kept by hand)."""

    def __init__(self, port: int, username: str):
        self.port, self.cookie = port, ""
        token = self.csrf("/login")
        status, _ = self.post("/login", f"username={username}&password={PASSWORD}&csrf_token={token}")
        assert status == 302, status

    def request(self, method: str, path: str, body: bytes | None = None, headers: dict | None = None):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            conn.request(method, path, body=body, headers={**(headers or {}), "Cookie": self.cookie})
            response = conn.getresponse()
            data = response.read()
        finally:
            conn.close()
        for name, value in response.getheaders():
            if name.lower() == "set-cookie" and value.startswith("central_session="):
                self.cookie = value.split(";", 1)[0]
        return response.status, data

    def get(self, path: str):
        return self.request("GET", path)

    def post(self, path: str, form: str):
        return self.request("POST", path, form.encode(), {"Content-Type": "application/x-www-form-urlencoded"})

    def csrf(self, path: str) -> str:
        status, body = self.get(path)
        assert status == 200, (path, status)
        return re.search(r'name="csrf_token" value="([^"]+)"', body.decode()).group(1)

    def minutes_by_region(self) -> dict:
        """The by-region table of learning minutes, each region's weeks added up."""
        status, body = self.get("/metric/learning_minutes?by=region&weeks=52")
        assert status == 200, status
        tbody = body.decode().split("<tbody>", 1)[1].split("</tbody>", 1)[0]
        found = {}
        for region, cells in re.findall(r'<th scope="row">([^<]*)</th>(.*?)</tr>', tbody):
            numbers = [re.sub(r"\D", "", cell) for cell in re.findall(r"<td>([\d,]+)", cells)]
            found[region] = sum(int(n) for n in numbers if n)
        return found


@pytest.mark.slow
def test_an_officers_pages_show_every_pushed_report_across_folds_moves_and_a_restart(central_database_url, tmp_path):
    url = central_database_url
    folder, secrets, place, minutes = tmp_path / "central", {}, {}, {}
    store = Store(folder, url or None)
    for n, hub_id in enumerate(HUBS):
        place[hub_id], secrets[hub_id] = REGIONS[n % 3], f"secret-{hub_id}-{'x' * 20}"
        store.add_hub(hub_id, secrets[hub_id], NOW, name=f"School {n}", region=place[hub_id], partner="Ministry")
    for username, region in (("ministry", ""), ("north", "North")):
        store.set_user(username, generate_password_hash(PASSWORD), NOW, region=region)
    store.close()

    def expected(region: str | None = None) -> dict:
        found: dict = defaultdict(int)
        for (hub_id, _), value in minutes.items():
            if region in (None, place[hub_id]):
                found[place[hub_id]] += value
        return dict(found)

    def push(central, jobs) -> list:
        def one(job):
            hub_id, monday, revision, value = job
            body = report.encode(week_report(hub_id, monday, revision, minutes=value))
            return client.post_report(central.url, hub_id, secrets[hub_id], body)[0]
        with ThreadPoolExecutor(8) as pool:
            answers = list(pool.map(one, jobs))
        return answers

    with CentralProcess(folder) as central:
        jobs = [(hub_id, monday, 1, 100 + n + w) for w, monday in enumerate(MONDAYS) for n, hub_id in enumerate(HUBS)]
        assert push(central, jobs) == ["stored"] * len(jobs)
        minutes.update({(hub_id, monday): value for hub_id, monday, _, value in jobs})
        ministry, north = Officer(central.port, "ministry"), Officer(central.port, "north")
        assert ministry.minutes_by_region() == expected()
        assert north.minutes_by_region() == expected("North")

        # Revisions in one burst: whatever order they land in, the highest counts, at once.
        last = MONDAYS[-1]
        burst = [("hub-00", last, 3, 900), ("hub-00", last, 2, 800), ("hub-03", last, 2, 700),
                 ("hub-03", last, 2, 700)]
        answers = push(central, burst)
        assert answers.count("stored") >= 2 and set(answers) <= {"stored", "duplicate", "superseded"}
        minutes.update({("hub-00", last): 900, ("hub-03", last): 700})
        assert ministry.minutes_by_region() == expected()

        # The admin moves a South hub to North: its whole history moves, on pages and in exports.
        token = ministry.csrf("/hubs/hub-01")
        assert ministry.post("/hubs/hub-01", f"name=School+1&region=North&partner=Ministry&csrf_token={token}")[0] == 303
        place["hub-01"] = "North"
        assert ministry.minutes_by_region() == expected()
        assert north.minutes_by_region() == expected("North")
        status, csv = north.get("/export.csv")
        assert status == 200 and b"hub-01" in csv and b"hub-02" not in csv

    with CentralProcess(folder) as central:  # a restart: nothing counted twice, nothing lost
        ministry = Officer(central.port, "ministry")
        assert ministry.minutes_by_region() == expected()
        status, body = ministry.get("/export.json")
        from_export: dict = defaultdict(int)
        for row in json.loads(body):
            if row["metric"] == "learning_minutes" and not row["dims"]:
                from_export[place[row["hub_id"]]] += row["value"]
        assert dict(from_export) == expected()

    store = Store(folder, url or None)
    try:  # the walk crossed a fold: the sums hold folded changes, and changes wait for the next one
        (folded,), = store.db.execute("SELECT count(*) FROM week_sums")
        (waiting,), = store.db.execute("SELECT count(*) FROM week_sum_changes")
        assert folded > 0 and 0 < waiting < store_module.FOLD_AFTER
    finally:
        store.close()
