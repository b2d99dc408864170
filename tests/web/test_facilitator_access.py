"""Who may open which facilitator page: every route, every role, CSRF, sessions, sign-in limits."""
from __future__ import annotations

import pytest

from hub.accounts import facilitators
from tests.helpers import csrf_from
from tests.web.test_facilitator_support import (_fresh_login_limits, facilitator_rules,  # noqa: F401
                                            make_account, post, sample_url, sign_in)

ADMIN_ONLY = {"facilitator.accounts", "facilitator.add_account", "facilitator.remove_account",
              "facilitator_reports.sync_panel", "facilitator_reports.hub_settings"}


def _admin_only(app, endpoint):
    return getattr(app.view_functions[endpoint], "admin_only", False)


def _request(client, rule, method):
    url = sample_url(rule)
    if method == "GET":
        return client.get(url)
    return post(client, url)


def test_the_route_list_covers_every_area(app):
    endpoints = {rule.endpoint for rule in facilitator_rules(app)}
    assert len(endpoints) >= 25
    for expected in ("facilitator_content.upload", "facilitator_learners.learner",
                     "facilitator_reports.dashboard", "facilitator_reports.dashboard_csv"):
        assert expected in endpoints
    # Content management, settings and sharing are for admins only.
    for endpoint in ADMIN_ONLY | {e for e in endpoints if e.startswith("facilitator_content.")}:
        assert _admin_only(app, endpoint), endpoint


def test_before_setup_every_facilitator_page_leads_to_setup(app, client):
    for rule in facilitator_rules(app):
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            response = _request(client, rule, method)
            assert response.status_code == 302, (method, rule.rule)
            assert response.headers["Location"].endswith("/setup")


@pytest.mark.parametrize("who", ["anonymous", "learner"])
def test_anonymous_users_and_learners_are_refused_everywhere(app, client, db, who):
    make_account(db)
    if who == "learner":
        with client.session_transaction() as session:
            session["learner_id"] = 1  # a learner's session carries no facilitator
    for rule in facilitator_rules(app):
        if rule.endpoint == "facilitator.login":
            continue
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            response = _request(client, rule, method)
            assert response.status_code in (302, 403), (method, rule.rule, response.status_code)
            if response.status_code == 302:
                assert "/facilitator/login" in response.headers["Location"], rule.rule
            assert b"Sign out" not in response.data


def test_facilitators_are_refused_admin_pages_and_admins_are_not(app, client, db):
    make_account(db, "admin1")
    make_account(db, "helper", role="facilitator")
    assert sign_in(client, "helper").status_code == 302
    for rule in facilitator_rules(app):
        if rule.endpoint == "facilitator.logout":
            continue  # it would end this session; tested on its own below
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            response = _request(client, rule, method)
            if _admin_only(app, rule.endpoint):
                assert response.status_code == 403, (method, rule.rule)
            else:
                assert response.status_code != 403, (method, rule.rule)
                assert not (response.status_code == 302
                            and "/facilitator/login" in response.headers["Location"]), rule.rule
    other = app.test_client()
    sign_in(other, "admin1")
    for rule in facilitator_rules(app):
        if "GET" in rule.methods and not rule.arguments:
            response = other.get(sample_url(rule))
            assert response.status_code in (200, 302, 503), (rule.rule, response.status_code)


def test_post_without_csrf_token_is_refused(client, db):
    make_account(db)
    client.get("/facilitator/login")
    response = client.post("/facilitator/login", data={"username": "amina", "password": "x" * 10})
    assert response.status_code == 400
    response = client.post("/facilitator/login", data={
        "username": "amina", "password": "correct horse battery", "csrf_token": "forged"})
    assert response.status_code == 400
    sign_in(client)
    response = client.post("/facilitator/learners", data={"name": "Zawadi"})
    assert response.status_code == 400
    response = client.post("/facilitator/settings", data={"hub_name": "Hacked"})
    assert response.status_code == 400


def test_sign_in_rotates_the_session_and_sign_out_ends_it(client, db):
    make_account(db)
    client.get("/facilitator/login")
    before = csrf_from(client)
    response = sign_in(client)
    assert response.status_code == 302
    with client.session_transaction() as session:
        assert session["facilitator_id"] == 1
        assert session.get("_csrf") != before  # a fresh session, not the pre-login one
    assert client.get("/facilitator/learners").status_code in (200, 503)
    cookie = client.get_cookie("hub_session")
    assert cookie.http_only and cookie.same_site == "Lax"
    post(client, "/facilitator/logout")
    assert client.get("/facilitator/learners").status_code == 302


def test_wrong_password_is_refused_and_too_many_tries_get_429(client, db):
    make_account(db)
    response = sign_in(client, password="wrong password")
    assert response.status_code == 401
    assert b"do not match" in response.data
    for _ in range(3):
        assert sign_in(client, password="wrong password").status_code == 401
    response = sign_in(client, password="wrong password")
    assert response.status_code == 401
    # Now even the right password waits: the account is being guessed at.
    response = sign_in(client)
    assert response.status_code == 429
    assert int(response.headers["Retry-After"]) > 0
    assert "facilitator_id" not in dict(client.session_transaction().__enter__())


def test_a_password_change_ends_existing_sessions(client, db):
    account = make_account(db)
    sign_in(client)
    assert client.get("/facilitator/learners").status_code != 302
    facilitators.set_password(db, account["id"], "another long password")
    response = client.get("/facilitator/learners")
    assert response.status_code == 302 and "/facilitator/login" in response.headers["Location"]


def test_login_goes_back_only_to_local_pages(client, db):
    make_account(db)
    client.get("/facilitator/login")
    response = client.post("/facilitator/login", data={
        "username": "amina", "password": "correct horse battery", "next": "//evil.example/x",
        "csrf_token": csrf_from(client)})
    assert response.headers["Location"] == "/"
