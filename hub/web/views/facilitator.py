"""Facilitator access: the guard every facilitator page passes, sign in/out, accounts."""
from __future__ import annotations

import datetime as dt

from flask import (Blueprint, abort, current_app, flash, g, redirect, render_template, request,
                   session, url_for)
from flask_babel import format_date, format_datetime, format_decimal, ngettext
from flask_babel import gettext as _

from hub.accounts import facilitators
from hub.core import clock
from hub.web import settings as web_settings
from hub.web.db import get_db
from hub.web.views.system import safe_next

bp = Blueprint("facilitator", __name__, url_prefix="/facilitator")

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


guarded(bp)


@bp.app_template_filter("isodate")
def isodate(value, fmt: str = "medium") -> str:
    """Format an ISO 8601 date or timestamp string as a date in the reader's language."""
    if not value:
        return ""
    try:
        day = dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return str(value)
    return format_date(day, fmt)


@bp.app_template_filter("isotime")
def isotime(value, fmt: str = "medium") -> str:
    """Format a stored UTC instant as a date and time in the hub's time zone and the reader's language."""
    if not value:
        return ""
    try:
        moment = dt.datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        return str(value)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.timezone.utc)
    zone = clock.zone(web_settings.hub_timezone())
    return format_datetime(moment.astimezone(zone), fmt, rebase=False)


@bp.app_template_filter("disksize")
def disksize(size) -> str:
    """Format a number of bytes as KB, MB or GB in the reader's language (disk space, packs)."""
    size = int(size or 0)
    if size < 1024 ** 2:
        return _("%(size)s KB", size=format_decimal(max(1, round(size / 1024))))
    if size >= 1024 ** 3:
        return _("%(size)s GB", size=format_decimal(round(size / 1024 ** 3, 1)))
    return _("%(size)s MB", size=format_decimal(round(size / 1024 ** 2, 1)))


def sign_in(account: dict) -> None:
    """Start a fresh session for a facilitator (clear first: no fixation)."""
    session.clear()
    session["facilitator_id"] = account["id"]
    session["facilitator_key"] = account["session_key"]
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
        except facilitators.TooManyAttempts as exc:
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
    session.pop("facilitator_id", None)
    session.pop("facilitator_key", None)
    flash(_("You are signed out."))
    return redirect(url_for("facilitator.login"))


@bp.get("/accounts")
@admin_only
def accounts():
    """Facilitator accounts (admins only)."""
    return render_template("facilitator/accounts.html",
                           accounts=facilitators.list_all(get_db()))


@bp.post("/accounts")
@admin_only
def add_account():
    """Create another facilitator account."""
    role = request.form.get("role", "facilitator")
    try:
        facilitators.create(get_db(), request.form.get("username", ""),
                            request.form.get("password", ""),
                            role if role in facilitators.ROLES else "facilitator")
    except facilitators.FacilitatorError as exc:
        flash(account_error(exc), "error")
        return render_template("facilitator/accounts.html", accounts=facilitators.list_all(get_db()),
                               username=request.form.get("username", "")), 400
    flash(_("The account was created."))
    return redirect(url_for("facilitator.accounts"))


@bp.post("/accounts/<int:account_id>/remove")
@admin_only
def remove_account(account_id: int):
    """Remove a facilitator account (not the last admin, not yourself)."""
    if account_id == g.facilitator["id"]:
        flash(_("You cannot remove your own account."), "error")
        return redirect(url_for("facilitator.accounts"))
    try:
        facilitators.delete(get_db(), account_id)
    except facilitators.FacilitatorError:
        flash(_("The hub needs at least one admin."), "error")
    else:
        flash(_("The account was removed."))
    return redirect(url_for("facilitator.accounts"))


def _wait_message(retry_after: int) -> str:
    minutes = max(1, (retry_after + 59) // 60)
    return ngettext("Too many tries. Please wait %(count)s minute and try again.",
                    "Too many tries. Please wait %(count)s minutes and try again.", minutes,
                    count=format_decimal(minutes))


def account_error(exc: facilitators.FacilitatorError) -> str:
    """Say what is wrong with a proposed account, in the reader's language."""
    if exc.field == "password":
        return ngettext("Choose a password of at least %(num)s character.",
                        "Choose a password of at least %(num)s characters.", facilitators.MIN_PASSWORD)
    if "exists" in exc.why:
        return _("An account with this name exists already. Choose another name.")
    return ngettext("Choose a username of %(min)s to %(num)s letter or digit (dots, dashes and @ are allowed).",
                    "Choose a username of %(min)s to %(num)s letters or digits (dots, dashes and @ are allowed).",
                    facilitators.USERNAME_MAX, min=facilitators.USERNAME_MIN)

