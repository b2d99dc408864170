"""/facilitator/accounts (admins only) and /facilitator/password (your own), on the facilitator blueprint."""
from __future__ import annotations

from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext

from hub.accounts import facilitators
from hub.web.db import get_db
from hub.web.guard import admin_only
from hub.web.views.facilitator import bp, sign_in


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


@bp.route("/password", methods=["GET", "POST"])
def own_password():
    """Change your own password (fields: current_password, new_password)."""
    error = None
    if request.method == "POST":
        try:
            account = facilitators.change_own_password(
                get_db(), g.facilitator["id"], request.form.get("current_password", ""),
                request.form.get("new_password", ""))
        except facilitators.FacilitatorError as exc:
            error = _("The current password is not right.") if exc.field == "current_password" \
                else account_error(exc)
        else:
            sign_in(account)  # this browser stays signed in; every other session has ended
            flash(_("Your password was changed. You are signed out everywhere else."))
            return redirect(url_for("facilitator_reports.dashboard"))
    return render_template("facilitator/password.html", error=error), (400 if error else 200)


@bp.post("/accounts/<int:account_id>/password")
@admin_only
def reset_password(account_id: int):
    """An admin sets another account's password (field: password); its sessions end."""
    if facilitators.get(get_db(), account_id) is None:
        abort(404)
    try:
        facilitators.set_password(get_db(), account_id, request.form.get("password", ""))
    except facilitators.FacilitatorError as exc:
        flash(account_error(exc), "error")
        return render_template("facilitator/accounts.html",
                               accounts=facilitators.list_all(get_db())), 400
    if account_id == g.facilitator["id"]:
        sign_in(facilitators.get(get_db(), account_id))
    flash(_("The password was reset. Tell its owner the new one; their sessions have ended."))
    return redirect(url_for("facilitator.accounts"))


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
