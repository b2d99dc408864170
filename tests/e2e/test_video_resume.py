"""A learner watches part of a video and, coming back later, it goes on where they stopped."""
from __future__ import annotations

import json

import pytest

from tests.e2e.learner import sign_up, stored_position
from tests.e2e.tinyvideo import make_video

pytestmark = pytest.mark.e2e
PACK = "org.test.video"


def _install_video_pack(hub, folder, video: bytes) -> None:
    """A TEST pack with one video, built here and installed into the hub's data dir."""
    from hub.core.db import open_hub_db
    from hub.catalog.packs import install
    from tests.packfactory import fill_hashes, write_manifest

    (folder / "videos").mkdir(parents=True)
    (folder / "videos" / "colours.webm").write_bytes(video)
    manifest = {"format": 1, "id": PACK, "version": "1.0.0", "title": {"en": "Test videos"},
                "description": {"en": "A tiny generated video."}, "publisher": "Hub tests",
                "license": "CC0-1.0", "languages": ["en"], "topics": [],
                "resources": [{"id": "colours", "kind": "video", "language": "en",
                               "title": "Colours", "file": "videos/colours.webm", "duration": 8}]}
    write_manifest(folder, fill_hashes(folder, json.loads(json.dumps(manifest))))
    database = open_hub_db(hub.data_dir)
    try:
        install.install(database, hub.data_dir, folder, reserve_bytes=0)
    finally:
        database.conn.close()


@pytest.mark.parametrize("mode", ["phone", "desktop"])
def test_watch_part_of_a_video_and_resume_it_later(fresh_hub, new_context, tmp_path, mode):
    page = new_context(viewport=mode, base_url=fresh_hub.url).new_page()
    page.goto("/")  # a secure context (127.0.0.1), where the browser can encode video
    video = make_video(page)
    assert 1000 < len(video) < 200_000
    _install_video_pack(fresh_hub, tmp_path / "pack", video)
    learner = sign_up(fresh_hub, page)
    assert page.goto(f"/packs/{PACK}/colours").status == 200
    player = page.locator("main video")
    assert player.get_attribute("controls") is not None
    player.evaluate("v => { v.muted = true; v.currentTime = 2.5; return v.play(); }")
    page.wait_for_function("() => document.querySelector('main video').currentTime > 3")
    player.evaluate("v => v.pause()")
    page.goto("/me")  # leaving the page sends the position
    position = stored_position(fresh_hub, page, learner, "colours")
    assert position is not None and position >= 3
    page.goto(f"/packs/{PACK}/colours")
    page.wait_for_function("() => document.querySelector('main video').currentTime >= 3")
