"""The guard in front of every facilitator page: setup first, then sign-in, then the admin role.

It runs as the app's first before-request step, ahead of the CSRF check: a form's token can
only be read by parsing its body, and a stranger's or a learner's body must never be read
(an upload would spool to the card). Facilitator sessions end after an idle time (the hub
setting `facilitator_idle_minutes`) and when the account's password changes.
"""
from __future__ import annotations

import datetime as dt

from flask import Blueprint, abort, current_app, g, redirect, request, session, url_for

from hub.accounts import facilitators
from hub.core import clock, settings
from hub.web.db import get_db
from hub.web.security import end_this_signin

# Endpoints reachable without a facilitator session (the sign-in page itself).
PUBLIC_ENDPOINTS = {"facilitator.login"}
# Blueprints whose every route needs a facilitator (filled by `guarded`).
GUARDED_BLUEPRINTS: set[str] = set()
# The session keys a facilitator sign-in writes; a learner sign-in removes them all.
SESSION_KEYS = ("facilitator_id", "facilitator_key", "facilitator_signin", "facilitator_seen")
# How often the last-seen time is rewritten (each rewrite is a new cookie).
SEEN_RESOLUTION = dt.timedelta(seconds=60)


def admin_only(view):
    """Mark a view as admins only: facilitators get 403."""
    view.admin_only = True
    return view


def idle_limit() -> dt.timedelta:
    """How long a facilitator session may sit unused before it ends (the hub setting)."""
    minutes = settings.get(get_db(), "facilitator_idle_minutes")
    return dt.timedelta(minutes=max(1, int(minutes or settings.DEFAULTS["facilitator_idle_minutes"])))


def end_facilitator_session() -> None:
    """Forget the facilitator of this browser (the learner part of the session stays).

    No cookie of the sign-in opens the console again (a copy in another tab, or on the Wi-Fi)."""
    end_this_signin("facilitator_signin")
    for key in SESSION_KEYS:
        session.pop(key, None)
    g.facilitator = None


def _idle_expired() -> bool:
    seen = session.get("facilitator_seen")
    try:
        last = clock.parse(seen) if seen else None
    except ValueError:
        last = None
    now = clock.now()
    if last is None or now - last > idle_limit():
        return True
    if now - last >= SEEN_RESOLUTION:
        session["facilitator_seen"] = clock.iso(now)
    return False


def load_facilitator() -> dict | None:
    """Return the signed-in facilitator for this request (None for learners and anonymous)."""
    if "facilitator" not in g:
        account = None
        facilitator_id = session.get("facilitator_id")
        if facilitator_id is not None:
            account = facilitators.get(get_db(), facilitator_id)
            if not facilitators.session_matches(account, session.get("facilitator_key")):
                account = None  # the password changed or the account was removed
            elif not session.get("facilitator_signin"):
                account = None  # a sign-in from before sign-ins had ids: it could not be ended
            elif _idle_expired():
                account = None
            if account is None:
                end_facilitator_session()
        g.facilitator = account
    return g.facilitator


def guard():
    """Before every facilitator page: setup first, then sign-in, then the admin role."""
    if not facilitators.exists(get_db()):
        return redirect(url_for("setup.setup"))
    account = load_facilitator()
    if request.endpoint in PUBLIC_ENDPOINTS:
        return None
    if account is None:
        if request.method == "GET" and not request.path.endswith(".json"):
            return redirect(url_for("facilitator.login", next=request.full_path.rstrip("?")))
        abort(403)
    view = current_app.view_functions.get(request.endpoint)
    if getattr(view, "admin_only", False) and account["role"] != "admin":
        abort(403)
    return None


def guard_first():
    """The app's first step: guard facilitator routes before anything reads the body."""
    if request.blueprint in GUARDED_BLUEPRINTS:
        return guard()
    return None


def guarded(blueprint: Blueprint) -> Blueprint:
    """Put `guard` in front of every route of a facilitator blueprint; return it."""
    GUARDED_BLUEPRINTS.add(blueprint.name)

    @blueprint.context_processor
    def facilitator_context():
        return {"facilitator": g.get("facilitator")}

    return blueprint


def init_app(app) -> None:
    """Run the guard before every other before-request step (call before security.init_app)."""
    app.before_request(guard_first)
