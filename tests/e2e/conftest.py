"""Browser tests: the system Chromium driven by Playwright against a real `hub serve`.

Nothing here downloads a browser: Playwright only drives /usr/bin/chromium (Debian's package,
which .ci/run installs). Without it, or without the playwright package, every test in this
folder is skipped with the reason. Screenshots go to test-artifacts/e2e/ (gitignored).
"""
from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.helpers import ROOT, HubProcess

CHROMIUM = Path(os.environ.get("HUB_E2E_CHROMIUM", "/usr/bin/chromium"))
ARTIFACTS = ROOT / "test-artifacts" / "e2e"
# axe-core comes from the npm registry into a cache outside the repo (nothing vendored).
AXE_CACHE = Path(os.environ.get("HUB_E2E_CACHE", Path.home() / ".cache" / "hub-e2e"))
AXE_JS = AXE_CACHE / "node_modules" / "axe-core" / "axe.min.js"
PASSWORD = "correct horse battery"
# Contexts made with bypass_csp=True, for pages that are only looked at and audited.
AUDIT_CONTEXTS: set[int] = set()
PHONE = {"width": 360, "height": 640}
DESKTOP = {"width": 1280, "height": 800}
VIEWPORTS = {"phone": PHONE, "desktop": DESKTOP}
# Quiet, offline-friendly Chromium: no sandbox (root in CI), no GPU, no calls home.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-quic"]


def _missing() -> str | None:
    """Why browser tests cannot run here, or None when they can."""
    if not CHROMIUM.exists():
        return f"browser tests need Chromium at {CHROMIUM} (apt-get install chromium; .ci/run does it)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "browser tests need the playwright package (pip install -e '.[test]')"
    return None


def pytest_collection_modifyitems(config, items):
    """Mark every test in this folder e2e, and skip them all with the reason when unable."""
    reason = _missing()
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.e2e)
            if reason:
                item.add_marker(pytest.mark.skip(reason=reason))


@pytest.fixture(scope="package")
def playwright_driver():
    """One Playwright driver for the browser tests, stopped when they end.

    Package scope, not session: while the sync driver lives, the main thread has a running
    asyncio loop, and later tests that start their own loop (asyncio.run, zeroconf) would find
    it and fail.
    """
    from playwright.sync_api import sync_playwright

    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="package")
def browser(playwright_driver):
    """The system Chromium, headless."""
    chromium = playwright_driver.chromium.launch(
        executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
    yield chromium
    chromium.close()


def add_facilitator(data_dir: Path, username: str = "admin", role: str | None = None) -> None:
    """Create a facilitator account straight in the hub's database (the CLI does the same)."""
    from hub.accounts import facilitators
    from hub.core.db import open_hub_db

    database = open_hub_db(data_dir)
    try:
        facilitators.create(database, username, PASSWORD, role)
    finally:
        database.conn.close()


def wait_for_bundled_packs(data_dir, timeout: float = 120.0) -> None:
    """Wait until a first start's child process has installed the bundled packs."""
    import sqlite3
    import time

    from hub.core.db import db_path

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        conn = sqlite3.connect(db_path(data_dir), timeout=10)
        try:
            row = conn.execute("SELECT value FROM settings WHERE key = 'bundled_packs_preparing'").fetchone()
        except sqlite3.OperationalError:
            row = None
        finally:
            conn.close()
        if row is not None and row[0] == "false":
            return
        time.sleep(0.1)  # another process's work: nothing to await
    raise TimeoutError("the bundled packs were not installed in time")


@pytest.fixture(scope="package")
def hub(tmp_path_factory):
    """One hub with the bundled packs (installed by the hub on first start) and an admin, for the whole run."""
    data_dir = tmp_path_factory.mktemp("e2e-hub")
    server = HubProcess(data_dir, HUB_PACKS_SOURCE=ROOT / "content_packs", HUB_THREADS=4)
    server.start(timeout=60)
    wait_for_bundled_packs(data_dir)  # the hub installs them itself, just after its first 200
    add_facilitator(data_dir)
    yield server
    server.stop()


@pytest.fixture
def fresh_hub(tmp_path):
    """A hub that has never been set up (no accounts, no packs)."""
    server = HubProcess(tmp_path / "data").start()
    yield server
    server.stop()


@pytest.fixture
def new_context(browser, hub):
    """Make browser contexts on the shared hub: new_context(viewport='phone', locale='en', js=True)."""
    made = []

    def make(viewport="desktop", locale="en", js=True, base_url=None, **kwargs):
        context = browser.new_context(
            base_url=base_url or hub.url, viewport=VIEWPORTS.get(viewport, viewport),
            locale=locale, java_script_enabled=js, service_workers="allow" if js else "block",
            **kwargs)
        context.set_default_timeout(10_000)
        made.append(context)
        if kwargs.get("bypass_csp"):
            AUDIT_CONTEXTS.add(id(context))
        return context

    yield make
    for context in made:
        AUDIT_CONTEXTS.discard(id(context))
        context.close()


def screenshot(page, name: str) -> Path:
    """Save a full-page screenshot as a test artefact; return its path."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def _install_axe() -> Path | None:
    """axe-core from the npm registry into the cache folder; None when npm cannot get it."""
    if AXE_JS.exists():
        return AXE_JS
    npm = shutil.which("npm")
    if not npm:
        return None
    AXE_CACHE.mkdir(parents=True, exist_ok=True)
    try:
        subprocess.run([npm, "install", "--prefix", str(AXE_CACHE), "--no-audit", "--no-fund",
                        "--silent", "axe-core@4"], check=True, timeout=180,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    except (subprocess.SubprocessError, OSError):
        return None
    return AXE_JS if AXE_JS.exists() else None


@pytest.fixture(scope="package")
def axe_js():
    """Path of axe.min.js, or skip the accessibility checks with the reason."""
    path = _install_axe()
    if path is None:
        pytest.skip("accessibility checks need axe-core from the npm registry (npm install axe-core)")
    return path


@pytest.fixture
def check_accessible(browser, hub, axe_js):
    """check_accessible(page): run axe on the page's URL; fail on serious or critical problems.

    The hub's CSP (script-src 'self') rightly refuses injected scripts, so axe runs in the page
    itself when its context was made with bypass_csp=True (tests that only look and audit), and
    otherwise in a separate such context carrying the same cookies as the page under test.
    """
    script = ("() => axe.run(document, {resultTypes: ['violations']})"
              ".then(r => r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,"
              " nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))})))")

    def check(page, name=""):
        if id(page.context) in AUDIT_CONTEXTS:
            page.add_script_tag(path=str(axe_js))  # made with bypass_csp=True: inject in place
            result = page.evaluate(script)
        else:
            context = browser.new_context(bypass_csp=True, storage_state=page.context.storage_state(),
                                          viewport=page.viewport_size)
            try:
                audit = context.new_page()
                audit.goto(page.url)
                audit.add_script_tag(path=str(axe_js))
                result = audit.evaluate(script)
            finally:
                context.close()
        bad = [v for v in result if v["impact"] in ("serious", "critical")]
        assert not bad, f"accessibility problems on {name or page.url}: {bad}"
        return result

    return check


def sign_in_facilitator(page, username="admin", password=PASSWORD) -> None:
    """Sign in through the real login form."""
    page.goto("/facilitator/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("form button[type=submit]")
    page.wait_for_load_state()
