"""Content management with real packs: upload and install as a job, hide, remove with confirmation."""
from __future__ import annotations

import io
import json
import zipfile

import pytest

from hub import jobs
from tests.helpers import csrf_from
from tests.test_facilitator_support import _fresh_login_limits, make_account, post, sign_in  # noqa: F401

pytest.importorskip("hub.packs.install", reason="hub.packs has not landed yet")
catalog = pytest.importorskip("hub.catalog")


def _pack_zip(version="1.0.0", bad=False):
    import hashlib

    body = b"# Counting\n\nOne, two, three.\n"
    manifest = {"format": 1, "id": "org.example.counting", "version": version,
                "title": {"en": "Counting"}, "description": {"en": "Count to ten."},
                "publisher": "Test", "license": "CC-BY-4.0", "languages": ["en"],
                "topics": [{"id": "t", "title": {"en": "Numbers"}, "resources": ["c1"]}],
                "resources": [{"id": "c1", "kind": "article", "language": "en", "group": "c1",
                               "title": "Counting", "file": "articles/c1.md",
                               "sha256": hashlib.sha256(body).hexdigest(), "size": len(body)}]}
    if bad:
        manifest["colour"] = "red"
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("pack.json", json.dumps(manifest))
        archive.writestr("articles/c1.md", body)
    return out.getvalue()


@pytest.fixture
def admin(client, db):
    make_account(db)
    sign_in(client)
    return client


def _upload(client, data):
    response = client.post("/facilitator/content/upload", data=data, headers={
        "X-CSRF-Token": csrf_from(client), "X-Requested-With": "XMLHttpRequest",
        "X-File-Name": "counting.zip", "Content-Type": "application/zip"})
    assert response.status_code == 202, response.data
    job_id = response.get_json()["job"]
    return jobs.RUNNER.wait(job_id, 60)


def test_upload_installs_then_hide_and_remove(admin, db):
    state = _upload(admin, _pack_zip())
    assert state["state"] == "done", state
    page = admin.get("/facilitator/content").get_data(as_text=True)
    assert "Counting" in page and "1.0.0" in page
    post(admin, "/facilitator/content/org.example.counting/enabled", {"enabled": "0"})
    assert not catalog.get_pack(db, "org.example.counting")["enabled"]
    confirm = admin.get("/facilitator/content/org.example.counting/remove")
    assert confirm.status_code == 200 and catalog.get_pack(db, "org.example.counting")
    post(admin, "/facilitator/content/org.example.counting/remove")
    assert catalog.get_pack(db, "org.example.counting") is None


def test_a_refused_pack_shows_its_problems(admin, db):
    state = _upload(admin, _pack_zip(bad=True))
    assert state["state"] == "failed" and state["problems"]
    page = admin.get(f"/facilitator/jobs/{state['id']}").get_data(as_text=True)
    assert "colour" in page
    assert catalog.get_pack(db, "org.example.counting") is None
