"""What every central page shares: the blueprint, the store, the signed-in user and their scope."""
from __future__ import annotations

import functools

from flask import Blueprint, abort, current_app, g, redirect, request, session, url_for
from flask_babel import get_locale
from flask_babel import gettext as _

bp = Blueprint("central", __name__)  # templates and static files are the app's own


def store():
    """The app's store."""
    return current_app.extensions["central_store"]


def login_required(view):
    """Send visitors without a session to the sign-in page; put the user (and scope) on `g`."""
    @functools.wraps(view)
    def wrapped(*args, **kwargs):
        user = store().user(session["user"]) if session.get("user") else None
        if user is None:  # never signed in, or removed by an admin since
            session.clear()
            return redirect(url_for("central.login", next=request.path))
        g.user = user
        return view(*args, **kwargs)
    return wrapped


def admin_required(view):
    """Only an unscoped user (an admin) may manage hubs and users."""
    @login_required
    @functools.wraps(view)
    def wrapped(*args, **kwargs):
        if not g.user.is_admin:
            abort(403)
        return view(*args, **kwargs)
    return wrapped


def filters() -> dict:
    """The region, partner and hub filters of this request (the scope applies on top)."""
    return {key: (request.args.get(key) or "").strip()[:100] or None for key in ("region", "partner", "hub")}


def metric_titles() -> dict:
    """The contract's metrics in words."""
    return {"active_learners": _("Active learners"), "returning_learners": _("Returning learners"),
            "active_sessions": _("Anonymous sessions"), "learning_minutes": _("Minutes of learning"),
            "resources_started": _("Resources started"), "resources_completed": _("Resources completed"),
            "exercise_attempts": _("Exercise answers"), "exercise_correct": _("Correct exercise answers"),
            "checkins": _("Well-being check-ins")}


def group_titles() -> dict:
    """What a table can be split by, in words."""
    return {"": _("All hubs together"), "region": _("By region"), "partner": _("By partner"), "hub": _("By hub"),
            "pack": _("By pack"), "language": _("By language"), "kind": _("By kind of resource"),
            "mood": _("By mood")}


def period_titles() -> dict:
    """Lengths of time a table can add weeks up to."""
    return {"week": _("Weeks"), "month": _("Months"), "term": _("Terms"), "year": _("Years")}


def mood_titles() -> dict:
    """Check-in moods 1..5 in words."""
    return {"1": _("Very sad"), "2": _("Sad"), "3": _("Okay"), "4": _("Happy"), "5": _("Very happy")}


def pack_titles() -> dict:
    """pack id -> its title in the reader's language, for the packs the centre's catalog has one for."""
    language = str(get_locale())
    found = {}
    for row in current_app.extensions["central_packs"].latest():
        title = row["title"] if isinstance(row["title"], dict) else {}
        text = title.get(language) or title.get(language.split("_")[0])
        if isinstance(text, str) and text.strip():
            found[row["id"]] = text
    return found
