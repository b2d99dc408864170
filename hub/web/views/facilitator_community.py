"""The public community page: last month's totals for families, off unless an admin turns it on.

The totals are computed once a day (per data folder, zone, k and language) and kept: the page
is public, and a closed month does not change.
"""
from __future__ import annotations

import threading

from flask import Blueprint, abort, current_app, render_template
from flask_babel import get_locale

from hub.core import clock, settings
from hub.learning.community import last_closed_month, month_totals
from hub.web import settings as web_settings
from hub.web.db import get_db

bp = Blueprint("community", __name__)
_CACHE: dict = {}  # (data dir, day, zone, k, locale) -> totals; only today's are kept
_LOCK = threading.Lock()


@bp.get("/community")
def community():
    """Public, no sign-in: 404 unless the community page is switched on."""
    db = get_db()
    if not settings.get(db, "community_page"):
        abort(404)
    tz = web_settings.hub_timezone()
    today = clock.local_today(tz)
    k = current_app.config["HUB_K_THRESHOLD"]
    key = (str(current_app.config["HUB_DATA_DIR"]), today, tz, k, str(get_locale()))
    with _LOCK:
        totals = _CACHE.get(key)
    if totals is None:
        totals = month_totals(db, today=today, tz=tz, k=k)
        with _LOCK:
            for old in [c for c in _CACHE if c[1] != today]:
                del _CACHE[old]
            _CACHE[key] = totals
    first, last = last_closed_month(today)
    return render_template("facilitator/community.html", totals=totals, month=first, last=last)
