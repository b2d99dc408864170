"""First run: name the hub, choose its language and time zone, create the first admin."""
from __future__ import annotations

import zoneinfo

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext

from hub.accounts import facilitators
from hub.core import i18n
from hub.core import settings
from hub.web.db import get_db
from hub.web.views.facilitator import sign_in
from hub.web.views.facilitator_accounts import account_error

bp = Blueprint("setup", __name__)


def timezones() -> list[str]:
    """Every time zone name the system knows, sorted (for the form's suggestions)."""
    return sorted(z for z in zoneinfo.available_timezones() if "/" in z or z == "UTC")


def valid_timezone(name: str) -> bool:
    """True when `name` is a known IANA time zone."""
    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return False
    return bool(name)


@bp.app_context_processor
def setup_context():
    """`needs_setup()` for templates: true until the first facilitator account exists."""
    return {"needs_setup": lambda: not facilitators.exists(get_db())}


@bp.route("/setup", methods=["GET", "POST"])
def setup():
    """The setup form; gone (404) once any facilitator account exists."""
    from flask import current_app

    db = get_db()
    if facilitators.exists(db):
        abort(404)
    form = {
        "hub_name": request.form.get("hub_name", settings.get(db, "hub_name")).strip(),
        "default_locale": request.form.get("default_locale", current_app.config["HUB_DEFAULT_LOCALE"]),
        "timezone": request.form.get("timezone", current_app.config["HUB_TIMEZONE"]).strip(),
        "username": request.form.get("username", "").strip(),
    }
    errors = {}
    if request.method == "POST":
        if not form["hub_name"] or len(form["hub_name"]) > settings.HUB_NAME_MAX:
            errors["hub_name"] = ngettext("Give the hub a name of up to %(num)s character.",
                                          "Give the hub a name of up to %(num)s characters.", settings.HUB_NAME_MAX)
        if form["default_locale"] not in i18n.LOCALES:
            errors["default_locale"] = _("Choose one of the languages in the list.")
        if not valid_timezone(form["timezone"]):
            errors["timezone"] = _("Choose a time zone from the list, for example Africa/Nairobi.")
        password = request.form.get("password", "")
        if password != request.form.get("password_again", ""):
            errors["password"] = _("The two passwords are not the same.")
        for problem in facilitators.check_new_account(form["username"], password):
            errors.setdefault(problem.field, account_error(problem))
        if not errors:
            account = facilitators.create_first(db, form["username"], password)
            if account is None:
                abort(404)  # someone else finished setup a moment ago
            for key in ("hub_name", "default_locale", "timezone"):
                settings.set(db, key, form[key])
            sign_in(account)
            return redirect(url_for("facilitator_reports.dashboard"))
    return render_template("setup.html", form=form, errors=errors, timezones=timezones(),
                           locales=i18n.LOCALES), (400 if errors else 200)
