"""The public community page: this month's totals for families, off unless an admin turns it on."""
from __future__ import annotations

from flask import Blueprint, abort, current_app, render_template

from hub.core import clock, settings
from hub.learning.community import month_totals
from hub.web import settings as web_settings
from hub.web.db import get_db

bp = Blueprint("community", __name__)


@bp.get("/community")
def community():
    """Public, no sign-in: 404 unless the community page is switched on."""
    db = get_db()
    if not settings.get(db, "community_page"):
        abort(404)
    tz = web_settings.hub_timezone()
    today = clock.local_today(tz)
    totals = month_totals(db, today=today, tz=tz, k=current_app.config["HUB_K_THRESHOLD"])
    return render_template("facilitator/community.html", totals=totals, month=today.replace(day=1))
