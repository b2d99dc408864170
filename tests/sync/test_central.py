"""The central receiver refuses what it must, keeps secrets encrypted, and shows a signed-in dashboard."""
from __future__ import annotations

import gzip
import json
import re
import urllib.error
import xml.etree.ElementTree as ET

import pytest

from sync import client
from sync.central.app import create_app
from sync.central.receive import receive
from sync.central.store import Store
from tests.centralproc import CentralProcess, add_hub, central_cli
from tests.helpers import http


def a_report(hub_id="hub-a", revision=1, value=7):
    return {"schema": "hub-report/1", "hub_id": hub_id, "report_id": "daily-2024-05-10", "revision": revision,
            "period": {"start": "2024-05-10", "end": "2024-05-10"}, "generated_at": "2024-05-11T00:00:00Z",
            "k_threshold": 5, "metrics": [
                {"name": "active_learners", "value": value, "suppressed": False, "dims": {}},
                {"name": "active_learners", "value": None, "suppressed": True, "dims": {"pack": "p.one"}},
                {"name": "learning_minutes", "value": 90, "suppressed": False, "dims": {"kind": "video"}}]}


def post(url, hub_id, signature, body, gz=False):
    headers = {"Content-Type": "application/json", "X-Hub-Id": hub_id, "X-Hub-Signature": signature}
    if gz:
        headers["Content-Encoding"] = "gzip"
    return http("POST", url + "/api/v1/reports", body, headers)


@pytest.mark.slow
def test_the_receiver_refuses_forgeries_replays_and_bad_bodies(tmp_path):
    central = CentralProcess(tmp_path / "central")
    secret_a, secret_b = add_hub(central.data_dir, "hub-a"), add_hub(central.data_dir, "hub-b")
    body = json.dumps(a_report()).encode()
    with central:
        url = central.url
        status, _, answer = post(url, "hub-a", client.sign(secret_a, body), body)
        assert (status, json.loads(answer)) == (200, {"status": "stored"})
        packed = gzip.compress(json.dumps(a_report(revision=2)).encode())
        assert json.loads(post(url, "hub-a", client.sign(secret_a, packed), packed, gz=True)[2]) == {"status": "stored"}
        status, _, answer = post(url, "hub-a", client.sign("not-the-secret", body), body)
        assert status == 401 and "bad signature" in json.loads(answer)["error"]
        assert post(url, "hub-zzz", client.sign(secret_a, body), body)[0] == 401          # unknown hub
        assert post(url, "hub-b", client.sign(secret_a, body), body)[0] == 401            # replayed as hub-b
        status, _, answer = post(url, "hub-b", client.sign(secret_b, body), body)          # re-signed by hub-b
        assert status == 400 and json.loads(answer)["details"][0]["field"] == "hub_id"
        big = b"{" + b" " * (1024 * 1024 + 10) + b"}"
        try:
            assert post(url, "hub-a", client.sign(secret_a, big), big)[0] == 413
        except urllib.error.URLError as exc:  # waitress answered 413 and closed before the body was all sent
            assert isinstance(exc.reason, (BrokenPipeError, ConnectionResetError)), exc
        for broken in (b"{not json", b'{"schema": "hub-report/1"}'):
            status, _, answer = post(url, "hub-a", client.sign(secret_a, broken), broken)
            assert status == 400 and json.loads(answer)["details"], broken
        bomb = gzip.compress(b" " * (20 * 1024 * 1024))
        status, _, answer = post(url, "hub-a", client.sign(secret_a, bomb), bomb, gz=True)
        assert status == 400 and "gzip" in json.loads(answer)["details"][0]["message"]
        assert post(url, "hub-a", client.sign(secret_a, body), body, gz=True)[0] == 400  # says gzip, is not
    rows = json.loads(central_cli(central.data_dir, "export").stdout)
    assert {(r["hub_id"], r["revision"]) for r in rows} == {("hub-a", 2)}


def test_hubs_add_prints_the_secret_once_and_keeps_it_encrypted(tmp_path):
    done = central_cli(tmp_path, "hubs", "add", "hub-a")
    secret = done.stdout.strip().splitlines()[-1]
    assert done.returncode == 0 and len(secret) >= 32 and " " not in secret
    assert secret.encode() not in (tmp_path / "central.db").read_bytes()
    assert (tmp_path / "hub-secrets.key").stat().st_mode & 0o077 == 0
    assert Store(tmp_path).hub_secret("hub-a") == secret
    again = central_cli(tmp_path, "hubs", "add", "hub-a")
    assert again.returncode == 1 and secret not in again.stdout + again.stderr
    assert central_cli(tmp_path, "hubs", "add", "bad id!").returncode == 1
    listed = central_cli(tmp_path, "hubs", "list", "--json").stdout
    assert "hub-a" in listed and secret not in listed


def test_export_json_and_csv_have_the_contract_columns(tmp_path):
    store = Store(tmp_path)
    store.add_hub("hub-a", "s" * 40, "2024-05-11T00:00:00Z")
    body = json.dumps(a_report()).encode()
    assert receive(store, "hub-a", client.sign("s" * 40, body), body)[1] == {"status": "stored"}
    rows = json.loads(central_cli(tmp_path, "export", "--json", "--metric", "active_learners").stdout)
    assert sorted((json.dumps(r["dims"]), r["value"], r["suppressed"]) for r in rows) == [
        ('{"pack": "p.one"}', None, True), ("{}", 7, False)]
    lines = central_cli(tmp_path, "export", "--csv").stdout.splitlines()
    assert lines[0] == "hub_id,period_start,period_end,period_kind,metric,dims,value,suppressed,revision,received_at"
    assert any(line.startswith("hub-a,2024-05-10,2024-05-10,day,active_learners,{},7,false,1,") for line in lines)


@pytest.fixture
def dashboard_client(tmp_path, clock_at):
    import datetime as dt

    from tests.sync.centraldata import week_report

    clock_at(dt.datetime(2026, 12, 8, 9, 0, tzinfo=dt.timezone.utc))
    assert central_cli(tmp_path, "users", "add", "ana", "--password-stdin", stdin="a long password\n").returncode == 0
    store = Store(tmp_path)
    store.add_hub("hub-a", "s" * 40, "2026-11-01T00:00:00Z", name="Kibera library")
    body = json.dumps(week_report("hub-a", learners=7)).encode()
    receive(store, "hub-a", client.sign("s" * 40, body), body)
    app = create_app(tmp_path, {"TESTING": True}, store=store)
    return app.test_client()


def login(web, password="a long password", username="ana"):
    web.get("/login")
    with web.session_transaction() as session:
        token = session.get("_csrf")
    return web.post("/login", data={"username": username, "password": password, "csrf_token": token})


def test_the_dashboard_needs_a_sign_in_and_shows_hubs_and_charts(dashboard_client):
    web = dashboard_client
    assert web.get("/").status_code == 302
    assert login(web, "wrong password").status_code == 401
    assert login(web).status_code == 302
    page = web.get("/").get_data(as_text=True)
    assert "Kibera library" in page and "Program dashboard" in page
    svgs = re.findall(r"<svg .*?</svg>", page, re.S)
    assert svgs and all(ET.fromstring(svg) is not None for svg in svgs)
    assert "http://" not in page.replace('xmlns="http://www.w3.org/2000/svg"', "")
    minutes = web.get("/metric/learning_minutes?by=kind").get_data(as_text=True)
    assert '<th scope="row">video</th><td>340</td>' in minutes


def test_the_dashboard_is_localized_and_mirrors_for_arabic(dashboard_client):
    web = dashboard_client
    login(web)
    page = web.get("/", headers={"Accept-Language": "ar"}).get_data(as_text=True)
    assert '<html lang="ar" dir="rtl">' in page
    web.get("/language/fr?next=/")
    assert '<html lang="fr" dir="ltr">' in web.get("/").get_data(as_text=True)


def test_a_login_form_without_csrf_token_is_refused(dashboard_client):
    assert dashboard_client.post("/login", data={"username": "ana", "password": "a long password"}).status_code == 400


def test_signature_hex_in_either_case_passes_and_odd_bytes_are_a_plain_401(tmp_path):
    store = Store(tmp_path)
    store.add_hub("hub-a", "s" * 40, "2024-05-11T00:00:00Z")
    body = json.dumps(a_report()).encode()
    upper = "sha256=" + client.sign("s" * 40, body).split("=", 1)[1].upper()
    assert receive(store, "hub-a", upper, body) == (200, {"status": "stored"})
    for odd in ("sha256=é" + "0" * 63, "", None):
        status, answer = receive(store, "hub-a", odd, body)
        assert status == 401 and "bad signature" in answer["error"]


def test_the_report_api_answers_its_http_errors_in_json(tmp_path):
    web = create_app(tmp_path, {"TESTING": True}).test_client()
    big = web.post("/api/v1/reports", data=b"{" + b" " * (1024 * 1024 + 10) + b"}",
                   headers={"X-Hub-Id": "hub-a", "X-Hub-Signature": "sha256=00", "Content-Type": "application/json"})
    assert big.status_code == 413 and "larger than" in big.get_json()["error"]
    wrong = web.get("/api/v1/reports")
    assert wrong.status_code == 405 and wrong.headers["Allow"] == "POST"
    assert wrong.get_json()["error"] == "use POST for /api/v1/reports"
    assert web.get("/api/v1/heartbeat").get_json()["error"] == "use POST for /api/v1/heartbeat"
    assert web.put("/api/v1/heartbeat").status_code == 405
    assert web.get("/no-such-page").status_code == 404
