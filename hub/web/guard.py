"""The guard in front of every facilitator page: setup first, then sign-in, then the admin role."""
from __future__ import annotations

from flask import Blueprint, abort, current_app, g, redirect, request, session, url_for

from hub.accounts import facilitators
from hub.web.db import get_db

# Endpoints reachable without a facilitator session (the sign-in page itself).
PUBLIC_ENDPOINTS = {"facilitator.login"}


def admin_only(view):
    """Mark a view as admins only: facilitators get 403."""
    view.admin_only = True
    return view


def load_facilitator() -> dict | None:
    """Return the signed-in facilitator for this request (None for learners and anonymous)."""
    if "facilitator" not in g:
        account = None
        facilitator_id = session.get("facilitator_id")
        if facilitator_id is not None:
            account = facilitators.get(get_db(), facilitator_id)
            if not facilitators.session_matches(account, session.get("facilitator_key")):
                account = None  # the password changed or the account was removed
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


def guarded(blueprint: Blueprint) -> Blueprint:
    """Put `guard` in front of every route of a facilitator blueprint; return it."""
    blueprint.before_request(guard)

    @blueprint.context_processor
    def facilitator_context():
        return {"facilitator": g.get("facilitator")}

    return blueprint
