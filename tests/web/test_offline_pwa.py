"""Offline on the phone, without a browser: service worker, manifest, kept page, keep button."""
from __future__ import annotations

import json

from flask import render_template

import hub
from hub.web.views.offline import KEEP_LIMIT_BYTES


def test_service_worker_is_served_from_the_root_for_the_whole_hub(client):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response.mimetype == "text/javascript"
    assert response.headers["Service-Worker-Allowed"] == "/"
    assert response.headers["Cache-Control"] == "no-cache"
    body = response.get_data(as_text=True)
    # The hub's version names the shell cache, so an update replaces the old shell.
    assert f'var VERSION = "{hub.__version__}";' in body
    assert "__HUB_VERSION__" not in body
    assert 'importScripts("/static/offline.js")' in body


def test_service_worker_is_not_blocked_by_the_page_policy(client):
    policy = client.get("/sw.js").headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "worker-src" not in policy or "'self'" in policy


def test_manifest_is_valid_json_and_names_the_hub(client):
    response = client.get("/manifest.webmanifest")
    assert response.status_code == 200
    assert response.mimetype == "application/manifest+json"
    data = json.loads(response.get_data(as_text=True))
    assert data["name"] == "Community Learning Hub"
    assert 0 < len(data["short_name"]) <= 12
    assert data["start_url"] == "/" and data["scope"] == "/"
    assert data["display"] == "standalone"
    assert data["lang"] == "en" and data["dir"] == "ltr"
    assert data["theme_color"].startswith("#") and data["background_color"].startswith("#")
    icon = data["icons"][0]
    assert icon["sizes"] == "any" and icon["type"] == "image/svg+xml"
    assert client.get(icon["src"]).status_code == 200


def test_manifest_follows_the_language_and_its_direction(client):
    client.get("/language/ar")
    data = json.loads(client.get("/manifest.webmanifest").get_data(as_text=True))
    assert data["lang"] == "ar" and data["dir"] == "rtl"


def test_every_page_links_the_manifest_and_loads_offline_js_deferred(client):
    page = client.get("/").get_data(as_text=True)
    assert '<link rel="manifest" href="/manifest.webmanifest">' in page
    assert '<meta name="theme-color" content="#' in page
    assert '<script src="/static/offline.js" defer></script>' in page


def test_kept_page_works_without_javascript_by_saying_what_it_needs(client):
    response = client.get("/offline")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Kept on this phone" in page
    assert "needs a browser with JavaScript" in page
    assert "50 MB" in page  # the size limit is stated
    assert '<template id="kept-item">' in page


def test_offline_fallback_and_saved_pages(client):
    fallback = client.get("/offline/fallback").get_data(as_text=True)
    assert "not kept on this phone" in fallback and 'href="/offline"' in fallback
    saved = client.get("/offline/saved").get_data(as_text=True)
    assert "will be checked when you are back on the hub's Wi-Fi" in saved.replace("&#39;", "'")


def test_offline_pages_are_translated(client):
    client.get("/language/ar")
    page = client.get("/offline").get_data(as_text=True)
    assert 'dir="rtl"' in page


def _keep_button(app, **resource):
    with app.test_request_context("/packs/p/r"):
        app.preprocess_request()
        return render_template("offline/keep_button.html", resource=resource)


def test_keep_button_states_the_size_and_the_limit(app):
    html = _keep_button(app, url="/packs/p/r", kind="video", title="Counting", size=3 * 1024 * 1024)
    assert 'data-keep-url="/packs/p/r"' in html and 'data-keep-kind="video"' in html
    assert "hidden" in html.split(">", 1)[0]  # shown by offline.js only where keeping works
    assert "Keep on this phone" in html
    assert "It takes 3 MB. Resources up to 50 MB can be kept." in html


def test_keep_button_refuses_what_is_too_big(app):
    html = _keep_button(app, url="/packs/p/v", kind="video", title={"en": "Big"},
                        size=KEEP_LIMIT_BYTES + 1)
    assert "too big to keep on this phone" in html
    assert "keep-add" not in html
    assert 'data-keep-title="Big"' in html


def test_keep_button_without_a_size_still_states_the_limit(app):
    html = _keep_button(app, url="/packs/p/a", kind="article", title="Story")
    assert "Resources up to 50 MB can be kept." in html


def test_filesize_filter(app):
    from hub.web.filters import disksize as filesize  # the one byte-size filter

    with app.test_request_context("/"):
        assert filesize(100) == "1 KB"
        assert filesize(850 * 1024) == "850 KB"
        assert filesize(12.5 * 1024 * 1024) == "12.5 MB"
