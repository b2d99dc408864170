"""A learner in a real browser, on a phone and a desktop, with and without JavaScript."""
from __future__ import annotations

import pytest

from tests.e2e.learner import (MODES, answer, context_for, exercise_question, needs_packs,
                               open_resource, query, sign_up, stored_position)

pytestmark = pytest.mark.e2e
READING = "org.communityhub.reading"


@pytest.mark.parametrize("mode", MODES)
def test_pick_a_language_and_sign_up(hub, new_context, mode):
    page = context_for(new_context, mode).new_page()
    page.goto("/language?next=/signup")
    page.click("main a[lang=sw]")
    page.wait_for_url("**/signup")
    assert page.locator("html").get_attribute("lang") == "sw"
    learner = sign_up(hub, page, language="sw")
    assert learner["language"] == "sw"
    assert page.locator("html").get_attribute("lang") == "sw"
    page.goto("/me")
    assert page.locator("h1").is_visible()


@pytest.mark.parametrize("mode", MODES)
def test_check_in_how_i_feel(hub, new_context, mode):
    page = context_for(new_context, mode).new_page()
    learner = sign_up(hub, page)
    page.goto("/checkin?next=/me")
    page.click("button[name=action][value='4']")
    page.wait_for_url("**/me")
    assert "Thank you for telling us how you feel." in page.locator("main").inner_text()
    rows = query(hub, "SELECT count(*) FROM events WHERE actor = ? AND verb = 'checked_in'",
                 [learner["actor"]])
    assert rows[0][0] == 1


@pytest.mark.parametrize("mode", MODES)
def test_open_an_article_and_finish_it(hub, new_context, mode):
    needs_packs(hub)
    page = context_for(new_context, mode).new_page()
    learner = sign_up(hub, page)
    open_resource(page, READING, "story-seeds-en")
    assert "Amal and the thirsty seeds" in page.locator("h1").first.inner_text()
    assert "seed" in page.locator("main").inner_text().lower()
    page.click("text=I finished this")
    page.wait_for_load_state()
    done = query(hub, "SELECT completed_at FROM progress WHERE actor = ? AND resource_id = ?",
                 [learner["actor"], "story-seeds-en"])
    assert done and done[0][0]
    page.goto("/me")
    assert "Amal and the thirsty seeds" in page.locator("main").inner_text()


@pytest.mark.parametrize("mode", MODES)
def test_answer_an_exercise_wrongly_then_rightly(hub, new_context, mode):
    needs_packs(hub)
    page = context_for(new_context, mode).new_page()
    learner = sign_up(hub, page)
    question, right, wrong = exercise_question(READING, "seeds-quiz-en")
    if page.goto(f"/packs/{READING}/seeds-quiz-en").status == 404:
        page.goto(f"/packs/{READING}/seeds-quiz-en/question/{question['id']}")
    answer(page, question, wrong)
    assert "Not yet" in page.locator("main").inner_text()
    answer(page, question, right)
    assert "That is right!" in page.locator("main").inner_text()
    scores = query(hub, "SELECT score FROM events WHERE actor = ? AND verb = 'answered'",
                   [learner["actor"]])
    assert sorted(s for (s,) in scores) == [0, 1]
    state = query(hub, "SELECT attempts, best_score FROM progress WHERE actor = ? AND resource_id = ?",
                  [learner["actor"], "seeds-quiz-en"])
    assert state == [(2, 1.0)]


@pytest.mark.parametrize("mode", MODES)
def test_find_a_resource_by_searching_in_arabic(hub, new_context, mode):
    needs_packs(hub)
    page = context_for(new_context, mode, locale="ar").new_page()
    page.goto("/language/ar?next=/")
    assert page.locator("html").get_attribute("dir") == "rtl"
    page.fill("#q", "البذور")
    page.press("#q", "Enter")
    page.wait_for_url("**/search?q=*")
    result = page.locator("main a", has_text="أمل والبذور العطشى")
    assert result.count() >= 1, page.locator("main").inner_text()
    result.first.click()
    page.wait_for_load_state()
    assert "أمل والبذور العطشى" in page.locator("h1").first.inner_text()


@pytest.mark.parametrize("mode", ["phone", "desktop"])
def test_listen_to_part_of_a_recording_and_resume_it_later(hub, new_context, mode):
    needs_packs(hub)
    page = context_for(new_context, mode).new_page()
    learner = sign_up(hub, page)
    open_resource(page, READING, "syllables-en")
    media = page.locator("main audio, main video").first
    assert media.get_attribute("controls") is not None
    media.evaluate("m => { m.muted = true; m.currentTime = 2.5; return m.play(); }")
    page.wait_for_function("() => document.querySelector('main audio, main video').currentTime > 2.6")
    media.evaluate("m => m.pause()")
    page.goto("/me")  # leaving the page sends the position
    position = stored_position(hub, page, learner, "syllables-en")
    assert position is not None and position >= 2.5
    open_resource(page, READING, "syllables-en")
    page.wait_for_function(
        "() => document.querySelector('main audio, main video').currentTime >= 2.5")


@pytest.mark.parametrize("mode", ["phone-nojs", "desktop-nojs"])
def test_recordings_play_natively_without_javascript(hub, new_context, mode):
    needs_packs(hub)
    page = context_for(new_context, mode).new_page()
    sign_up(hub, page)
    open_resource(page, READING, "syllables-en")
    media = page.locator("main audio, main video").first
    assert media.get_attribute("controls") is not None
    source = media.get_attribute("src") or page.locator("main audio source, main video source").first.get_attribute("src")
    whole = page.request.get(source)
    assert whole.status == 200
    part = page.request.get(source, headers={"Range": "bytes=0-99"})
    assert part.status == 206 and len(part.body()) == 100
