"""An .h5p with its own small library plays in Chromium from the hub alone, and its scored
xAPI statement becomes an event of the signed-in learner."""
from __future__ import annotations

import json
from urllib.parse import urlparse

import pytest

from tests.e2e.learner import query, sign_up
from tests.h5pfactory import make_h5p

pytestmark = pytest.mark.e2e


def _install(hub, path):
    from hub.catalog.h5p.install import install
    from hub.core.db import open_hub_db

    database = open_hub_db(hub.data_dir)
    try:
        return install(database, hub.data_dir, path, reserve_bytes=0).packs[0]
    finally:
        database.conn.close()


def _find_in_frames(page, selector: str):
    for _ in range(150):  # the player loads its libraries first; look again briefly
        for frame in page.frames:
            found = frame.query_selector(selector)
            if found is not None and found.is_visible():
                return found
        page.wait_for_timeout(100)
    return None


def _completed(hub, page, actor: str, pack_id: str) -> list[tuple]:
    for _ in range(100):  # the event is sent right away; look again briefly while it travels
        rows = query(hub, "SELECT verb, score, data FROM events WHERE actor = ? AND pack_id = ? "
                          "AND verb = 'completed'", [actor, pack_id])
        if rows:
            return rows
        page.wait_for_timeout(100)
    return []


@pytest.mark.parametrize("mode", ["phone", "desktop"])
def test_an_h5p_plays_offline_and_its_score_becomes_an_event(fresh_hub, new_context, tmp_path, mode):
    pack = _install(fresh_hub, make_h5p(tmp_path / f"Sums {mode}.h5p", question=f"What is 3 + 4? ({mode})"))
    context = new_context(viewport=mode, base_url=fresh_hub.url)
    hub_host = urlparse(fresh_hub.url).netloc
    elsewhere = []
    context.on("request", lambda r: elsewhere.append(r.url)
               if urlparse(r.url).scheme in ("http", "https") and urlparse(r.url).netloc != hub_host else None)
    page = context.new_page()
    failed, console = [], []
    page.on("console", lambda m: console.append(m.text))
    page.on("requestfailed", lambda r: failed.append(r.url))
    learner = sign_up(fresh_hub, page)
    assert page.goto(f"/packs/{pack.pack_id}/activity").status == 200
    # h5p-standalone may draw the content in a frame of its own inside the player page.
    button = _find_in_frames(page, ".hubcheck-answer")
    assert button is not None, f"the H5P content did not show; console: {console}"
    assert "What is 3 + 4?" in button.evaluate("b => b.parentElement.textContent")
    button.click()
    rows = _completed(fresh_hub, page, learner["actor"], pack.pack_id)
    assert rows, "the scored statement did not become an event"
    verb, score, data = rows[0]
    assert verb == "completed" and score == pytest.approx(0.75)
    data = json.loads(data)
    assert (data["xapi_verb"], data["xapi_score_raw"], data["xapi_score_max"]) == ("answered", 3, 4)
    assert elsewhere == [], f"requests left the hub: {elsewhere}"
    assert not [u for u in failed if "/h5p/" in u or "/content/" in u], failed
    # Not exercise mastery: the hub's checker alone gives that; no answered event was made.
    assert query(fresh_hub, "SELECT count(*) FROM events WHERE actor = ? AND verb = 'answered'",
                 [learner["actor"]])[0][0] == 0
