"""A facilitator plugs in a USB drive with a Kolibri export and a folder of .h5p files: the
console lists them, installs them as one job that names what was left out, and children find
that content next to the packs, in one search."""
from __future__ import annotations

from hub.ops import jobs, usb
from tests.h5pfactory import make_h5p
from tests.kolibrifactory import sample_channel
from tests.web.test_facilitator_support import _fresh_login_limits, make_account, post, sign_in  # noqa: F401


def make_drive(root):
    """A drive with KOLIBRI_DATA/ (one channel) and activities/ (two .h5p files)."""
    drive = root / "user" / "DRIVE"
    channel, nodes = sample_channel(name="Light and sound")
    channel.write(drive / "KOLIBRI_DATA")
    make_h5p(drive / "activities" / "Light quiz.h5p", title="Light quiz", question="Is light fast?")
    make_h5p(drive / "activities" / "Sound quiz.h5p", title="Sound quiz", question="Is sound slow?")
    return drive, channel


def test_the_scan_lists_a_kolibri_export_and_h5p_files(tmp_path):
    _, channel = make_drive(tmp_path)
    found = {item["id"]: item for item in usb.scan([tmp_path], {})}
    assert set(found) == {f"kolibri.{channel.id}", "h5p.light-quiz", "h5p.sound-quiz"}
    kolibri = found[f"kolibri.{channel.id}"]
    assert (kolibri["kind"], kolibri["version"], kolibri["title"], kolibri["status"]) == \
        ("kolibri", "1.0.0", {"en": "Light and sound"}, "new")
    assert found["h5p.light-quiz"]["kind"] == "h5p" and found["h5p.light-quiz"]["title"] == {"en": "Light quiz"}


def test_install_from_the_drive_and_find_it_in_one_search(app, client, db, tmp_path):
    drive, channel = make_drive(tmp_path)
    app.config["HUB_USB_MOUNTS"] = str(tmp_path)
    make_account(db)
    sign_in(client)
    page = client.get("/facilitator/content/usb").get_data(as_text=True)
    assert "Kolibri channel export" in page and "H5P activity" in page
    paths = [item["path"] for item in usb.scan([tmp_path], {})]
    response = post(client, "/facilitator/content/usb", {"path": paths})
    assert response.status_code == 303
    job_id = response.headers["Location"].rsplit("/", 1)[1]
    state = jobs.RUNNER.wait(job_id, 60)
    assert state["state"] == "done", state
    assert {p["id"] for p in state["result"]["installed"]} == {
        f"kolibri.{channel.id}", "h5p.light-quiz", "h5p.sound-quiz"}
    job_page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Left out: cannot be played here" in job_page and "Pictures of light" in job_page
    assert "slideshows are not played by this hub" in job_page
    # One library, kept once for both packages.
    shared = tmp_path / "data" / "h5p" / "libraries"
    assert [p.name for p in shared.iterdir()] == ["H5P.HubCheck-1.0"]
    found = client.get("/api/v1/resources?q=light").get_json()["resources"]
    kinds = {(r["pack_id"].split(".")[0], r["kind"]) for r in found}
    assert ("h5p", "h5p") in kinds and ("kolibri", "video") in kinds
    h5p = next(r for r in found if r["kind"] == "h5p")
    assert h5p["launch_url"] == "/h5p/play/h5p.light-quiz/activity"
    assert client.get("/search?q=light").status_code == 200


def test_an_uploaded_h5p_is_named_by_its_file(app, client, db, tmp_path):
    import io

    make_account(db)
    sign_in(client)
    data = make_h5p(tmp_path / "Fractions quiz.h5p").read_bytes()
    response = post(client, "/facilitator/content/upload",
                    {"pack": (io.BytesIO(data), "Fractions quiz.h5p")}, content_type="multipart/form-data")
    assert response.status_code == 303
    state = jobs.RUNNER.wait(response.headers["Location"].rsplit("/", 1)[1], 60)
    assert state["state"] == "done", state
    assert state["result"]["installed"] == [{"id": "h5p.fractions-quiz", "version": "1.0.0"}]
    assert not any((tmp_path / "data" / "uploads").iterdir())
