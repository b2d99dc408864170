"""A child alone on a shared phone (issue 18): players a child can see and tap, their own name
at the top, "everyone else" on the sign-in list, finishing leads on, a quiz ends with a
summary, and the time they spent shows on "My learning". Phone viewport, English and Arabic.
"""
from __future__ import annotations

import json

import pytest

from tests.e2e.conftest import ROOT, screenshot
from tests.e2e.learner import needs_packs, open_resource, query, sign_up
from tests.e2e.tinyvideo import make_video
from tests.e2e.test_video_resume import PACK as VIDEO_PACK, _install_video_pack

pytestmark = pytest.mark.e2e
NUMBERS = "org.communityhub.numbers"
READING = "org.communityhub.reading"
WELLBEING = "org.communityhub.wellbeing"
LANGS = ["en", "ar"]
MIN_TAP = 44

# Every control outside running text (links inside a paragraph of words, an article's own
# links) and its size; radio buttons and check boxes are measured by their label.
SMALL_CONTROLS_JS = """() => {
  const small = [];
  for (const el of document.querySelectorAll('a[href], button, input, select, textarea, summary')) {
    if (el.closest('.article-body, .skip, .visually-hidden, [hidden]')) continue;
    if (el.type === 'hidden') continue;
    let target = el;
    if (el.type === 'radio' || el.type === 'checkbox') target = el.closest('label') || el;
    const style = getComputedStyle(target);
    if (style.display === 'none' || style.visibility === 'hidden') continue;
    const box = target.getBoundingClientRect();
    if (box.width === 0 && box.height === 0) continue;
    const parent = target.parentElement;
    if (target.tagName === 'A' && parent && ['P', 'LI', 'SPAN', 'DD'].includes(parent.tagName)) {
      const words = parent.textContent.replace(target.textContent, '').trim();
      if (words.length > 2) continue;  // a link in running text
    }
    if (box.height < %d || box.width < %d) {
      small.push(`${target.tagName.toLowerCase()}.${target.className} "${(target.textContent || target.value || '').trim().slice(0, 30)}" ${Math.round(box.width)}x${Math.round(box.height)}`);
    }
  }
  return small;
}""" % (MIN_TAP, MIN_TAP)


def _phone(new_context, lang: str, js: bool = True):
    return new_context(viewport="phone", locale=lang, js=js).new_page()


def _player_height(page, selector: str) -> float:
    player = page.locator(selector)
    assert player.is_visible(), f"{selector} is not visible"
    box = player.bounding_box()
    assert box is not None
    return box["height"]


@pytest.mark.parametrize("lang", LANGS)
def test_audio_player_is_visible_and_large_on_a_phone(hub, new_context, lang):
    needs_packs(hub)
    page = _phone(new_context, lang)
    open_resource(page, WELLBEING, f"breathing-guide-{lang}")
    assert _player_height(page, "main audio") >= MIN_TAP
    box = page.locator("main audio").bounding_box()
    assert box["width"] >= 200, "the player spans the phone's width"
    screenshot(page, f"child-audio-{lang}")


@pytest.mark.parametrize("lang", LANGS)
def test_video_player_is_visible_and_large_on_a_phone(fresh_hub, new_context, tmp_path, lang):
    page = new_context(viewport="phone", locale=lang, base_url=fresh_hub.url).new_page()
    page.goto("/")
    _install_video_pack(fresh_hub, tmp_path / "pack", make_video(page))
    assert page.goto(f"/packs/{VIDEO_PACK}/colours").status == 200
    assert _player_height(page, "main video") >= MIN_TAP


@pytest.mark.parametrize("lang", LANGS)
def test_no_control_on_the_learner_pages_is_under_44_px(hub, new_context, lang):
    needs_packs(hub)
    page = _phone(new_context, lang)
    sign_up(hub, page, language=lang)
    pages = ["/", "/signin", f"/packs/{NUMBERS}", f"/packs/{READING}/story-seeds-{lang}",
             f"/packs/{NUMBERS}/counting-quiz-en/question/after-seven", "/me",
             f"/packs/{WELLBEING}/breathing-guide-{lang}"]
    found = {}
    for path in pages:
        assert page.goto(path).status == 200, path
        small = page.evaluate(SMALL_CONTROLS_JS)
        if small:
            found[path] = small
    assert not found, f"controls under {MIN_TAP} px: {found}"


@pytest.mark.parametrize("lang", LANGS)
def test_the_signed_in_name_is_in_the_header_and_not_you_signs_out(hub, new_context, lang):
    page = _phone(new_context, lang)
    learner = sign_up(hub, page, language=lang)
    page.goto(f"/packs/{READING}")
    header = page.locator("header .whoami")
    assert learner["name"] in header.inner_text()
    assert header.locator("img.avatar-img").is_visible()
    header.locator("button.not-you").click()
    page.wait_for_url("**/signin**")
    assert page.locator("header .whoami").count() == 0


def _make_group(hub, name: str) -> None:
    from hub.core.db import open_hub_db
    from hub.learning import learners

    database = open_hub_db(hub.data_dir)
    try:
        if not any(g["name"] == name for g in learners.list_groups(database)):
            learners.create_group(database, name)
    finally:
        database.conn.close()


@pytest.mark.parametrize("js", [True, False])
def test_a_child_in_no_group_signs_in_from_the_picker(hub, new_context, js):
    _make_group(hub, "Class 3")
    page = _phone(new_context, "en", js=js)
    learner = sign_up(hub, page)
    page.locator("header button.not-you").click()
    page.wait_for_url("**/signin**")
    page.click("text=Everyone else")                               # tap one
    page.locator(".learner-pick", has_text=learner["name"]).click()  # tap two
    page.wait_for_load_state()
    assert learner["name"] in page.locator("header .whoami").inner_text()


@pytest.mark.parametrize("js", [True, False])
def test_finishing_leads_on_to_the_next_thing(hub, new_context, js):
    needs_packs(hub)
    page = _phone(new_context, "en", js=js)
    sign_up(hub, page)
    open_resource(page, READING, "story-seeds-en")
    page.click("text=I finished this")
    page.wait_for_load_state()
    following = page.locator("main a[rel=next]")
    assert following.count() == 1 and following.is_visible()
    target = following.get_attribute("href")
    following.click()
    page.wait_for_load_state()
    assert page.url.endswith(target)


def _quiz_answers() -> list[tuple[dict, object]]:
    path = ROOT / "content_packs" / NUMBERS / "exercises" / "counting-quiz.en.json"
    return [(q, q["answer"]) for q in json.loads(path.read_text("utf-8"))["questions"]]


@pytest.mark.parametrize("js", [True, False])
def test_a_quiz_ends_with_a_summary(hub, new_context, js):
    needs_packs(hub)
    page = _phone(new_context, "en", js=js)
    sign_up(hub, page)
    questions = _quiz_answers()
    for index, (q, answer) in enumerate(questions):
        page.goto(f"/packs/{NUMBERS}/counting-quiz-en/question/{q['id']}")
        if index == 1:  # leave one wrong, to be offered again
            answer = ["a"] if q["type"] == "multiple_choice" else answer
        if q["type"] == "single_choice":
            page.check(f"input[name=answer][value='{answer}']")
        elif q["type"] == "multiple_choice":
            for choice in answer:
                page.check(f"input[name=answer][value='{choice}']")
        else:
            page.fill("input[name=answer]", str(answer[0] if isinstance(answer, list) else answer))
        page.click("main form.question button[type=submit]")
        page.wait_for_load_state()
    page.click("text=See how you did")
    page.wait_for_load_state()
    main = page.locator("main").inner_text()
    assert f"You got {len(questions) - 1} of {len(questions)} questions right." in main
    assert page.locator(".summary-list li.again").count() == 1
    assert page.locator(".summary-list li.right").count() == len(questions) - 1
    assert "Try this one again" in main


def test_time_on_a_question_page_shows_on_my_learning(hub, new_context):
    needs_packs(hub)
    page = _phone(new_context, "en")
    learner = sign_up(hub, page)
    page.goto(f"/packs/{NUMBERS}/counting-quiz-en/question/after-seven")
    page.wait_for_timeout(3500)
    page.goto("/me")  # the page hides: what was seen goes as a beacon
    for _ in range(50):
        rows = query(hub, "SELECT coalesce(sum(duration_s), 0) FROM events WHERE actor = ?",
                     [learner["actor"]])
        if rows[0][0] >= 3:
            break
        page.wait_for_timeout(100)
    assert rows[0][0] >= 3, "the time on the question page reached the hub"
    page.reload()
    assert "This week you learned for 1 minute." in page.locator("main").inner_text()


def test_without_javascript_time_is_an_estimate_and_says_so(hub, new_context):
    needs_packs(hub)
    page = _phone(new_context, "en", js=False)
    sign_up(hub, page)
    open_resource(page, READING, "story-seeds-en")
    page.click("text=I finished this")
    page.wait_for_load_state()
    page.goto("/me")
    main = page.locator("main").inner_text()
    assert "This week you learned for 1 minute." in main
    assert "estimated" in main


@pytest.mark.parametrize("lang", LANGS)
def test_the_care_and_summary_pages_are_accessible(hub, new_context, check_accessible, lang):
    needs_packs(hub)
    page = new_context(viewport="phone", locale=lang, bypass_csp=True).new_page()
    sign_up(hub, page, language=lang)
    page.goto("/checkin?next=/me")
    page.click("button[name=action][value='1']")
    page.wait_for_load_state()
    assert page.locator("main .care").is_visible()
    assert page.locator(f"main a[href^='/packs/{WELLBEING}/']").count() >= 2
    screenshot(page, f"child-care-{lang}")
    check_accessible(page, f"care page in {lang}")
    page.goto(f"/packs/{READING}/seeds-quiz-{lang}/summary")
    screenshot(page, f"child-summary-{lang}")
    check_accessible(page, f"summary page in {lang}")
    page.goto(f"/packs/{NUMBERS}")
    check_accessible(page, f"pack page with marks in {lang}")


def test_an_html5_app_reports_completion_through_the_bridge(hub, new_context):
    """The counting game posts {hub: "activity", type: "completed"} to its page on Finish;
    here the app's own frame sends it, as the game does, and the hub records it."""
    needs_packs(hub)
    page = _phone(new_context, "en")
    learner = sign_up(hub, page)
    open_resource(page, NUMBERS, "count-the-mangoes-en")
    page.wait_for_function("() => document.querySelector('main iframe.app-frame')")
    app = next(f for f in page.frames if f != page.main_frame)
    app.wait_for_load_state()
    app.evaluate("() => window.parent.postMessage({hub: 'activity', type: 'completed', score: 0.8}, '*')")
    page.locator("[data-after-finish]").wait_for(state="visible")
    assert page.locator("main a[rel=next]").is_visible()
    for _ in range(50):
        rows = query(hub, "SELECT completed_at FROM progress WHERE actor = ? AND resource_id = ?",
                     [learner["actor"], "count-the-mangoes-en"])
        if rows and rows[0][0]:
            break
        page.wait_for_timeout(100)
    assert rows and rows[0][0], "the game's completion reached the hub"
    # A message from anywhere else (the page itself) is not taken as the app's.
    open_resource(page, NUMBERS, "count-the-mangoes-sw")
    page.evaluate("() => window.postMessage({hub: 'activity', type: 'completed'}, '*')")
    page.wait_for_timeout(500)
    assert page.locator("[data-after-finish]").is_hidden()


def test_the_counting_game_sends_completion_on_finish():
    import zipfile

    game = ROOT / "content_packs" / NUMBERS / "apps" / "count-the-mangoes.en.zip"
    with zipfile.ZipFile(game) as archive:
        script = archive.read("game.js").decode("utf-8")
    assert 'postMessage({ hub: "activity", type: "completed", score: score / ROUNDS }' in script
