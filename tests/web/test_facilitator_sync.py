"""The sharing panel: status in plain words, push now (as `hub sync push`), the exact preview."""
from __future__ import annotations

import datetime as dt
import html as htmllib
import json
import re
import socket
from urllib.parse import parse_qs, urlsplit

import pytest

from hub.core import clock
from sync import outbox, report, scheduler
from tests.centralproc import CentralProcess, add_hub
from tests.eventfactory import EventFactory, at, closed_week_day
from tests.helpers import free_port
from tests.web.test_facilitator_support import _fresh_login_limits, make_account, post, sign_in  # noqa: F401

SECRET = "s" * 32


def _activity(db, learners: int, day: str) -> None:
    """`learners` named learners each completed a resource on `day`."""
    ev = EventFactory(db)
    ev.resource("org.example.share", "r1", title="Shared")
    for n in range(learners):
        ev.learner(f"L{n:03d}", f"Learner number {n}")
        ev.add(f"L{n:03d}", "completed", "org.example.share/r1", at=at(day), duration=300)


def _last_week_activity(db, learners: int) -> None:
    """Activity in a closed week, whatever today is: a report waits to be sent.

    (It was yesterday's once, in a closed week only on Mondays: the send tests failed on the
    other six days.)
    """
    _activity(db, learners, closed_week_day())


def _this_week_activity(db, learners: int, clock_at) -> None:
    """Activity in the open week: the hub's clock stopped on a Wednesday, learning that morning."""
    clock_at(dt.datetime(2024, 5, 8, 15, 0, tzinfo=dt.timezone.utc))
    _activity(db, learners, "2024-05-08")


def _status(html: str) -> dict[str, str]:
    block = re.search(r'id="sync-status".*?</dl>', html, re.S).group(0)
    pairs = re.findall(r"<dt>([^<]*)</dt>\s*<dd>(.*?)</dd>", block, re.S)
    return {k: htmllib.unescape(re.sub(r"<[^>]+>", "", v)).strip() for k, v in pairs}


def _preview_json(html: str, which: str = "so-far") -> dict:
    return json.loads(htmllib.unescape(re.search(rf'<code id="{which}-json">(.*?)</code>', html, re.S).group(1)))


def _send_and_wait(client) -> str:
    """Press "Send now": the answer comes at once; wait for the background send, show the panel."""
    answer = post(client, "/facilitator/sync")
    assert answer.status_code == 303
    job_id = parse_qs(urlsplit(answer.location).query)["job"][0]
    assert scheduler.SENDS.wait(job_id, 90)["finished"]
    return client.get(answer.location).get_data(as_text=True)


@pytest.fixture
def admin(client, db):
    make_account(db)
    sign_in(client)
    return client


def test_not_set_up_says_so_and_previews_exactly_what_would_leave(admin, db, app, clock_at):
    _this_week_activity(db, 6, clock_at)
    html = admin.get("/facilitator/sync").get_data(as_text=True)
    status = _status(html)
    assert status["Central office"] == "Not set up. Nothing leaves this hub."
    assert status["Last sent"] == "Never" and status["Last problem"] == "None"
    assert "Send now" not in html
    expected, shown = report.so_far(db, app.config), _preview_json(html)  # the open week, not final
    # Built twice, a second apart at most: only the time it was made may differ.
    assert shown.pop("generated_at") and expected.pop("generated_at")
    assert expected["metrics"] and shown == expected
    # The table shows every row of the report with its value (or that it is hidden).
    table = re.search(r'<table id="so-far-table">.*?</table>', html, re.S).group(0)
    names = re.findall(r'<tr data-name="([^"]+)"', table)
    assert names == [row["name"] for row in expected["metrics"]]
    for row in expected["metrics"]:
        assert f"<code class=\"muted\">{row['name']}</code>" in table
    assert "Learner number" not in html.split('id="so-far-table"')[1]  # no names in what leaves
    response = post(admin, "/facilitator/sync", follow_redirects=True)
    assert "Sharing is not set up on this hub, so nothing was sent." in response.get_data(as_text=True)


def test_small_counts_are_hidden_in_the_preview(admin, db, app, clock_at):
    _this_week_activity(db, 2, clock_at)  # fewer than k = 5
    html = admin.get("/facilitator/sync").get_data(as_text=True)
    preview = _preview_json(html)
    assert preview["k_threshold"] == 5
    assert all(row["value"] is None and row["suppressed"] for row in preview["metrics"])
    table = re.search(r'<table id="so-far-table">.*?</table>', html, re.S).group(0)
    assert table.count("hidden (too few learners)") == len(preview["metrics"])


@pytest.fixture
def unreachable(app_config):
    """Upstream set up, but nothing listens at its address."""
    app_config.update(HUB_UPSTREAM_URL=f"http://127.0.0.1:{free_port()}", HUB_ID="hub-test",
                      HUB_SECRET=SECRET)
    return app_config


def test_push_now_with_the_central_away_says_so_in_plain_words(unreachable, admin, db, app):
    _last_week_activity(db, 6)
    assert "Send now" in admin.get("/facilitator/sync").get_data(as_text=True)
    page = _send_and_wait(admin)
    words = "The hub could not reach the central office. Check the internet connection; the hub tries again by itself."
    assert words in htmllib.unescape(page)
    status = _status(page)
    assert status["Central office"] == f"Set up: {unreachable['HUB_UPSTREAM_URL']}"
    assert status["Reports waiting"] == "1" and status["Last sent"] == "Never"
    assert status["Last problem"] == words and status["Next try"] not in ("", "—")
    assert "cannot reach" in page  # the technical line, for whoever fixes it
    assert outbox.status(db, app.config)["pending"] == 1


def test_push_needs_a_csrf_token(unreachable, admin, db):
    assert admin.post("/facilitator/sync").status_code == 400
    assert outbox.pending(db) == []


def test_a_clock_behind_the_newest_pack_install_is_warned_about(admin, db):
    EventFactory(db).pack("org.example.future", installed_at="2999-01-01T00:00:00Z")
    html = admin.get("/facilitator/sync").get_data(as_text=True)
    assert "The hub&#39;s clock looks wrong." in html or "The hub's clock looks wrong." in html


@pytest.mark.slow
def test_push_now_delivers_to_a_real_central(tmp_path, app_config, db):
    central_dir = tmp_path / "central"
    central_dir.mkdir()
    secret = add_hub(central_dir, "hub-push-now")
    with CentralProcess(central_dir) as central:
        app_config.update(HUB_UPSTREAM_URL=central.url, HUB_ID="hub-push-now", HUB_SECRET=secret)
        from hub import create_app

        client = create_app(app_config).test_client()
        make_account(db)
        sign_in(client)
        _last_week_activity(db, 6)
        page = _send_and_wait(client)
        assert "1 report was sent." in page
        status = _status(page)
        assert status["Reports waiting"] == "0" and status["Last sent"] != "Never"
        assert status["Last problem"] == "None"
        page = _send_and_wait(client)
        assert "There was nothing to send." in page


@pytest.fixture
def silent(app_config):
    """Upstream set up at a socket that takes connections but never accepts or answers them."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)  # connections wait in the backlog
    app_config.update(HUB_UPSTREAM_URL=f"http://127.0.0.1:{listener.getsockname()[1]}",
                      HUB_ID="hub-test", HUB_SECRET=SECRET)
    yield listener
    listener.close()


@pytest.mark.slow
def test_send_now_answers_at_once_and_the_panel_follows_the_send(silent, admin, db, app):
    """A central that takes the connection but never answers must not hold the page."""
    try:
        _last_week_activity(db, 6)
        answer = post(admin, "/facilitator/sync")
        assert answer.status_code == 303
        job_id = parse_qs(urlsplit(answer.location).query)["job"][0]
        page = admin.get(answer.location).get_data(as_text=True)
        assert 'id="job"' in page and "Sending the waiting reports." in page
        assert "Send now" not in page  # one send at a time
        state = admin.get(f"/facilitator/sync/jobs/{job_id}.json").get_json()
        assert state["kind"] == "sync" and not state["finished"]
        # A second press joins the send under way instead of starting another.
        again = post(admin, "/facilitator/sync")
        assert parse_qs(urlsplit(again.location).query)["job"] == [job_id]
    finally:
        silent.close()  # the waiting connection is reset: the send ends
    assert scheduler.SENDS.wait(job_id, 90)["finished"]
    page = htmllib.unescape(admin.get(f"/facilitator/sync?job={job_id}").get_data(as_text=True))
    assert 'id="job"' not in page and "Send now" in page
    assert "The hub could not reach the central office." in page or "did not answer in time" in page
    assert _status(page)["Reports waiting"] == "1"
    assert admin.get("/facilitator/sync/jobs/no-such-job.json").status_code == 404
