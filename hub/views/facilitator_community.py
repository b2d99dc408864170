"""The public community page: this month's totals for families, off unless an admin turns it on."""
from __future__ import annotations

from flask import Blueprint, abort, current_app, render_template

from hub import settings
from hub.community import month_totals
from hub.db import get_db
from sync import metrics

bp = Blueprint("community", __name__)


@bp.get("/community")
def community():
    """Public, no sign-in: 404 unless the community page is switched on."""
    db = get_db()
    if not settings.get(db, "community_page"):
        abort(404)
    tz = metrics.hub_timezone(db, current_app.config)
    today = metrics.local_today(tz)
    totals = month_totals(db, today=today, tz=tz, k=current_app.config["HUB_K_THRESHOLD"])
    return render_template("facilitator/community.html", totals=totals, month=today.replace(day=1))
