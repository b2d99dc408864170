"""Kiwix ZIM files from the console: uploaded or found on USB, copied or kept on the drive."""
from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("libzim")

from hub.catalog import store as catalog  # noqa: E402
from hub.ops import jobs
from hub.catalog.zim import archive, store  # noqa: E402
from tests.helpers import csrf_from  # noqa: E402
from tests.web.test_facilitator_content import admin, stick  # noqa: E402,F401 - fixtures
from tests.web.test_facilitator_support import _fresh_login_limits, post  # noqa: E402,F401
from tests.catalog.test_zim_archive import make_sample_zim  # noqa: E402

PACK = "zim.hub-test-en"  # from the sample's Name, hub_test_en


def _wait(response) -> dict:
    job_id = (response.get_json() or {}).get("job") if response.is_json else \
        response.headers["Location"].rsplit("/", 1)[1]
    return jobs.RUNNER.wait(job_id, 60)


def _upload(client, body: bytes, name: str):
    return client.post("/facilitator/content/upload", data=body, headers={
        "X-CSRF-Token": csrf_from(client), "X-Requested-With": "XMLHttpRequest",
        "X-File-Name": name, "Content-Type": "application/zip"})


def test_an_uploaded_zim_is_installed_then_removed(admin, db, data_dir, tmp_path):
    body = make_sample_zim(tmp_path / "savanna.zim").read_bytes()
    state = _wait(_upload(admin, body, "savanna.zim"))
    assert state["state"] == "done", state
    row = store.get(db, PACK, enabled_only=False)
    assert not row["by_reference"] and Path(row["path"]).read_bytes() == body
    assert "Animals of the savanna" in admin.get("/facilitator/content").get_data(as_text=True)
    assert list((data_dir / "uploads").iterdir()) == []  # the upload itself is gone
    archive.load(row["path"])  # the hub has it open, as when serving articles
    assert admin.get(f"/facilitator/content/{PACK}/remove").status_code == 200
    post(admin, f"/facilitator/content/{PACK}/remove")
    assert catalog.get_pack(db, PACK) is None and store.get(db, PACK, enabled_only=False) is None
    assert not Path(row["path"]).exists()
    assert row["path"] not in archive._open  # noqa: SLF001 - its cached handle was let go


def test_a_damaged_zim_upload_lists_the_problem_and_changes_nothing(admin, db, tmp_path):
    good = make_sample_zim(tmp_path / "good.zim").read_bytes()
    state = _wait(_upload(admin, good[: len(good) // 2], "broken.zim"))
    assert state["state"] == "failed"
    page = admin.get(f"/facilitator/jobs/{state['id']}").get_data(as_text=True)
    assert "broken.zim: " in page and "damaged" in page
    assert catalog.list_packs(db, enabled_only=False) == []


def test_a_zim_on_usb_can_stay_on_the_drive(admin, db, data_dir, stick):
    zim = make_sample_zim(stick / "savanna.zim")
    page = admin.get("/facilitator/content/usb").get_data(as_text=True)
    assert "Animals of the savanna" in page
    assert f'name="keep_mounted" value="{zim}"' in page
    assert "Keep this USB drive mounted (do not copy)" in page
    state = _wait(post(admin, "/facilitator/content/usb", {"path": str(zim), "keep_mounted": str(zim)}))
    assert state["state"] == "done", state
    row = store.get(db, PACK, enabled_only=False)
    assert row["by_reference"] and row["path"] == str(zim.resolve())
    assert not list(data_dir.glob("packs/**/*.zim"))  # nothing copied


def test_a_zim_on_usb_is_copied_unless_kept_mounted(admin, db, data_dir, stick):
    zim = make_sample_zim(stick / "savanna.zim")
    state = _wait(post(admin, "/facilitator/content/usb", {"path": str(zim)}))
    assert state["state"] == "done", state
    row = store.get(db, PACK, enabled_only=False)
    assert not row["by_reference"] and Path(row["path"]).is_relative_to(data_dir)
    assert zim.is_file()  # the drive's file is left alone
