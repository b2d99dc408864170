"""The public community page: last month's totals for families, off unless an admin turns it on.

The totals are computed once a day (per data folder, zone and k: hub.learning.community, worked
out by the background at start and with each new day) and kept: the page is public, and a
closed month does not change. A visitor's whole page is kept too, as bytes, under everything it
shows: the day, the zone, k, the language, the hub's settings (its name, whether the page is
on), the translation edits loaded and the address. A signed-in learner's page (their name in
the header, their form token) is rendered for them.
"""
from __future__ import annotations

import hashlib
import threading

from flask import Blueprint, Response, abort, current_app, render_template, request, session
from flask_babel import get_locale

from hub.core import clock
from hub.learning.community import kept_month_totals, last_closed_month
from hub.web import settings as web_settings
from hub.web.db import get_db
from hub.web.i18n import translations_version

bp = Blueprint("community", __name__)
_PAGES: dict = {}  # (data dir, day, zone, k, locale, settings, translations, address) -> bytes
_PAGES_MAX = 64    # languages x addresses of one day: a few KB each
_LOCK = threading.Lock()


@bp.get("/community")
def community():
    """Public, no sign-in: 404 unless the community page is switched on."""
    db = get_db()
    values = web_settings.current()
    if not values.get("community_page"):
        abort(404)
    tz = web_settings.hub_timezone()
    today = clock.local_today(tz)
    k = current_app.config["HUB_K_THRESHOLD"]
    key = (str(current_app.config["HUB_DATA_DIR"]), today, tz, k, str(get_locale()))
    shared = not (session.get("learner_id") or session.get("facilitator_id") or "_flashes" in session)
    page_key = key + (_digest(values), translations_version(), request.full_path)
    with _LOCK:
        kept = _PAGES.get(page_key) if shared else None
    if kept is not None:
        return Response(kept, mimetype="text/html")
    totals = kept_month_totals(db, current_app.config["HUB_DATA_DIR"], today=today, tz=tz, k=k)
    first, last = last_closed_month(today)
    html = render_template("facilitator/community.html", totals=totals, month=first, last=last)
    if shared and not session.modified:  # nothing of this visitor's own went into the page
        with _LOCK:
            if len(_PAGES) >= _PAGES_MAX or any(c[1] != today for c in _PAGES):
                _PAGES.clear()
            _PAGES[page_key] = html.encode()
    return html


def _digest(values: dict) -> str:
    return hashlib.blake2b(repr(sorted(values.items())).encode(), digest_size=12).hexdigest()
