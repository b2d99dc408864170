"""Central views: health, the API's errors in JSON, sign-in, language. Thin: parse, call, render.

The hubs' POSTs (reports, heartbeats) are answered before Flask, by sync.central.api_wsgi."""
from __future__ import annotations

from flask import jsonify, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from werkzeug.security import check_password_hash

from hub.core import i18n
from hub.core.ratelimit import RateLimiter
from hub.web.redirects import safe_next
from sync.central.receive import MAX_BODY_BYTES
from sync.central.web import bp, store

_logins = RateLimiter(10, 300)


@bp.get("/healthz")
def healthz():
    """Liveness for hubs and monitors."""
    return jsonify({"status": "ok"})


@bp.app_errorhandler(405)
@bp.app_errorhandler(413)
def api_error(error):
    """Hubs and scripts read JSON: an /api/ path answers its HTTP errors as {"error"} too."""
    if not request.path.startswith("/api/"):
        return error
    if error.code == 413:
        message = f"the body is larger than {MAX_BODY_BYTES} bytes"
    else:
        methods = sorted(set(error.valid_methods or ()) - {"HEAD", "OPTIONS"})
        message = f"use {' or '.join(methods)} for {request.path}"
    return jsonify({"error": message}), error.code


@bp.route("/login", methods=["GET", "POST"])
def login():
    """Sign in to the program dashboard."""
    error = None
    if request.method == "POST":
        who = request.remote_addr or ""
        if not _logins.hit(who):  # the try is taken before the check: parallel guessers wait too
            return render_template("central/login.html", error=_("Too many attempts. Wait a few minutes.")), 429
        name, password = request.form.get("username", ""), request.form.get("password", "")
        stored = store().password_hash(name)
        if stored and check_password_hash(stored, password):
            _logins.give_back(who)
            session.clear()
            session["user"] = name
            target = request.args.get("next", "")
            return redirect(safe_next(target, url_for("central.dashboard")))
        error = _("The name or password is not right.")
    return render_template("central/login.html", error=error), (401 if error else 200)


@bp.post("/logout")
def logout():
    """Sign out."""
    session.clear()
    return redirect(url_for("central.login"))


@bp.get("/language/<code>")
def set_language(code):
    """Remember a page language in a cookie."""
    target = request.args.get("next", "")
    response = redirect(safe_next(target, url_for("central.dashboard")))
    if code in i18n.LOCALES:
        response.set_cookie(i18n.COOKIE_NAME, code, max_age=i18n.COOKIE_MAX_AGE, samesite="Lax")
    return response
