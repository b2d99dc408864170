"""Offline on the learner's phone: the service worker, the web app manifest and the kept page."""
from __future__ import annotations

import json
from pathlib import Path

from flask import Blueprint, Response, current_app, render_template, url_for
from flask_babel import gettext as _

import hub
from hub.core import i18n

bp = Blueprint("offline", __name__)

# The largest resource a learner may keep on a phone; pages state it next to the button.
KEEP_LIMIT_BYTES = 50 * 1024 * 1024
THEME_COLOR = "#0b6e4f"
BACKGROUND_COLOR = "#fbfaf6"


@bp.app_context_processor
def offline_context():
    """What the keep-for-offline button needs on every resource page."""
    return {"keep_limit_bytes": KEEP_LIMIT_BYTES, "theme_color": THEME_COLOR,
            "plural_samples": plural_samples}


def plural_samples() -> list[tuple[int, str]]:
    """One number per plural category of the page's language, e.g. [(0, 'one'), (2, 'other')].

    A page renders each plural form once with its sample; the script then picks the form for a
    count it learns later with Intl.PluralRules, which names the same CLDR categories.
    """
    from babel import Locale
    from flask_babel import get_locale

    locale = Locale.parse(str(get_locale() or "en"))
    samples: dict[str, int] = {}
    for number in (0, 1, 2, 3, 5, 11, 21, 100, 101, 1000000):
        samples.setdefault(locale.plural_form(number), number)
    return [(number, category) for category, number in samples.items()]


@bp.get("/sw.js")
def service_worker():
    """The service worker, from the root so that its scope is the whole hub.

    The version in its first line changes with the hub's, so phones drop old caches after
    an update; no-cache makes the browser ask each time whether it changed.
    """
    source = (Path(current_app.static_folder) / "sw.js").read_text(encoding="utf-8")
    body = source.replace("__HUB_VERSION__", hub.__version__)
    response = Response(body, mimetype="text/javascript")
    response.headers["Service-Worker-Allowed"] = "/"
    response.headers["Cache-Control"] = "no-cache"
    return response


@bp.get("/manifest.webmanifest")
def manifest():
    """The web app manifest: the hub's name, its icon, and that it opens like an app."""
    from flask_babel import get_locale

    locale = str(get_locale())
    name = _hub_name()
    data = {
        "name": name,
        "short_name": name if len(name) <= 12 else name.split()[0][:12],
        "description": _("Learn with the hub, even when you are away from it."),
        "lang": locale,
        "dir": i18n.text_direction(locale),
        "start_url": url_for("learn.home"),
        "scope": "/",
        "display": "standalone",
        "background_color": BACKGROUND_COLOR,
        "theme_color": THEME_COLOR,
        "icons": [{"src": url_for("static", filename="icon.svg"), "sizes": "any",
                   "type": "image/svg+xml", "purpose": "any"}],
    }
    response = Response(json.dumps(data, ensure_ascii=False), mimetype="application/manifest+json")
    response.headers["Cache-Control"] = "no-cache"
    return response


def _hub_name() -> str:
    from hub.web import settings as web_settings

    return web_settings.current()["hub_name"]


@bp.get("/offline")
def kept():
    """What is kept on this phone, how much space it takes, and a way to remove it."""
    return render_template("offline/kept.html", keep_limit=KEEP_LIMIT_BYTES)


@bp.get("/offline/fallback")
def fallback():
    """Shown by the service worker for a page that is not kept while the hub cannot be reached."""
    return render_template("offline/fallback.html")


@bp.get("/offline/saved")
def saved():
    """Shown by the service worker when an answer was saved on the phone to send later."""
    return render_template("offline/saved.html")
