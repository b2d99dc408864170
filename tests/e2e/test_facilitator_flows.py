"""A facilitator in a real browser: language, first-run setup, sign-in, upload, charts, sharing."""
from __future__ import annotations

import zipfile

import pytest

from tests.e2e.conftest import ROOT, VIEWPORTS, add_facilitator, screenshot, sign_in_facilitator

pytestmark = pytest.mark.e2e


def test_language_switch_turns_the_page_arabic_and_right_to_left(new_context):
    page = new_context(viewport="phone").new_page()
    page.goto("/")
    assert page.locator("html").get_attribute("lang") == "en"
    page.click("details.lang summary")
    page.click("details.lang a[lang=ar]")
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.locator("html").get_attribute("lang") == "ar"
    screenshot(page, "home-ar-phone")


@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_first_run_setup_creates_the_admin_and_then_is_gone(browser, fresh_hub, viewport):
    context = browser.new_context(base_url=fresh_hub.url, viewport={"phone": {"width": 360, "height": 640}}
                                  .get(viewport, {"width": 1280, "height": 800}))
    try:
        page = context.new_page()
        page.goto("/setup")
        page.fill("#hub_name", "Kibera Hub")
        page.select_option("#default_locale", "sw")
        page.fill("#timezone", "Africa/Nairobi")
        page.fill("#username", "amina")
        page.fill("#password", "correct horse battery")
        page.fill("#password_again", "correct horse battery")
        screenshot(page, f"setup-{viewport}")
        page.click("form button[type=submit]")
        page.wait_for_url("**/facilitator/")
        assert "Kibera Hub" in page.title()
        assert page.goto("/setup").status == 404
    finally:
        context.close()


@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_facilitator_signs_in_and_sees_the_dashboard_charts(new_context, check_accessible, viewport):
    page = new_context(viewport=viewport).new_page()
    sign_in_facilitator(page)
    assert page.url.endswith("/facilitator/")
    charts = page.locator(".chart-block figure svg")
    assert charts.first.is_visible()
    box = charts.first.bounding_box()
    assert box["width"] > 100 and box["height"] > 50
    screenshot(page, f"dashboard-{viewport}")
    check_accessible(page, f"facilitator dashboard ({viewport})")


def test_the_dashboard_says_how_fresh_its_figures_are_and_updates_them_on_request(new_context, check_accessible):
    page = new_context(viewport="phone").new_page()
    sign_in_facilitator(page)
    page.click("#figures-age button[type=submit]")  # the rollup runs as a background job
    page.wait_for_url("**/facilitator/?refresh=*")
    for _attempt in range(100):  # no script: the facilitator reloads until the job is done
        status = page.locator("#figures-age [role=status]").inner_text()
        if status == "The figures are up to date.":
            break
        assert status.startswith("The figures are being updated in the background."), status
        page.wait_for_timeout(100)
        page.reload()
    assert page.locator("#figures-age [role=status]").inner_text() == "The figures are up to date."
    assert page.locator("#figures-age p").first.inner_text().startswith("Figures as of ")
    check_accessible(page, "facilitator dashboard after a refresh")


def test_wrong_password_is_refused_with_a_message(new_context):
    page = new_context(viewport="phone").new_page()
    sign_in_facilitator(page, password="not the password")
    assert "/facilitator/login" in page.url
    assert page.locator("main").inner_text().strip()


@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_sync_preview_shows_what_would_be_sent(new_context, viewport):
    page = new_context(viewport=viewport).new_page()
    sign_in_facilitator(page)
    response = page.goto("/facilitator/sync")
    assert response.status == 200
    text = page.locator("main").inner_text()
    assert "Exactly what would be sent" in text
    assert "no names" in text
    screenshot(page, f"sync-preview-{viewport}")


@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_facilitator_sees_a_learners_progress(hub, new_context, viewport):
    from tests.e2e.learner import open_resource, query, sign_up

    learner_page = new_context(viewport="phone").new_page()
    learner = sign_up(hub, learner_page)
    open_resource(learner_page, "org.communityhub.reading", "story-seeds-en")
    learner_page.click("text=I finished this")
    learner_page.wait_for_load_state()
    learner_id = query(hub, "SELECT id FROM learners WHERE actor = ?", [learner["actor"]])[0][0]

    page = new_context(viewport=viewport).new_page()
    sign_in_facilitator(page)
    page.goto("/facilitator/learners")
    page.click(f"main a:has-text('{learner['name']}')")
    page.wait_for_load_state()
    assert page.url.endswith(f"/facilitator/learners/{learner_id}")
    row = page.locator("section.path tr", has_text="Amal and the thirsty seeds")
    assert row.count() == 1 and "Completed" in row.inner_text()
    assert "Completed 1 of" in page.locator("section.path").first.inner_text()
    screenshot(page, f"learner-progress-{viewport}")


def _pack_zip(tmp_path, pack="org.communityhub.wellbeing"):
    source = ROOT / "content_packs" / pack
    target = tmp_path / f"{pack}.zip"
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(source.rglob("*")):
            if path.is_file():
                archive.write(path, path.relative_to(source).as_posix())
    return target


@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_upload_a_pack_and_watch_the_install_reach_the_end(browser, fresh_hub, tmp_path, viewport):
    add_facilitator(fresh_hub.data_dir)
    context = browser.new_context(base_url=fresh_hub.url, viewport=VIEWPORTS[viewport])
    try:
        page = context.new_page()
        sign_in_facilitator(page)
        page.goto("/facilitator/content/upload")
        page.set_input_files("#pack", str(_pack_zip(tmp_path)))
        page.click("#upload-form button[type=submit]")
        page.wait_for_url("**/facilitator/jobs/**", timeout=30_000)
        # The script polls the job and reloads the page once it is finished.
        page.wait_for_selector("#job[data-state=done], #job[data-state=failed]", timeout=60_000)
        assert page.locator("#job").get_attribute("data-state") == "done", page.locator("main").inner_text()
        assert page.locator("#job-bar").get_attribute("value") == "100"
        screenshot(page, f"upload-done-{viewport}")
        page.goto("/facilitator/content")
        assert "wellbeing" in page.content() or "Well-being" in page.locator("main").inner_text()
    finally:
        context.close()
