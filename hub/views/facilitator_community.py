"""The public community page: this month's totals for families, off unless an admin turns it on."""
from __future__ import annotations

import datetime as dt

from flask import Blueprint, abort, current_app, render_template

from hub import settings
from hub.db import get_db

bp = Blueprint("community", __name__)


def month_totals(db, config, today: dt.date | None = None) -> dict | None:
    """This month's aggregate activity with the upstream report's small-count suppression.

    Returns None while the metrics module has not landed.
    """
    try:
        from sync import metrics
    except ImportError:
        return None
    community = getattr(metrics, "community_totals", None)
    if community is None:
        return None
    return community(db, today=today, tz=settings.get(db, "timezone") or config["HUB_TIMEZONE"],
                     k=config["HUB_K_THRESHOLD"])


@bp.get("/community")
def community():
    """Public, no sign-in: 404 unless the community page is switched on."""
    db = get_db()
    if not settings.get(db, "community_page"):
        abort(404)
    totals = month_totals(db, current_app.config)
    return render_template("facilitator/community.html", totals=totals, month=dt.date.today().replace(day=1))
