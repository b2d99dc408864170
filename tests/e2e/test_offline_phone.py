"""Offline on the learner's phone: keep, lose the hub's Wi-Fi, keep learning, come back, sync."""
from __future__ import annotations

import uuid

import pytest

from tests.e2e.conftest import screenshot
from tests.e2e.learner import answer, exercise_question, needs_packs, open_resource, query, sign_up

pytestmark = pytest.mark.e2e
READING = "org.communityhub.reading"
NOTHING_WAITS = "() => hubOffline.pending().then(p => p.events + p.posts === 0)"


def controlled_page(new_context, hub):
    """A phone page on the hub whose service worker is installed and in control."""
    page = new_context(viewport="phone").new_page()
    page.goto("/offline")
    page.evaluate("() => navigator.serviceWorker.ready.then(() => true)")
    page.reload()  # from now on the worker answers this page's requests
    assert page.evaluate("() => !!navigator.serviceWorker.controller")
    return page


def test_manifest_and_service_worker_make_the_hub_an_app(hub, new_context):
    page = controlled_page(new_context, hub)
    manifest = page.evaluate("() => fetch(document.querySelector('link[rel=manifest]').href)"
                             ".then(r => r.json())")
    assert manifest["start_url"] == "/" and manifest["display"] == "standalone"
    scope = page.evaluate("() => navigator.serviceWorker.getRegistration().then(r => r.scope)")
    assert scope == hub.url + "/"
    shell = page.evaluate("() => caches.keys()")
    assert any(name.startswith("hub-shell-") for name in shell)
    assert page.locator("#kept-needs-js").is_hidden()
    assert page.locator("#kept-empty").is_visible()


def test_a_kept_page_opens_offline_and_its_form_waits_for_the_hub(hub, new_context):
    page = controlled_page(new_context, hub)
    learner = sign_up(hub, page)
    # The check-in page stands for any kept page with a form on it.
    kept = page.evaluate("() => hubOffline.keep('/checkin?next=/me', 'Check-in', 'page')")
    assert kept["posts"] == ["/checkin"] and "/static/moods.svg" in kept["files"]
    page.context.set_offline(True)
    page.goto("/offline")
    from playwright.sync_api import expect

    expect(page.locator("#kept-list")).to_contain_text("Check-in")  # offline.js fills it after load
    page.goto("/me")  # not kept: a kind page says so, instead of the browser's error
    assert "You are away from the hub" in page.locator("h1").first.inner_text()
    page.goto("/checkin?next=/me")
    page.click("button[name=action][value='5']")
    page.wait_for_load_state()
    assert "Your answer is saved" in page.locator("h1").first.inner_text()
    screenshot(page, "offline-answer-saved-phone")
    assert page.evaluate("() => hubOffline.pending()") == {"events": 0, "posts": 1}
    assert query(hub, "SELECT count(*) FROM events WHERE actor = ?", [learner["actor"]])[0][0] == 0
    page.context.set_offline(False)
    page.goto("/offline")  # back on the hub's Wi-Fi: what waited is sent
    page.wait_for_function(NOTHING_WAITS)
    rows = query(hub, "SELECT verb FROM events WHERE actor = ?", [learner["actor"]])
    assert rows == [("checked_in",)]


def test_events_made_offline_are_kept_with_their_ids_and_sent_once(hub, new_context):
    needs_packs(hub)
    page = controlled_page(new_context, hub)
    learner = sign_up(hub, page)
    event = {"id": str(uuid.uuid4()), "resource": f"{READING}/story-seeds-en", "verb": "progressed",
             "progress": 0.5, "duration_s": 30, "timestamp": "2026-01-05T10:00:00Z"}
    page.context.set_offline(True)
    # What activity.js does: the worker answers 202 and keeps the batch in IndexedDB.
    status = page.evaluate("""e => fetch('/api/v1/events', {method: 'POST', headers:
        {'Content-Type': 'application/json'}, body: JSON.stringify({events: [e, e]})})
        .then(r => r.status)""", event)
    assert status == 202
    assert page.evaluate("() => hubOffline.pending()")["events"] == 1
    page.context.set_offline(False)
    page.reload()
    page.wait_for_function(NOTHING_WAITS)
    rows = query(hub, "SELECT id, progress FROM events WHERE actor = ? AND verb = 'progressed'",
                 [learner["actor"]])
    assert rows == [(event["id"], 0.5)]


def test_keep_resources_use_them_offline_and_the_progress_reaches_the_hub(hub, new_context):
    needs_packs(hub)
    page = controlled_page(new_context, hub)
    learner = sign_up(hub, page)
    for resource_id in ("story-seeds-en", "seeds-quiz-en", "syllables-en"):
        open_resource(page, READING, resource_id)
        page.click(".keep .keep-add")
        page.locator(".keep .keep-done").wait_for(state="visible", timeout=30_000)
    page.goto("/offline")
    from playwright.sync_api import expect

    items = page.locator("#kept-list li")
    expect(items).to_have_count(3)  # offline.js fills the list from the cache after load
    assert "KB" in items.first.inner_text()
    screenshot(page, "offline-kept-list-phone")

    page.context.set_offline(True)
    page.reload()
    page.click("#kept-list a:has-text('Amal and the thirsty seeds')")
    page.wait_for_load_state()
    assert "seed" in page.locator("main").inner_text().lower()
    open_resource(page, READING, "syllables-en")
    page.locator("main audio, main video").first.evaluate("m => { m.muted = true; return m.play(); }")
    page.wait_for_function("() => document.querySelector('main audio, main video').currentTime > 0.5")
    question, right, _wrong = exercise_question(READING, "seeds-quiz-en")
    open_resource(page, READING, "seeds-quiz-en")
    answer(page, question, right)
    assert "Your answer is saved" in page.locator("h1").first.inner_text()
    assert query(hub, "SELECT count(*) FROM events WHERE actor = ? AND verb = 'answered'",
                 [learner["actor"]])[0][0] == 0

    page.context.set_offline(False)
    page.goto("/offline")
    page.wait_for_function(NOTHING_WAITS)
    scores = query(hub, "SELECT score FROM events WHERE actor = ? AND verb = 'answered'",
                   [learner["actor"]])
    assert scores == [(1.0,)]
    page.goto("/me")
    assert "Questions on Amal's story" in page.locator("main").inner_text()

    page.goto("/offline")
    page.locator("#kept-list li", has_text="Amal and the thirsty seeds").locator("button").click()
    page.wait_for_function("() => document.querySelectorAll('#kept-list li').length === 2")
