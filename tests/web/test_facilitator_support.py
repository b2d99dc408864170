"""Helpers for the facilitator tests (no tests here): accounts, signing in, CSRF, routes."""
from __future__ import annotations

import re

import pytest

from hub.accounts import facilitators

from hub.accounts import login_limits
from tests.helpers import csrf_from

FACILITATOR_BLUEPRINTS = ("facilitator", "facilitator_reports", "facilitator_content", "facilitator_lessons",
                          "facilitator_groups",
                          "facilitator_learners", "facilitator_translations")
PASSWORD = "correct horse battery"


@pytest.fixture(autouse=True)
def _fresh_login_limits():
    """The login limiters are process-wide: start every test with none used."""
    login_limits.LOGIN_FAILURES_PER_USER.clear()
    login_limits.LOGIN_FAILURES_PER_CLIENT.clear()
    yield


def make_account(db, username="amina", role=None):
    """Create an account with the test password."""
    return facilitators.create(db, username, PASSWORD, role)


def sign_in(client, username="amina", password=PASSWORD):
    """Sign in through the real form; return the response."""
    client.get("/facilitator/login")
    return client.post("/facilitator/login", data={
        "username": username, "password": password, "csrf_token": csrf_from(client)})


def post(client, url, data=None, **kwargs):
    """POST a form with this client's CSRF token."""
    return client.post(url, data={**(data or {}), "csrf_token": csrf_from(client)}, **kwargs)


def facilitator_rules(app):
    """Every URL rule of the facilitator blueprints, with the methods it answers."""
    rules = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint.split(".")[0] in FACILITATOR_BLUEPRINTS:
            rules.append(rule)
    return rules


def sample_url(rule) -> str:
    """A concrete URL for a rule: 1 for int arguments, 'x' otherwise."""
    values = {name: 1 if type(conv).__name__ == "IntegerConverter" else "x"
              for name, conv in rule._converters.items()}
    return rule.build(values)[1]


def html_lang_dir(body: bytes):
    """The lang and dir attributes of a page's <html> element."""
    match = re.search(rb'<html lang="([^"]+)" dir="([^"]+)"', body)
    return match and (match.group(1).decode(), match.group(2).decode())
