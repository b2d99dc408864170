"""On a plain-http LAN address (not a secure context) phones cannot keep pages: the hub says so."""
from __future__ import annotations

import pytest

from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS, PHONE, screenshot
from tests.e2e.learner import needs_packs, open_resource, sign_up

pytestmark = pytest.mark.e2e
READING = "org.communityhub.reading"


@pytest.fixture
def lan_page(playwright_driver, hub):
    """A phone page on the hub opened as http://hub.test:PORT, like http://192.168.4.1:8080.

    127.0.0.1 and localhost count as secure in browsers; any other plain-http name does not."""
    browser = playwright_driver.chromium.launch(
        executable_path=str(CHROMIUM), headless=True,
        args=CHROMIUM_ARGS + ["--host-resolver-rules=MAP hub.test 127.0.0.1"])
    context = browser.new_context(base_url=f"http://hub.test:{hub.port}", viewport=PHONE)
    context.set_default_timeout(10_000)
    errors: list[str] = []
    page = context.new_page()
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    yield page, errors
    context.close()
    browser.close()


def test_on_a_plain_http_address_keeping_is_hidden_and_explained(hub, lan_page):
    needs_packs(hub)
    page, errors = lan_page
    sign_up(hub, page)
    open_resource(page, READING, "story-seeds-en")
    assert page.evaluate("() => window.isSecureContext") is False
    assert page.locator(".keep").is_hidden()  # no button that cannot work
    assert page.evaluate("() => !!(navigator.serviceWorker && navigator.serviceWorker.controller)") is False
    page.goto("/offline")
    note = page.locator("#kept-unsupported")
    note.wait_for(state="visible")
    assert "cannot keep pages at this address" in note.inner_text()
    assert page.locator("#kept-needs-js").is_hidden()
    screenshot(page, "offline-insecure-address-phone")
    assert not errors, errors
