"""The points of docs/security.md that no other test file covers, one test each.

(Access control, CSRF, rate limits, traversal, XSS, SQL and backups are tested in the files
the review names.)
"""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from werkzeug.security import check_password_hash

from hub.accounts import facilitators
from hub.learning import learners
from hub.catalog.packs import install
from tests.packfactory import PACK_ID, make_pack
from tests.web.test_facilitator_support import PASSWORD, _fresh_login_limits, sign_in  # noqa: F401


def test_facilitator_passwords_are_stored_as_slow_salted_hashes(db):
    facilitators.create(db, "amina", PASSWORD, "admin")
    facilitators.create(db, "baraka", PASSWORD)
    stored = [row[0] for row in db.execute("SELECT password_hash FROM facilitators")]
    assert all(h.startswith(("scrypt:", "pbkdf2:")) and PASSWORD not in h for h in stored)
    assert stored[0] != stored[1]  # salted: the same password, two different hashes
    assert check_password_hash(stored[0], PASSWORD)
    learner = learners.create_learner(db, "Asha", pin="1234")
    pin_hash = db.execute("SELECT pin_hash FROM learners WHERE id = ?", [learner["id"]]).fetchone()[0]
    method, salt, digest = pin_hash.split("$")  # never the PIN ("1234" may occur in a random salt)
    assert method.startswith(("scrypt:", "pbkdf2:")) and len(salt) >= 16 and len(digest) >= 64
    assert check_password_hash(pin_hash, "1234") and not check_password_hash(pin_hash, "1235")


def _cookie(response, name="hub_session") -> str:
    found = [v for v in response.headers.getlist("Set-Cookie") if v.startswith(name + "=")]
    assert found, response.headers
    return found[-1]


def test_session_cookies_are_httponly_and_samesite(client, db):
    cookie = _cookie(client.post("/api/v1/learners", json={"name": "Asha"}))
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert "Secure" not in cookie  # plain http on the LAN; see docs/security.md for https
    facilitators.create(db, "amina", PASSWORD, "admin")
    other = client.application.test_client()
    cookie = _cookie(sign_in(other))
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


@pytest.mark.parametrize("path", ["/", "/search?q=x", "/signup", "/facilitator/login", "/api/v1/packs",
                                  "/healthz", "/nope"])
def test_every_answer_carries_the_security_headers(client, path):
    response = client.get(path)
    csp = response.headers["Content-Security-Policy"]
    for directive in ("default-src 'self'", "script-src 'self'", "style-src 'self'", "object-src 'none'",
                      "frame-ancestors 'self'", "base-uri 'self'", "form-action 'self'"):
        assert directive in csp, (path, directive)
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["X-Frame-Options"] == "SAMEORIGIN"


def test_a_sandboxed_app_cannot_act_as_the_learner(client, db, data_dir, tmp_path):
    """An html5 app runs in an opaque origin: its requests say Origin: null and are refused."""
    install.install(db, data_dir, make_pack(tmp_path / "pack"))
    client.post("/api/v1/learners", json={"name": "Asha"})
    app_page = client.get(f"/content/{PACK_ID}/apps/game.zip/index.html")
    csp = app_page.headers["Content-Security-Policy"]
    assert app_page.status_code == 200 and csp.startswith("sandbox allow-scripts")
    assert "allow-same-origin" not in csp
    event = {"id": "7f1b0c3e-1111-4c6e-9d55-000000000001", "resource": f"{PACK_ID}/game",
             "verb": "completed", "timestamp": "2024-05-02T10:00:00Z"}
    for origin in ("null", "http://evil.example"):
        refused = client.post("/api/v1/events", json={"events": [event]}, headers={"Origin": origin})
        assert refused.status_code == 400 and "cross-origin" in refused.get_json()["error"]
        refused = client.post("/api/v1/events", data=json.dumps({"events": [event]}),
                              content_type="text/plain", headers={"Origin": origin})
        assert refused.status_code == 400  # a "simple" request without the token
    assert db.execute("SELECT count(*) FROM events WHERE verb = 'completed'").fetchone()[0] == 0
    assert client.post("/api/v1/events", json={"events": [event]}).status_code == 200  # same origin


def test_request_bodies_have_limits(client, db):
    assert client.post("/api/v1/learners", json={"name": "x" * 9000}).status_code == 413
    assert client.post("/api/v1/session", json={"learner": 1, "pin": "1" * 5000}).status_code == 413
    big = json.dumps({"events": [{"data": {"x": "y" * 1000}}] * 300})
    assert client.post("/api/v1/events", data=big, content_type="application/json").status_code == 413
    # A form field far beyond what any form needs (werkzeug's form memory limit): refused, nothing made.
    from tests.helpers import csrf_from

    client.get("/signup")
    form = {"name": "x" * (1024 * 1024), "csrf_token": csrf_from(client)}
    assert client.post("/signup", data=form, content_type="multipart/form-data").status_code == 413
    assert client.post("/signup", data=form).status_code in (400, 413)
    assert db.execute("SELECT count(*) FROM learners").fetchone()[0] == 0


def _pip_audit() -> str:
    found = shutil.which("pip-audit") or str(Path(sys.executable).with_name("pip-audit"))
    if not Path(found).exists():
        pytest.skip("pip-audit is not installed (pip install -e .[test])")
    return found


@pytest.mark.slow
def test_pip_audit_finds_no_known_vulnerability():
    done = subprocess.run([_pip_audit(), "--progress-spinner", "off", "--format", "json"],
                          capture_output=True, text=True, timeout=180)
    try:
        report = json.loads(done.stdout)
    except ValueError:
        pytest.skip(f"pip-audit could not reach its vulnerability service: {done.stderr.strip()[-300:]}")
    deps = report["dependencies"]
    audited = [d for d in deps if "skip_reason" not in d]
    if not audited:
        pytest.skip("pip-audit reached no vulnerability data for any package (an offline mirror?); "
                    "run `pip-audit` on a networked machine before a release")
    vulnerable = {d["name"]: [v["id"] for v in d["vulns"]] for d in audited if d.get("vulns")}
    assert not vulnerable, vulnerable
