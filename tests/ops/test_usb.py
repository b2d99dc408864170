"""USB/folder scan: packs found under a temporary mount point, compared with what is installed."""
from __future__ import annotations

import json
import zipfile

from hub.catalog import versions
from hub.core import mounts
from hub.ops import usb
from tests.web.test_facilitator_support import _fresh_login_limits, make_account, sign_in  # noqa: F401


def _manifest(pack_id, version, title="Numbers"):
    return {"format": 1, "id": pack_id, "version": version, "title": {"en": title},
            "languages": ["en"], "resources": []}


def _zip_pack(path, pack_id, version):
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("pack.json", json.dumps(_manifest(pack_id, version)))
        archive.writestr("articles/a.en.md", "# Hello\n")


def _folder_pack(path, pack_id, version):
    (path / "articles").mkdir(parents=True)
    (path / "pack.json").write_text(json.dumps(_manifest(pack_id, version, "Reading")))
    (path / "articles" / "a.md").write_text("x" * 1000)


def make_stick(root):
    """A USB stick as mounted by a desktop: /media/<user>/<label>/..."""
    stick = root / "user" / "STICK"
    (stick / "packs").mkdir(parents=True)
    _zip_pack(stick / "packs" / "numbers-1.2.0.zip", "org.example.numbers", "1.2.0")
    _zip_pack(stick / "same.zip", "org.example.same", "2.0.0")
    _folder_pack(stick / "reading", "org.example.reading", "1.0.0")
    with zipfile.ZipFile(stick / "holiday-photos.zip", "w") as archive:
        archive.writestr("beach.jpg", b"not a pack")
    (stick / "broken.zip").write_bytes(b"PK\x03\x04 this is not really a zip")
    (stick / ".Trash-1000").mkdir()
    _zip_pack(stick / ".Trash-1000" / "deleted.zip", "org.example.deleted", "1.0.0")
    return stick


def test_scan_finds_zips_and_folders_and_compares_versions(tmp_path):
    make_stick(tmp_path)
    installed = {"org.example.numbers": "1.10.0", "org.example.same": "2.0.0",
                 "org.example.reading": "0.9.1"}
    found = {item["id"] or item["path"].rsplit("/", 1)[-1]: item
             for item in usb.scan([tmp_path], installed)}
    assert set(found) == {"org.example.numbers", "org.example.same", "org.example.reading",
                          "broken.zip"}
    assert found["org.example.numbers"]["status"] == "older"   # 1.2.0 < 1.10.0
    assert found["org.example.same"]["status"] == "same"
    assert found["org.example.reading"]["status"] == "newer"
    assert found["org.example.reading"]["kind"] == "folder"
    assert found["org.example.reading"]["size"] >= 1000
    assert found["broken.zip"]["status"] == "unreadable"
    assert "zip" in found["broken.zip"]["problem"]
    fresh = {item["id"]: item["status"] for item in usb.scan([tmp_path], {}) if item["id"]}
    assert set(fresh.values()) == {"new"}


def test_mount_points_setting_and_path_confinement(tmp_path):
    stick = make_stick(tmp_path)
    drives = mounts.mount_points(f"{tmp_path}:{tmp_path / 'missing'}")
    assert drives == [tmp_path]
    assert mounts.is_under(str(stick / "same.zip"), drives)
    assert not mounts.is_under("/etc/passwd", drives)
    assert not mounts.is_under(str(stick / ".." / ".." / ".." / ".."), drives)
    (stick / "escape").symlink_to("/etc")
    assert not mounts.is_under(str(stick / "escape" / "passwd"), drives)


def test_version_order():
    assert versions.compare("1.10.0", "1.9.2") == "newer"
    assert versions.compare("1.0.0", "1.0.0") == "same"
    assert versions.compare("0.9", "1.0") == "older"
    assert versions.compare("1.0.0", None) == "new"


def test_usb_page_lists_what_the_stick_holds(app, client, db, tmp_path):
    make_stick(tmp_path)
    app.config["HUB_USB_MOUNTS"] = str(tmp_path)
    make_account(db)
    sign_in(client)
    page = client.get("/facilitator/content/usb")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "numbers-1.2.0.zip" in text and "Reading" in text
    assert "This pack cannot be read" in text
    assert "holiday-photos" not in text
    assert "deleted.zip" not in text


def test_usb_install_refuses_paths_the_scan_did_not_offer(app, client, db, tmp_path):
    make_stick(tmp_path)
    app.config["HUB_USB_MOUNTS"] = str(tmp_path)
    make_account(db)
    sign_in(client)
    from tests.web.test_facilitator_support import post

    response = post(client, "/facilitator/content/usb", {"path": "/etc/passwd"})
    assert response.status_code == 400
    assert b"Choose at least one pack" in response.data


def test_one_version_order_for_usb_and_install():
    """A pre-release is older than its release on the USB page, as install says (semver)."""
    assert versions.compare("1.0.0-beta.1", "1.0.0") == "older"
    assert versions.compare("1.0.0", "1.0.0-beta.1") == "newer"
    assert versions.compare("1.0.0-beta.2", "1.0.0-beta.11") == "older"
    assert versions.compare("1.0.0-alpha", "1.0.0-1") == "newer"
    assert versions.compare("1.0.0+build.5", "1.0.0") == "same"
    assert versions.compare("2024.01.15", "2023.12.31") == "newer"
