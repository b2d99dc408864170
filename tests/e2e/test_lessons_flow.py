"""A lesson in a real browser, on a phone and a desktop, with and without JavaScript: a
facilitator builds it from search results, a learner sees it first and finishes an item, the
facilitator's table shows it."""
from __future__ import annotations

import itertools

import pytest

from tests.e2e.conftest import VIEWPORTS, screenshot, sign_in_facilitator
from tests.e2e.learner import MODES, context_for, query, sign_up

pytestmark = pytest.mark.e2e
_groups = itertools.count(1)


@pytest.mark.parametrize("mode", MODES)
def test_a_lesson_from_search_results_reaches_the_learner_and_the_table(hub, new_context, mode):
    learner_page = context_for(new_context, mode).new_page()
    learner = sign_up(hub, learner_page)

    page = context_for(new_context, mode).new_page()
    sign_in_facilitator(page)
    group_name = f"Morning class {next(_groups)}"
    page.goto("/facilitator/groups")
    page.fill("#name", group_name)
    page.click("main form button[type=submit]")
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == group_name, "a new group lands on its own page"
    page.locator("label.choice", has_text=learner["name"]).locator("input").check()
    page.click("main form button:has-text('Add')")
    page.wait_for_load_state()

    page.click("text=New lesson for this group")
    page.wait_for_load_state()
    page.fill("#q", "seeds")
    page.click("form[role=search] button[type=submit]")
    page.wait_for_load_state()
    page.locator("label.choice", has_text="Amal and the thirsty seeds").locator("input").check()
    page.fill("#title", "Reading morning")
    assert page.locator("label.choice", has_text=group_name).locator("input").is_checked()
    page.click("text=Make the lesson")
    page.wait_for_load_state()
    assert "/facilitator/lessons/" in page.url and page.locator("h1").inner_text() == "Reading morning"
    lesson_url = page.url

    learner_page.goto("/")
    main = learner_page.locator("main")
    assert main.locator("section").first.get_attribute("class") == "for-you", "For you comes first"
    learner_page.click("main .for-you a[rel=next]")
    learner_page.wait_for_load_state()
    assert learner_page.url.endswith("/packs/org.communityhub.reading/story-seeds-en")
    learner_page.click("text=I finished this")
    learner_page.wait_for_load_state()
    following = learner_page.locator("main a[rel=next]")
    assert following.count() == 1 and following.get_attribute("href").startswith("/packs/")
    rows = query(hub, "SELECT completed_at FROM progress WHERE actor = ? AND resource_id = 'story-seeds-en'",
                 [learner["actor"]])
    assert rows and rows[0][0]

    page.goto(lesson_url)
    row = page.locator("table.lesson-table tbody tr", has_text=learner["name"])
    assert row.count() == 1 and "Done" in row.inner_text()
    width = VIEWPORTS[mode.partition("-")[0]]["width"]
    assert page.evaluate("document.documentElement.scrollWidth") <= width, "no sideways scrolling"
    screenshot(page, f"lesson-table-{mode}")


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_lesson_pages_read_right_to_left_in_arabic_and_pass_the_accessibility_check(
        hub, new_context, check_accessible, lang):
    learner_page = new_context(viewport="phone", locale=lang, bypass_csp=True).new_page()
    learner_page.goto(f"/language/{lang}?next=/signup")
    learner = sign_up(hub, learner_page, language=lang)
    page = new_context(viewport="phone", locale=lang, bypass_csp=True).new_page()
    page.goto(f"/language/{lang}?next=/facilitator/login")
    sign_in_facilitator(page)
    page.goto("/facilitator/groups")
    page.fill("#name", f"Class {lang} {next(_groups)}")
    page.click("main form button[type=submit]")
    page.wait_for_load_state()
    group_url = page.url
    page.locator("label.choice", has_text=learner["name"]).locator("input").check()
    page.click("main form[action$='/members'] button[type=submit]")
    page.wait_for_load_state()
    page.goto(group_url.replace("/facilitator/groups/", "/facilitator/lessons/new?group="))
    page.fill("#q", "seeds")
    page.click("form[role=search] button[type=submit]")
    page.wait_for_load_state()
    page.locator("fieldset.picks input").first.check()
    page.fill("#title", "Lesson " + lang)
    page.click("main form[method=post] button[type=submit]")
    page.wait_for_load_state()
    lesson_url = page.url
    lesson_id = lesson_url.rsplit("/", 1)[1]
    for name, path in [("lessons", "/facilitator/lessons"), ("builder", "/facilitator/lessons/new?q=seeds"),
                       ("table", lesson_url), ("edit", f"{lesson_url}/edit?q=seeds"),
                       ("quiz", f"{lesson_url}/quiz?q=seeds"), ("glance", f"{group_url}/glance"),
                       ("roster", f"{group_url}/roster"), ("cards", f"{group_url}/cards")]:
        assert page.goto(path).status == 200, path
        assert page.locator("html").get_attribute("dir") == ("rtl" if lang == "ar" else "ltr")
        screenshot(page, f"lessons-{name}-{lang}-phone")
        check_accessible(page, f"{path} in {lang}")
    for name, path in [("home", "/"), ("lesson", f"/lessons/{lesson_id}")]:
        assert learner_page.goto(path).status == 200, path
        assert learner_page.locator("html").get_attribute("dir") == ("rtl" if lang == "ar" else "ltr")
        screenshot(learner_page, f"lessons-learner-{name}-{lang}-phone")
        check_accessible(learner_page, f"{path} in {lang}")
