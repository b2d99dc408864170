"""Seeing the community: the dashboard, CSV exports, the sync panel, hub settings."""
from __future__ import annotations

import datetime as dt
import json

from flask import (Blueprint, Response, abort, current_app, flash, g, jsonify, redirect,
                   render_template, request, url_for)
from flask_babel import format_date, format_datetime, format_decimal, format_time, get_locale, ngettext
from flask_babel import gettext as _
from markupsafe import Markup

from hub.web import fragments
from hub.web import csv_export
from hub.web import settings as web_settings
from hub.accounts import observations
from hub.core import i18n
from hub.core import clock, mounts, settings
from hub.web.db import get_db
from hub.web.guard import admin_only, guarded
from hub.web.views.setup import timezones, valid_timezone
from hub.web.views import sync_words
from sync import metrics, outbox, report, scheduler

bp = guarded(Blueprint("facilitator_reports", __name__, url_prefix="/facilitator"))


def load_dashboard(days: int = 30) -> dict:
    """The metrics module's dashboard numbers for the last `days` days, with life-skills averages."""
    db = get_db()
    tz = web_settings.hub_timezone()
    data = dict(metrics.kept_dashboard(db, tz)) if days == metrics.DASHBOARD_DAYS else \
        metrics.dashboard(db, days=days, tz=tz)
    dates = [d["date"] for d in data.get("days") or []]
    if dates:  # the facilitators' observations of the same days: the thriving side
        averages = observations.observation_averages(db, dates[0], dates[-1])
        data["life_skills"] = {name: (round(value, 1) if isinstance(value, float) else value)
                               for name, value in averages.items()}
    return data


def _day_label(value) -> str:
    try:
        return format_date(dt.date.fromisoformat(str(value)[:10]), "d MMM")
    except ValueError:
        return str(value)


# Drawn at a phone's width, so 12 px text stays about 12 px on a 360 px screen (at 640 it was
# 6-7 px); a wider screen scales the chart up, up to the height the stylesheet allows.
CHART_WIDTH = 360


def chart_data(data: dict) -> list[dict]:
    """Turn the dashboard numbers into titled series, each drawn as a chart and a table."""
    from hub.web import charts  # only the dashboard draws charts: not loaded at start (issue 22)

    rtl = i18n.text_direction(str(get_locale())) == "rtl"
    number = format_decimal
    days = data.get("days") or []
    sections = []

    def add(key, title, kind, points, label_header):
        draw = {"line": charts.line_chart, "bar": charts.bar_chart, "hbar": charts.hbar_chart}[kind]
        sections.append({"key": key, "title": title, "points": points, "label_header": label_header,
                         "svg": draw(points, title=title, fmt=number, rtl=rtl, width=CHART_WIDTH)})

    add("active_learners", _("Learners active each day"), "line",
        [(_day_label(d["date"]), d.get("active_learners", 0)) for d in days], _("Day"))
    add("learning_minutes", _("Minutes of learning each day"), "bar",
        [(_day_label(d["date"]), d.get("learning_minutes", 0)) for d in days], _("Day"))
    add("top_resources", _("Most used resources, in learner-days (one learner on one day counts once)"), "hbar",
        [(r.get("title") or r.get("resource", ""), r.get("count", 0))
         for r in data.get("top_resources") or []], _("Resource"))
    add("completions_by_pack", _("Completed resources by pack"), "hbar",
        [(r.get("title") or r.get("pack", ""), r.get("count", 0))
         for r in data.get("completions_by_pack") or []], _("Pack"))
    add("completions_by_language", _("Completed resources by language"), "hbar",
        [(i18n.LOCALES.get(r.get("language"), r.get("language", "")), r.get("count", 0))
         for r in data.get("completions_by_language") or []], _("Language"))
    add("checkins", _("Well-being check-ins by mood"), "bar",
        [(mood_name(r.get("mood")), r.get("count", 0)) for r in data.get("checkins_by_mood") or []],
        _("Mood"))
    return sections


def mood_name(mood) -> str:
    """A mood number (1..5) in words."""
    names = {1: _("Very sad"), 2: _("Sad"), 3: _("Okay"), 4: _("Happy"), 5: _("Very happy")}
    return names.get(int(mood) if str(mood).isdigit() else mood, str(mood))


def summary(data: dict) -> list[str]:
    """A few sentences in words for readers who prefer them to charts."""
    totals = data.get("totals") or {}
    days = data.get("days") or []
    learners = totals.get("active_learners", 0)
    minutes = round(totals.get("learning_minutes", sum(d.get("learning_minutes", 0) for d in days)))
    completed = totals.get("resources_completed", 0)
    period = len(days) or 30
    # One count per sentence: each gets the plural form its own number needs.
    lines = [
        ngettext("Learners who used the hub in the last %(count)s day: %(learners)s.",
                 "Learners who used the hub in the last %(count)s days: %(learners)s.", period,
                 count=format_decimal(period), learners=format_decimal(learners)),
        ngettext("Together they learned for %(count)s minute.", "Together they learned for %(count)s minutes.",
                 minutes, count=format_decimal(minutes)),
        ngettext("They completed %(count)s resource.", "They completed %(count)s resources.",
                 completed, count=format_decimal(completed)),
    ]
    lines.append(_("Each learner is counted once, however many days they came."))
    if days:
        busiest = max(days, key=lambda d: d.get("active_learners", 0))
        if busiest.get("active_learners"):
            lines.append(ngettext("The busiest day was %(day)s, with %(count)s learner.",
                                  "The busiest day was %(day)s, with %(count)s learners.", busiest["active_learners"],
                                  day=format_date(dt.date.fromisoformat(str(busiest["date"])[:10]), "long"),
                                  count=format_decimal(busiest["active_learners"])))
    top = data.get("top_resources") or []
    if top:
        lines.append(_("The most used resource was “%(title)s”.",
                       title=top[0].get("title") or top[0].get("resource", "")))
    return lines


def device_panels() -> dict:
    """The device's address, QR code and health checks (hub.ops.device), when available."""
    try:
        from hub.ops.device.panels import panel_context
    except ImportError:
        return {}
    return panel_context(current_app.config, get_db())


def figures_age(as_of: str | None) -> str:
    """How fresh the figures are, in words: "Figures as of 10:42" (with the date when not today)."""
    if not as_of:
        return _("The figures have not been worked out yet. Press “Update the figures now”.")
    zone = clock.zone(web_settings.hub_timezone())
    moment = dt.datetime.fromisoformat(as_of.replace("Z", "+00:00")).astimezone(zone)
    if moment.date() == clock.local_today(web_settings.hub_timezone()):
        when = format_time(moment, "short", rebase=False)
    else:
        when = format_datetime(moment, "short", rebase=False)
    return _("Figures as of %(time)s", time=when)


def refresh_state(job: dict | None) -> str:
    """What the page says about an "Update the figures now" it started."""
    if job is None:
        return ""
    if not job["finished"]:
        return _("The figures are being updated in the background. Reload this page in a moment to see them.")
    if job["state"] == "failed":
        return _("The figures could not be updated. Try again in a few minutes.")
    return _("The figures are up to date.")


def figures_html(data: dict) -> Markup:
    """The summary and charts of the dashboard numbers (hub.web.fragments: drawn once per
    figures' time, language and zone; ~400 localized numbers and six SVGs were most of a view)."""
    def render() -> str:
        return render_template("facilitator/_figures.html", sections=chart_data(data),
                               summary=summary(data))
    if not data.get("as_of"):
        return Markup(render())
    return fragments.kept("dashboard figures", data["as_of"], render)


@bp.get("/")
def dashboard():
    """The overview: charts of the last 30 days, in words and in tables too. Only reads: the
    figures are rolled up in the background (the scheduler, or the refresh button)."""
    data = load_dashboard()
    job = scheduler.REFRESHES.get(request.args.get("refresh", ""))
    context = dict(data=data, figures_age=figures_age(data.get("as_of")), refresh=refresh_state(job),
                   refreshing=bool(job and not job["finished"]), **device_panels())
    # The page is kept under everything it shows (the facilitator, the figures and their time,
    # the life skills, the device checks, the refresh state; hub.web.fragments adds the
    # language, zone, settings and address); the form token is put in per request.
    who = g.facilitator
    shown = sorted((k, v) for k, v in context.items() if k != "data")
    key = (who["id"], who["username"], who["role"], data.get("as_of") or fragments.digest(data),
           fragments.digest((data.get("life_skills"), shown)))
    return fragments.kept_page("dashboard", key, lambda token: render_template(
        "facilitator/dashboard.html", figures=figures_html(data), csrf_token=token, **context))


@bp.post("/refresh")
def refresh_figures():
    """Update the figures now: the rollup runs as a background job; the page says how it goes."""
    job_id = scheduler.refresh_now(current_app.config)
    return redirect(url_for("facilitator_reports.dashboard", refresh=job_id), code=303)


@bp.get("/dashboard.csv")
def dashboard_csv():
    """The dashboard aggregates as CSV."""
    return Response(csv_export.dashboard_csv(load_dashboard()), mimetype="text/csv",
                    headers={"Content-Disposition": 'attachment; filename="hub-dashboard.csv"'})


@bp.get("/sync")
@admin_only
def sync_panel():
    """Sharing with the central office: status, push now, and exactly what would be sent."""
    db, config = get_db(), current_app.config
    status = outbox.status(db, config)
    waiting = [json.loads(bytes(row["body"])) for row in outbox.pending(db)]
    preview = waiting[0] if waiting else {}
    so_far = report.so_far(db, config)
    job = scheduler.SENDS.get(request.args.get("job", ""))
    return render_template("facilitator/sync.html", status=status, job=job,
                           outcome=sync_words.send_outcome(job) if job and job["finished"] else [],
                           problem=sync_words.problem(status["last_error"]),
                           waiting=waiting, week_errors=report.week_errors(db),
                           preview=preview, rows=sync_words.preview_rows(preview),
                           preview_json=json.dumps(preview, indent=2, ensure_ascii=False),
                           so_far=so_far, so_far_rows=sync_words.preview_rows(so_far),
                           so_far_json=json.dumps(so_far, indent=2, ensure_ascii=False))


@bp.post("/sync")
@admin_only
def push_now():
    """Send now, as `hub sync push` does, in the background; the panel shows how it goes."""
    db, config = get_db(), current_app.config
    if not outbox.status(db, config)["upstream"]:
        flash(_("Sharing is not set up on this hub, so nothing was sent."), "error")
        return redirect(url_for("facilitator_reports.sync_panel"))
    job_id = scheduler.send_now(config)
    return redirect(url_for("facilitator_reports.sync_panel", job=job_id), code=303)


@bp.get("/sync/jobs/<job_id>.json")
@admin_only
def send_state(job_id: str):
    """A background send's state, for the panel's progress script."""
    return jsonify(scheduler.SENDS.get(job_id) or abort(404))


IDLE_MAX_MINUTES = 24 * 60  # a day: longer is the same as never on a shared phone


@bp.route("/settings", methods=["GET", "POST"])
@admin_only
def hub_settings():
    """Hub name, self sign-up, the community page, default language, time zone, the sign-in
    list and the facilitators' idle time."""
    db = get_db()
    values = settings.all_settings(db)
    values.setdefault("default_locale", current_app.config["HUB_DEFAULT_LOCALE"])
    values["default_locale"] = values.get("default_locale") or current_app.config["HUB_DEFAULT_LOCALE"]
    values["timezone"] = values.get("timezone") or current_app.config["HUB_TIMEZONE"]
    errors = {}
    if request.method == "POST":
        form = request.form
        values.update(hub_name=form.get("hub_name", "").strip(),
                      default_locale=form.get("default_locale", ""),
                      timezone=form.get("timezone", "").strip(),
                      self_signup=form.get("self_signup") == "1",
                      community_page=form.get("community_page") == "1",
                      # Left out of the form (an older script): kept as they are.
                      signin_list=form.get("signin_list", values["signin_list"]),
                      facilitator_idle_minutes=form.get("facilitator_idle_minutes",
                                                        values["facilitator_idle_minutes"]),
                      backup_keep=form.get("backup_keep", values["backup_keep"]),
                      show_very_sad_checkins=form.get("show_very_sad_checkins") == "1",
                      shared_device_idle_minutes=form.get("shared_device_idle_minutes",
                                                          str(values.get("shared_device_idle_minutes", 0))).strip())
        if not values["hub_name"] or len(values["hub_name"]) > settings.HUB_NAME_MAX:
            errors["hub_name"] = ngettext("Give the hub a name of up to %(num)s character.",
                                          "Give the hub a name of up to %(num)s characters.", settings.HUB_NAME_MAX)
        if values["default_locale"] not in i18n.LOCALES:
            errors["default_locale"] = _("Choose one of the languages in the list.")
        if not valid_timezone(values["timezone"]):
            errors["timezone"] = _("Choose a time zone from the list, for example Africa/Nairobi.")
        errors.update(session_setting_errors(values))
        idle = values["shared_device_idle_minutes"]
        if not (str(idle).isdigit() and 0 <= int(idle) <= IDLE_MAX_MINUTES):
            errors["shared_device_idle_minutes"] = _(
                "Write a number of minutes from 0 to %(max)s. 0 keeps children signed in.",
                max=IDLE_MAX_MINUTES)
        else:
            values["shared_device_idle_minutes"] = int(idle)
        if not errors:
            with db.atomic():
                for key in ("hub_name", "default_locale", "timezone", "self_signup", "community_page",
                            "signin_list", "facilitator_idle_minutes", "backup_keep",
                            "show_very_sad_checkins", "shared_device_idle_minutes"):
                    settings.set(db, key, values[key])
            flash(_("The settings were saved."))
            return redirect(url_for("facilitator_reports.hub_settings"))
    return render_template("facilitator/settings.html", values=values, errors=errors,
                           timezones=timezones(),
                           drives=mounts.mount_points(current_app.config["HUB_USB_MOUNTS"])), \
        (400 if errors else 200)


def session_setting_errors(values: dict) -> dict:
    """Check (and convert in place) the sign-in list, idle-time and backup fields; their errors."""
    errors = {}
    if values["signin_list"] not in settings.SIGNIN_LISTS:
        errors["signin_list"] = _("Choose one of the listed options.")
    for key, (low, high) in (("facilitator_idle_minutes", settings.IDLE_MINUTES_RANGE),
                              ("backup_keep", settings.BACKUP_KEEP_RANGE)):
        given = values[key]
        given = given.strip() if isinstance(given, str) else given
        if isinstance(given, str) and given.isdigit() and low <= int(given) <= high:
            values[key] = int(given)
        elif not isinstance(given, int):
            errors[key] = _("Give a number from %(low)s to %(high)s.", low=low, high=high)
    return errors
