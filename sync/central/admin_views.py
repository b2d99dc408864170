"""Admin pages: a hub's name, region and partner; dashboard users and what each may see."""
from __future__ import annotations

from flask import abort, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.security import generate_password_hash

from sync import state
from sync.central.web import admin_required, bp, store


def _field(name: str) -> str:
    return (request.form.get(name) or "").strip()


@bp.route("/hubs/<hub_id>", methods=["GET", "POST"])
@admin_required
def edit_hub(hub_id):
    """Change a hub's name, region and partner."""
    hub = store().hub(hub_id)
    if hub is None:
        abort(404)
    errors = []
    if request.method == "POST":
        values = {key: _field(key) for key in ("name", "region", "partner")}
        errors = [_("At most 100 characters.") for value in values.values() if len(value) > 100][:1]
        if not errors:
            store().update_hub(hub_id, **values)
            return redirect(url_for("central.hubs_page"), 303)
        hub.update(values)
    return render_template("central/hub_edit.html", hub=hub, errors=errors, places=store().places()), \
        (400 if errors else 200)


@bp.route("/users", methods=["GET", "POST"])
@admin_required
def users_page():
    """Dashboard users: add one (everything, or one region or partner), change what they see, remove."""
    errors = []
    if request.method == "POST":
        action, username = request.form.get("action", "add"), _field("username")
        region, partner = _field("region"), _field("partner")
        if action == "remove":
            if not store().remove_user(username):
                abort(404)
            return redirect(url_for("central.users_page"), 303)
        if not username or len(username) > 64:
            errors.append(_("A name of 1 to 64 characters is needed."))
        if region and partner:
            errors.append(_("Choose a region or a partner, not both."))
        if len(region) > 100 or len(partner) > 100:
            errors.append(_("At most 100 characters."))
        password = request.form.get("password", "")
        if action == "scope":
            if not errors and not store().set_scope(username, region, partner):
                abort(404)
        elif len(password) < 10:
            errors.append(_("The password needs at least 10 characters."))
        elif not errors:
            store().set_user(username, generate_password_hash(password), state.iso(state.utc_now()),
                             region=region, partner=partner)
        if not errors:
            return redirect(url_for("central.users_page"), 303)
    return render_template("central/users.html", users=store().users(), errors=errors,
                           places=store().places()), (400 if errors else 200)
