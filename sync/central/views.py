"""Central views: POST /api/v1/reports, sign-in, the program dashboard. Thin: parse, call, render."""
from __future__ import annotations

import datetime as dt
import functools

from flask import (Blueprint, current_app, jsonify, redirect, render_template, request, session,
                   url_for)
from flask_babel import format_date, format_decimal, get_locale
from flask_babel import gettext as _
from werkzeug.security import check_password_hash

from hub.web import charts
from hub.core import i18n
from hub.core.ratelimit import RateLimiter
from hub.web.redirects import safe_next
from hub.web.security import csrf_exempt
from sync import privacy
from sync.central.receive import MAX_BODY_BYTES, receive, receive_heartbeat

bp = Blueprint("central", __name__)  # templates and static files are the app's own
_logins = RateLimiter(10, 300)


def store():
    """The app's store."""
    return current_app.extensions["central_store"]


@bp.get("/healthz")
def healthz():
    """Liveness for hubs and monitors."""
    return jsonify({"status": "ok"})


@bp.post("/api/v1/reports")
@csrf_exempt  # authenticated by the HMAC signature instead
def reports():
    """Receive one signed report (gzip allowed)."""
    status, answer = receive(store(), request.headers.get("X-Hub-Id"), request.headers.get("X-Hub-Signature"),
                             request.get_data(cache=False), request.headers.get("Content-Encoding", ""))
    return jsonify(answer), status


@bp.post("/api/v1/heartbeat")
@csrf_exempt  # authenticated by the HMAC signature instead
def heartbeat():
    """Receive one signed heartbeat: version, packs, free disk, last event day (no learner data)."""
    status, answer = receive_heartbeat(store(), request.headers.get("X-Hub-Id"),
                                       request.headers.get("X-Hub-Signature"), request.get_data(cache=False),
                                       request.headers.get("Content-Encoding", ""))
    return jsonify(answer), status


@bp.app_errorhandler(405)
@bp.app_errorhandler(413)
def api_error(error):
    """Hubs and scripts read JSON: the report API answers its HTTP errors as {"error"} too."""
    if not request.path.startswith("/api/"):
        return error
    message = (f"the body is larger than {MAX_BODY_BYTES} bytes" if error.code == 413
               else f"use POST for {request.path}")
    return jsonify({"error": message}), error.code


def login_required(view):
    """Send visitors without a session to the sign-in page."""
    @functools.wraps(view)
    def wrapped(*args, **kwargs):
        if not session.get("user"):
            return redirect(url_for("central.login", next=request.path))
        return view(*args, **kwargs)
    return wrapped


@bp.route("/login", methods=["GET", "POST"])
def login():
    """Sign in to the program dashboard."""
    error = None
    if request.method == "POST":
        who = request.remote_addr or ""
        if _logins.blocked(who):
            return render_template("central/login.html", error=_("Too many attempts. Wait a few minutes.")), 429
        name, password = request.form.get("username", ""), request.form.get("password", "")
        stored = store().password_hash(name)
        if stored and check_password_hash(stored, password):
            session.clear()
            session["user"] = name
            target = request.args.get("next", "")
            return redirect(safe_next(target, url_for("central.dashboard")))
        _logins.hit(who)
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


def metric_titles() -> dict:
    """The contract's metrics in words."""
    return {"active_learners": _("Active learners"), "active_sessions": _("Anonymous sessions"),
            "learning_minutes": _("Minutes of learning"), "resources_started": _("Resources started"),
            "resources_completed": _("Resources completed"), "exercise_attempts": _("Exercise answers"),
            "exercise_correct": _("Correct exercise answers"), "checkins": _("Well-being check-ins"),
            "returning_learners": _("Returning learners")}


def breakdown_titles() -> dict:
    """The breakdowns in words."""
    return {"pack": _("By pack"), "language": _("By language"), "kind": _("By kind of resource"),
            "mood": _("By mood")}


@bp.get("/")
@login_required
def dashboard():
    """Hubs and when each last reported; one metric across hubs and time, as charts and tables."""
    titles = metric_titles()
    metric = request.args.get("metric", "active_learners")
    metric = metric if metric in titles else "active_learners"
    try:
        days = max(7, min(365, int(request.args.get("days", 30))))
    except ValueError:
        days = 30
    last = dt.date.today()
    first = last - dt.timedelta(days=days - 1)
    rtl = i18n.text_direction(str(get_locale())) == "rtl"
    hubs = store().hubs()
    hub = request.args.get("hub") or None  # one hub's own figures: where help is needed
    hub = hub if hub in {h["hub_id"] for h in hubs} else None
    series = store().series(metric, first.isoformat(), last.isoformat(), hub)
    points = [(format_date(dt.date.fromisoformat(r["day"]), "d MMM"), r["value"]) for r in series]
    trend = charts.line_chart(points, title=titles[metric], fmt=format_decimal, rtl=rtl) if points else None
    breakdowns = []
    for key in privacy.BREAKDOWNS[metric]:
        if not key:
            continue
        rows = store().breakdown(metric, key, first.isoformat(), last.isoformat(), hub)
        svg = charts.hbar_chart([(str(r["key"]), r["value"]) for r in rows[:12]],
                                title=breakdown_titles()[key], fmt=format_decimal, rtl=rtl) if rows else None
        breakdowns.append({"key": key, "title": breakdown_titles()[key], "rows": rows, "svg": svg})
    return render_template("central/dashboard.html", hubs=hubs, hub=hub, metric=metric, titles=titles,
                           days=days, series=series, trend=trend, breakdowns=breakdowns)
