"""The central for a program: scoped users, exports (CSV, JSON, DHIS2), alerts, weeks and what was hidden."""
from __future__ import annotations

import csv
import datetime as dt
import io
import json

import pytest
from werkzeug.security import generate_password_hash

from sync.central import alerts
from sync.central.app import create_app
from sync.central.receive import receive
from tests.centralproc import central_cli
from tests.helpers import csrf_from
from tests.sync.centraldata import heartbeat, signed, week_report

NOW = dt.datetime(2026, 12, 8, 9, 0, tzinfo=dt.timezone.utc)
PASSWORD = "a long password"


def fleet(store):
    """Three hubs: a ministry region North (two partners) and one South hub of a publisher."""
    store.add_hub("hub-n1", "s" * 40, "2026-10-01T00:00:00Z", name="North one", region="North", partner="Words NGO")
    store.add_hub("hub-n2", "t" * 40, "2026-10-01T00:00:00Z", name="North two", region="North", partner="Numbers Pub")
    store.add_hub("hub-s1", "u" * 40, "2026-10-01T00:00:00Z", name="South one", region="South", partner="Numbers Pub")
    for hub_id, learners in (("hub-n1", 11), ("hub-n2", 22), ("hub-s1", 33)):
        for monday in ("2026-11-23", "2026-11-30"):
            store.save_report(hub_id, week_report(hub_id, monday=monday, learners=learners), "2026-12-07T01:00:00Z")
    for name, region, partner in (("ministry", "", ""), ("north-officer", "North", ""),
                                  ("publisher", "", "Numbers Pub"), ("ngo", "", "Words NGO")):
        store.set_user(name, generate_password_hash(PASSWORD), "2026-12-01T00:00:00Z", region=region, partner=partner)


@pytest.fixture
def program(central_store, tmp_path, clock_at):
    clock_at(NOW)
    fleet(central_store)
    app = create_app(tmp_path / "central", {"TESTING": True}, store=central_store)
    return app


def signed_in(app, username):
    web = app.test_client()
    token = csrf_from(web)
    assert web.post("/login", data={"username": username, "password": PASSWORD, "csrf_token": token}).status_code == 302
    return web


def test_scoped_users_see_and_export_only_their_hubs(program):
    seen = {}
    for user in ("ministry", "north-officer", "publisher", "ngo"):
        web = signed_in(program, user)
        pages = "".join(web.get(url).get_data(as_text=True) for url in (
            "/", "/hubs", "/metric/active_learners?by=hub", "/metric/active_learners?by=partner"))
        rows = json.loads(web.get("/export.json").get_data(as_text=True))
        table = list(csv.DictReader(io.StringIO(web.get("/export.csv").get_data(as_text=True))))
        assert {r["hub_id"] for r in rows} == {r["hub_id"] for r in table}
        names = {name for name in ("North one", "North two", "South one") if name in pages}
        seen[user] = ({r["hub_id"] for r in rows}, names)
        # asking for another's hub by filter gives nothing, never their rows
        assert {r["hub_id"] for r in json.loads(web.get("/export.json?hub=hub-s1").get_data(as_text=True))} <= (
            {"hub-s1"} if user in ("ministry", "publisher") else set())
        assert web.get("/users").status_code == (200 if user == "ministry" else 403)
        assert web.get("/hubs/hub-n1").status_code == (200 if user == "ministry" else 403)
    assert seen["ministry"] == ({"hub-n1", "hub-n2", "hub-s1"}, {"North one", "North two", "South one"})
    assert seen["north-officer"] == ({"hub-n1", "hub-n2"}, {"North one", "North two"})
    assert seen["publisher"] == ({"hub-n2", "hub-s1"}, {"North two", "South one"})
    assert seen["ngo"] == ({"hub-n1"}, {"North one"})


def test_the_week_table_adds_published_cells_only_and_says_what_was_hidden(program):
    web = signed_in(program, "north-officer")
    page = web.get("/metric/active_learners?by=hub&weeks=4").get_data(as_text=True)
    assert '<th scope="row">North two</th><td>22</td><td>22</td>' in page
    assert '<th scope="row">Total shown</th><td>33</td><td>33</td>' in page
    packs = web.get("/metric/active_learners?by=pack&weeks=4").get_data(as_text=True)
    assert '<span class="hidden-note">hidden</span>' in packs  # org.example.words was suppressed: never rebuilt
    first = web.get("/").get_data(as_text=True)
    assert "2 small hubs' numbers are not shown." in first  # returning_learners was suppressed at both
    months = web.get("/metric/learning_minutes?period=month&weeks=12").get_data(as_text=True)
    assert "Dec 2026" in months and "Nov 2026" in months and "<td>680</td>" in months
    learners = web.get("/metric/active_learners?period=year").get_data(as_text=True)
    assert "weeks are not added up" in learners


def test_an_admin_edits_a_hub_and_manages_people_in_the_dashboard(program):
    web = signed_in(program, "ministry")
    token = csrf_from(web)
    assert web.post("/hubs/hub-s1", data={"csrf_token": token, "name": "Coast one", "region": "Coast",
                                          "partner": "Numbers Pub"}).status_code == 303
    assert "Coast one" in web.get("/hubs").get_data(as_text=True)
    assert web.post("/users", data={"csrf_token": token, "action": "add", "username": "coast", "password": PASSWORD,
                                    "region": "Coast"}).status_code == 303
    coast = signed_in(program, "coast")
    assert {r["hub_id"] for r in coast.get("/export.json").get_json()} == {"hub-s1"}
    refused = web.post("/users", data={"csrf_token": token, "action": "add", "username": "x", "password": "short"})
    assert refused.status_code == 400 and "at least 10 characters" in refused.get_data(as_text=True)
    assert web.post("/users", data={"csrf_token": token, "action": "remove", "username": "coast"}).status_code == 303
    assert coast.get("/").status_code == 302  # removed: signed out on the next page


def test_alerts_silent_refused_and_low_disk_follow_the_one_clock(central_store, clock_at):
    store = central_store
    clock_at(NOW)
    fleet(store)
    body, signature = signed("s" * 40, heartbeat("hub-n1", sent_at="2026-12-08T08:00:00Z", disk_free_mb=120))
    from sync.central.receive import receive_heartbeat

    assert receive_heartbeat(store, "hub-n1", signature, body)[0] == 200
    bad = week_report("hub-n2", monday="2026-12-01")  # a Tuesday: refused
    body, signature = signed("t" * 40, bad)
    assert receive(store, "hub-n2", signature, body)[0] == 400
    found = {(a["hub_id"], a["reason"]) for a in alerts.alerts(store)}
    assert found == {("hub-n1", "low_disk"), ("hub-n2", "refused")}
    clock_at(NOW + dt.timedelta(days=8))
    found = {(a["hub_id"], a["reason"]) for a in alerts.alerts(store)}
    assert found == {("hub-n1", "low_disk"), ("hub-n2", "refused"), ("hub-n1", "silent"), ("hub-n2", "silent"),
                     ("hub-s1", "silent")}
    assert {(a["hub_id"], a["reason"]) for a in alerts.alerts(store, days=30)} == {
        ("hub-n1", "low_disk"), ("hub-n2", "refused")}
    silent = [a for a in alerts.alerts(store) if a["reason"] == "silent" and a["hub_id"] == "hub-s1"][0]
    assert silent["since"] == "2026-12-07T01:00:00Z" and set(alerts.public(silent)) == {
        "hub_id", "name", "region", "reason", "since"}
    body, signature = signed("t" * 40, week_report("hub-n2", monday="2026-12-07", revision=1))
    assert receive(store, "hub-n2", signature, body)[0] == 200  # a good report clears "refused" and "silent"
    assert {a["reason"] for a in alerts.alerts(store) if a["hub_id"] == "hub-n2"} == set()


def test_the_first_page_shows_the_alerts(program, clock_at):
    clock_at(NOW + dt.timedelta(days=9))
    page = signed_in(program, "publisher").get("/").get_data(as_text=True)
    assert "North two" in page and "silent since" in page and "North one" not in page


@pytest.mark.slow
def test_cli_export_filters_dhis2_and_alerts(tmp_path):
    from sync.central.store import Store

    store = Store(tmp_path)
    fleet(store)
    store.add_hub("hub-old", "v" * 40, "2020-01-01T00:00:00Z", name="Never heard of", region="South")
    store.close()
    rows = json.loads(central_cli(tmp_path, "export", "--json", "--region", "North", "--since", "2026-11-30").stdout)
    assert {(r["hub_id"], r["period_start"], r["period_kind"]) for r in rows} == {
        ("hub-n1", "2026-11-30", "week"), ("hub-n2", "2026-11-30", "week")}
    mapping = tmp_path / "mapping.json"
    mapping.write_text(json.dumps({"dataSet": "DS_HUBS", "orgUnits": {"hub-n1": "OU_N1", "hub-s1": "OU_S1"},
                                   "dataElements": {"active_learners": "DE_LEARN", "returning_learners": "DE_RET"}}))
    done = central_cli(tmp_path, "export", "--dhis2", str(mapping))
    document = json.loads(done.stdout)
    assert document["dataSet"] == "DS_HUBS"
    assert sorted(document["dataValues"], key=lambda v: (v["orgUnit"], v["period"])) == [
        {"dataElement": "DE_LEARN", "period": "2026W48", "orgUnit": "OU_N1", "value": "11"},
        {"dataElement": "DE_LEARN", "period": "2026W49", "orgUnit": "OU_N1", "value": "11"},
        {"dataElement": "DE_LEARN", "period": "2026W48", "orgUnit": "OU_S1", "value": "33"},
        {"dataElement": "DE_LEARN", "period": "2026W49", "orgUnit": "OU_S1", "value": "33"}]
    # returning_learners is mapped but suppressed: left out; hub-n2 and minutes are unmapped: ignored
    mapping.write_text('{"dataSet": 5}')
    bad = central_cli(tmp_path, "export", "--dhis2", str(mapping))
    assert bad.returncode == 1 and "dataSet" in bad.stderr
    assert central_cli(tmp_path, "export", "--since", "yesterday").returncode == 1
    silent = json.loads(central_cli(tmp_path, "alerts", "--json", "--days", "30").stdout)
    assert {"hub_id": "hub-old", "name": "Never heard of", "region": "South", "reason": "silent",
            "since": "2020-01-01T00:00:00Z"} in silent
    assert central_cli(tmp_path, "alerts", "--days", "0").returncode == 2


@pytest.mark.slow
def test_users_add_with_a_region_or_partner_on_the_command_line(tmp_path):
    assert central_cli(tmp_path, "users", "add", "pat", "--password-stdin", "--partner", "Numbers Pub",
                       stdin=PASSWORD + "\n").returncode == 0
    both = central_cli(tmp_path, "users", "add", "x", "--password-stdin", "--partner", "A", "--region", "B",
                       stdin=PASSWORD + "\n")
    assert both.returncode == 1 and "not both" in both.stderr
    listed = json.loads(central_cli(tmp_path, "users", "list", "--json").stdout)
    assert listed == [{"username": "pat", "region": "", "partner": "Numbers Pub", "admin": False}]
    done = central_cli(tmp_path, "hubs", "add", "hub-x", "--name", "Hub X", "--region", "Coast", "--partner", "Numbers Pub")
    assert done.returncode == 0
    hub = json.loads(central_cli(tmp_path, "hubs", "list", "--json").stdout)[0]
    assert (hub["name"], hub["region"], hub["partner"]) == ("Hub X", "Coast", "Numbers Pub")


def test_a_heartbeat_posted_over_http_shows_on_the_hubs_page(program):
    import gzip

    web = program.test_client()
    body = gzip.compress(json.dumps(heartbeat("hub-n1", disk_free_mb=2048, version="2.0.1")).encode())
    from sync import client

    answer = web.post("/api/v1/heartbeat", data=body, headers={
        "X-Hub-Id": "hub-n1", "X-Hub-Signature": client.sign("s" * 40, body), "Content-Encoding": "gzip",
        "Content-Type": "application/json"})
    assert answer.status_code == 200 and answer.get_json() == {"status": "stored"}
    assert web.post("/api/v1/heartbeat", data=body, headers={"X-Hub-Id": "hub-n1",
                                                             "X-Hub-Signature": "sha256=00"}).status_code == 401
    page = signed_in(program, "ngo").get("/hubs").get_data(as_text=True)
    assert "2.0.1" in page and "2 GB" in page and "2026-12-06" in page
