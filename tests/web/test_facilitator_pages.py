"""Facilitator pages render, in Arabic right to left too, and do what their forms say."""
from __future__ import annotations

from hub.ops import jobs
from hub.core import settings
from tests.web.test_facilitator_support import (_fresh_login_limits, facilitator_rules,  # noqa: F401
                                            html_lang_dir, make_account, post, sample_url,
                                            sign_in)


def _signed_in_admin(client, db):
    make_account(db)
    assert sign_in(client).status_code == 302


def test_every_page_is_right_to_left_in_arabic(app, client, db):
    _signed_in_admin(client, db)
    client.set_cookie("hub_lang", "ar")
    job_id = jobs.RUNNER.submit("install", "Test", lambda progress: {})
    jobs.RUNNER.wait(job_id, 10)
    anonymous = app.test_client()
    anonymous.set_cookie("hub_lang", "ar")
    checked = []
    for rule in facilitator_rules(app):
        if "GET" not in rule.methods or rule.rule.endswith((".csv", ".json")):
            continue
        url = sample_url(rule).replace("/jobs/x", f"/jobs/{job_id}")
        response = (anonymous if rule.endpoint == "facilitator.login" else client).get(url)
        if response.status_code == 404 and rule.arguments:
            continue  # a learner or group that does not exist in this empty hub
        assert response.status_code in (200, 503), (url, response.status_code)
        assert html_lang_dir(response.data) == ("ar", "rtl"), url
        checked.append(url)
    assert len(checked) >= 8
    for public in ("/setup", "/community"):
        assert html_lang_dir(anonymous.get(public).data) == ("ar", "rtl")
    client.delete_cookie("hub_lang")
    assert html_lang_dir(client.get("/facilitator/settings").data) == ("en", "ltr")


def test_the_login_page_has_the_contract_fields(client, db):
    make_account(db)
    page = client.get("/facilitator/login").get_data(as_text=True)
    for field in ('name="username"', 'name="password"', 'name="csrf_token"'):
        assert field in page


def test_settings_are_saved_and_bad_values_refused(client, db):
    _signed_in_admin(client, db)
    response = post(client, "/facilitator/settings", {
        "hub_name": "Mtaani Hub", "default_locale": "fr", "timezone": "Africa/Dakar",
        "self_signup": "", "community_page": "1"})
    assert response.status_code == 302
    assert settings.get(db, "hub_name") == "Mtaani Hub"
    assert settings.get(db, "self_signup") is False
    assert settings.get(db, "community_page") is True
    assert settings.get(db, "timezone") == "Africa/Dakar"
    response = post(client, "/facilitator/settings", {
        "hub_name": "x", "default_locale": "xx", "timezone": "Nowhere/Land"})
    assert response.status_code == 400
    assert settings.get(db, "default_locale") == "fr"


def test_community_page_is_off_by_default_and_public_when_on(app, client, db):
    assert client.get("/community").status_code == 404
    settings.set(db, "community_page", True)
    response = client.get("/community")  # nobody signed in
    assert response.status_code == 200
    assert b"Our community last month" in response.data


def test_admin_manages_accounts(client, db):
    _signed_in_admin(client, db)
    response = post(client, "/facilitator/accounts", {
        "username": "baraka", "password": "another long one", "role": "facilitator"})
    assert response.status_code == 302
    page = client.get("/facilitator/accounts").get_data(as_text=True)
    assert "baraka" in page
    response = post(client, "/facilitator/accounts", {"username": "baraka", "password": "x"})
    assert response.status_code == 400
    assert post(client, "/facilitator/accounts/1/remove").status_code == 302
    assert "amina" in client.get("/facilitator/accounts").get_data(as_text=True)  # not yourself
    post(client, "/facilitator/accounts/2/remove")
    assert "baraka" not in client.get("/facilitator/accounts").get_data(as_text=True)


def test_job_progress_is_json_and_a_plain_page(client, db):
    _signed_in_admin(client, db)

    def refused(progress):
        progress(0.3, "checking")
        raise jobs.JobFailed("refused", ["pack.json: version: must be like 1.2.0"])

    job_id = jobs.RUNNER.submit("install", "Installing numbers.zip", refused)
    jobs.RUNNER.wait(job_id, 10)
    state = client.get(f"/facilitator/jobs/{job_id}.json").get_json()
    assert state["state"] == "failed" and state["finished"]
    page = client.get(f"/facilitator/jobs/{job_id}").get_data(as_text=True)
    assert "pack.json: version: must be like 1.2.0" in page
    assert "Nothing was changed" in page
    assert client.get("/facilitator/jobs/nope").status_code == 404


def test_no_words_in_facilitator_templates_outside_gettext():
    """Every word a facilitator reads comes through _()/ngettext, so every page can be translated."""
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[2] / "hub" / "templates"
    templates = [*(root / "facilitator").glob("*.html"), root / "setup.html", root / "setup_pointer.html"]
    assert len(templates) > 15
    for path in templates:
        text = re.sub(r"\{#.*?#\}|\{\{.*?\}\}|\{%.*?%\}", "", path.read_text(), flags=re.S)
        text = re.sub(r"<[^>]+>", " ", text)
        if path.name == "base.html":
            text = text.replace("facilitator", "")  # the body class
        assert not re.search(r"[^\W\d_]{2,}", text), (path.name, text.strip()[:200])
