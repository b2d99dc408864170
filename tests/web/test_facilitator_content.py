"""Content management with real packs: upload and install as a job, hide, remove with confirmation."""
from __future__ import annotations

import io
import json
import zipfile

import pytest

from hub.catalog import store as catalog
from hub.ops import jobs
from tests.helpers import csrf_from
from tests.packfactory import PACK_ID, make_pack, zip_pack
from tests.web.test_facilitator_support import _fresh_login_limits, make_account, post, sign_in  # noqa: F401


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


def _upload(client, data, name="counting.zip"):
    response = client.post("/facilitator/content/upload", data=data, headers={
        "X-CSRF-Token": csrf_from(client), "X-Requested-With": "XMLHttpRequest",
        "X-File-Name": name, "Content-Type": "application/zip"})
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


@pytest.fixture
def stick(app, tmp_path):
    """A USB stick as a desktop mounts it, under a mount root the app scans."""
    root = tmp_path / "media"
    drive = root / "user" / "STICK"
    drive.mkdir(parents=True)
    app.config["HUB_USB_MOUNTS"] = str(root)
    return drive


def test_usb_install_of_the_chosen_packs_as_a_job(admin, db, stick, tmp_path):
    make_pack(stick / "numbers")  # a pack folder
    zip_pack(make_pack(tmp_path / "other", pack_id="org.example.other"), stick / "other.zip")
    page = admin.get("/facilitator/content/usb").get_data(as_text=True)
    assert page.count("<span class=\"badge\">New</span>") == 2
    response = post(admin, "/facilitator/content/usb", {"path": str(stick / "numbers")})
    assert response.status_code == 303
    state = jobs.RUNNER.wait(response.headers["Location"].rsplit("/", 1)[1], 60)
    assert state["state"] == "done" and state["result"]["installed"] == [{"id": PACK_ID, "version": "1.0.0"}]
    assert catalog.get_pack(db, PACK_ID)["source"] == "usb"
    assert catalog.get_pack(db, "org.example.other") is None  # not chosen
    page = admin.get("/facilitator/content/usb").get_data(as_text=True)
    assert "Already installed" in page and page.count("<span class=\"badge\">New</span>") == 1
    assert (stick / "numbers" / "pack.json").is_file()  # the stick is read, never changed


def test_an_install_that_would_break_the_reserve_is_warned_about_first(app, admin, db, stick):
    make_pack(stick / "numbers")
    app.config["HUB_DISK_RESERVE_MB"] = 10 ** 9  # a petabyte: nothing fits
    page = admin.get("/facilitator/content/usb").get_data(as_text=True)
    assert "There is not enough free space to copy this one." in page
    known_jobs = len(jobs.RUNNER.recent("install"))
    response = post(admin, "/facilitator/content/usb", {"path": str(stick / "numbers")})
    assert response.status_code == 409 and len(jobs.RUNNER.recent("install")) == known_jobs
    assert b"would leave less free space than the hub keeps" in response.data
    assert b'name="confirm_space"' in response.data
    assert catalog.get_pack(db, PACK_ID) is None
    response = post(admin, "/facilitator/content/usb", {"path": str(stick / "numbers"), "confirm_space": "1"})
    state = jobs.RUNNER.wait(response.headers["Location"].rsplit("/", 1)[1], 60)
    assert state["state"] == "failed" and "HUB_DISK_RESERVE_MB" in " ".join(state["problems"])
    assert catalog.get_pack(db, PACK_ID) is None


def test_free_space_is_shown_on_the_content_pages(admin):
    for url in ("/facilitator/content", "/facilitator/content/upload", "/facilitator/content/usb"):
        assert "Free space:" in admin.get(url).get_data(as_text=True), url


def test_removing_or_hiding_a_pack_that_is_not_there_is_404(admin):
    assert post(admin, "/facilitator/content/org.example.none/remove").status_code == 404
    assert post(admin, "/facilitator/content/org.example.none/enabled", {"enabled": "0"}).status_code == 404
    assert admin.get("/facilitator/content/org.example.none/remove").status_code == 404


def test_refusals_are_said_in_plain_words_with_what_to_do(admin, db):
    """Issue 18: the same version again, and a broken zip, say so plainly; the exact reason
    waits under Details, and no temporary file name leads the message."""
    assert _upload(admin, _pack_zip())["state"] == "done"
    again = _upload(admin, _pack_zip())
    page = admin.get(f"/facilitator/jobs/{again['id']}").get_data(as_text=True)
    assert "This version of the pack is installed already, so nothing was changed." in page
    broken = _upload(admin, b"PK\x03\x04 this is not really a zip", name="broken.zip")
    assert broken["state"] == "failed"
    page = admin.get(f"/facilitator/jobs/{broken['id']}").get_data(as_text=True)
    assert "This file is not a pack the hub can read, or it is damaged." in page
    assert "Details for the person who looks after the hub" in page
