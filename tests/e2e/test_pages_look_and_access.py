"""The main pages in English and Arabic: a screenshot of each, and no serious accessibility problem."""
from __future__ import annotations

import pytest

from tests.e2e.conftest import screenshot, sign_in_facilitator
from tests.e2e.learner import query, sign_up

pytestmark = pytest.mark.e2e
READING = "org.communityhub.reading"

# (name, path): learner pages, signed in as a new learner.
LEARNER_PAGES = [("home", "/"), ("signin", "/signin"), ("me", "/me"), ("checkin", "/checkin"),
                 ("search", "/search?q=seeds"), ("kept", "/offline"), ("language", "/language"),
                 ("search-nothing", "/search?q=zzzqqq"), ("search-typo", "/search?q=sedes"),
                 ("languages-i-read", "/me/languages")]
RESOURCE_PAGES = [("article", f"/packs/{READING}/story-seeds-{{lang}}"),
                  ("exercise", f"/packs/{READING}/seeds-quiz-{{lang}}"),
                  ("audio", f"/packs/{READING}/syllables-{{lang}}")]
FACILITATOR_PAGES = [("dashboard", "/facilitator/"), ("content", "/facilitator/content"),
                     ("learners", "/facilitator/learners"), ("sync", "/facilitator/sync"),
                     ("translations", "/facilitator/translations"),
                     ("translate", "/facilitator/translations/kn?q=Search"),
                     ("new-packs", "/facilitator/content/updates")]


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_learner_pages_in_english_and_arabic(hub, new_context, check_accessible, lang):
    page = new_context(viewport="phone", locale=lang, bypass_csp=True).new_page()
    page.goto(f"/language/{lang}?next=/signup")
    sign_up(hub, page, language=lang)
    pages = list(LEARNER_PAGES)
    if query(hub, "SELECT count(*) FROM packs")[0][0]:
        pages += [(name, path.format(lang=lang)) for name, path in RESOURCE_PAGES]
    for name, path in pages:
        response = page.goto(path)
        if response.status == 404 and path.startswith("/packs/"):
            continue  # resource pages land with the catalog
        assert response.status == 200, path
        assert page.locator("html").get_attribute("dir") == ("rtl" if lang == "ar" else "ltr")
        screenshot(page, f"learner-{name}-{lang}-phone")
        check_accessible(page, f"{path} in {lang}")


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_facilitator_pages_in_english_and_arabic(new_context, check_accessible, lang):
    page = new_context(viewport="desktop", locale=lang, bypass_csp=True).new_page()
    page.goto(f"/language/{lang}?next=/facilitator/login")
    sign_in_facilitator(page)
    for name, path in FACILITATOR_PAGES:
        assert page.goto(path).status == 200, path
        assert page.locator("html").get_attribute("lang") == lang
        screenshot(page, f"facilitator-{name}-{lang}-desktop")
        check_accessible(page, f"{path} in {lang}")
