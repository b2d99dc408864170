"""Facilitator sign-in and sign-out (the guard is hub.web.guard, accounts facilitator_accounts)."""
from __future__ import annotations

import secrets

from flask import Blueprint, flash, g, redirect, render_template, request, session, url_for
from flask_babel import format_decimal, ngettext
from flask_babel import gettext as _

from hub.accounts import facilitators, login_limits
from hub.web.db import get_db
from hub.core import clock
from hub.web.guard import end_facilitator_session, guarded, load_facilitator
from hub.web.redirects import safe_next

bp = Blueprint("facilitator", __name__, url_prefix="/facilitator")

guarded(bp)


def sign_in(account: dict) -> None:
    """Start a fresh session for a facilitator (clear first: no fixation, and a learner
    signed in on this browser is signed out)."""
    session.clear()
    session["facilitator_id"] = account["id"]
    session["facilitator_key"] = account["session_key"]
    session["facilitator_signin"] = secrets.token_hex(8)  # its own id: a sign-out ends every copy
    session["facilitator_seen"] = clock.iso()
    session.permanent = True
    g.facilitator = account


def client_address() -> str:
    """The client's address (waitress clears untrusted proxy headers)."""
    return request.remote_addr or ""


@bp.route("/login", methods=["GET", "POST"])
def login():
    """Facilitator sign-in (form fields: username, password, csrf_token)."""
    next_url = safe_next(request.values.get("next") or url_for("facilitator_reports.dashboard"))
    if request.method == "GET" and load_facilitator() is not None:
        return redirect(next_url)
    error = None
    status = 200
    if request.method == "POST":
        username = request.form.get("username", "")
        try:
            account = facilitators.authenticate(get_db(), username, request.form.get("password", ""),
                                                client=client_address())
        except login_limits.TooManyAttempts as exc:
            response = render_template("facilitator/login.html", next=next_url, username=username,
                                       error=_wait_message(exc.retry_after))
            return response, 429, {"Retry-After": str(exc.retry_after)}
        if account is not None:
            sign_in(account)
            return redirect(next_url)
        error = _("That username and password do not match. Please try again.")
        status = 401
    return render_template("facilitator/login.html", next=next_url, error=error,
                           username=request.form.get("username", "")), status


@bp.post("/logout")
def logout():
    """Sign out (a POST, so a link elsewhere cannot sign anyone out)."""
    end_facilitator_session()
    flash(_("You are signed out."))
    return redirect(url_for("facilitator.login"))


def _wait_message(retry_after: int) -> str:
    minutes = max(1, (retry_after + 59) // 60)
    return ngettext("Too many tries. Please wait %(count)s minute and try again.",
                    "Too many tries. Please wait %(count)s minutes and try again.", minutes,
                    count=format_decimal(minutes))


