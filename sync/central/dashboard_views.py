"""The program dashboard: the first page (alerts, what was hidden, every metric week by week),
one metric by region, partner, hub or breakdown over weeks, months, terms or years, and hub health.
"""
from __future__ import annotations

import datetime as dt

from flask import abort, current_app, g, render_template, request
from flask_babel import format_date, format_decimal, get_locale
from flask_babel import gettext as _

from hub.core import i18n
from hub.web import charts
from sync import privacy, state
from sync.central import alerts, figures
from sync.central.web import (bp, filters, group_titles, login_required, metric_titles, mood_titles, pack_titles,
                              period_titles, store)

WEEK_CHOICES = (4, 12, 26, 52, 104)
HUBS_PER_PAGE = 300
HUBS_IN_PICKER = 300
ALERTS_SHOWN = 50
HUBS_PER_TABLE_PAGE = 50


def _weeks() -> int:
    try:
        weeks = int(request.args.get("weeks", 12))
    except ValueError:
        return 12
    return weeks if weeks in WEEK_CHOICES else 12


def _page() -> int:
    try:
        return max(1, int(request.args.get("page", 1)))
    except ValueError:
        return 1


def period_label(period: str, kind: str) -> str:
    """A week, month, term or year in the reader's language."""
    if kind == "week":
        return format_date(dt.date.fromisoformat(period), "d MMM y")
    if kind == "month":
        year, month = period.split("-")
        return format_date(dt.date(int(year), int(month), 1), "MMM y")
    if kind == "term":
        year, term = period.split("-T")
        return _("Term %(number)s, %(year)s", number=format_decimal(int(term)), year=year)
    return period


def _low_disk_mb() -> int:
    from hub.core import config

    return int(current_app.config.get("HUB_CENTRAL_LOW_DISK_MB") or config.load()["HUB_CENTRAL_LOW_DISK_MB"])


def _context(weeks: int) -> dict:
    first, last = figures.weeks_back(state.utc_now().date(), weeks)
    chosen = filters()
    # A count, and the names only when a picker can show them: listing 10,000 hubs on every page
    # was most of an admin's page time.
    count, names = store().hub_names(g.user.scope, limit=HUBS_IN_PICKER)
    if chosen["hub"] and store().hub(chosen["hub"], g.user.scope) is None:
        chosen["hub"] = None  # not a hub this user may see: show their whole scope instead
    return {"first": first, "last": last, "hub_count": count, "chosen": chosen, "weeks": weeks,
            "hubs": [{"hub_id": hub_id, "name": name} for hub_id, name in names.items()],
            "chosen_args": {key: value for key, value in chosen.items() if value},
            "places": store().places() if g.user.is_admin else None, "titles": metric_titles(),
            "rtl": i18n.text_direction(str(get_locale())) == "rtl"}


@bp.get("/")
@login_required
def dashboard():
    """Alerts, what was hidden, and every metric's published total week by week (learning beside thriving)."""
    ctx = _context(_weeks())
    active = {key: value for key, value in ctx["chosen"].items() if value}
    overview = figures.overview(store().db, ctx["first"], ctx["last"], g.user.scope, active)
    hidden = figures.hidden_summary(store().db, ctx["first"], ctx["last"], g.user.scope, active)
    # The first hubs that need attention, and how many there are: the database finds them.
    found = alerts.alerts(store(), g.user.scope, low_disk_mb=_low_disk_mb(), limit=ALERTS_SHOWN, **active)
    alerting = alerts.count(store(), g.user.scope, low_disk_mb=_low_disk_mb(), **active)
    labels = {w: period_label(w, "week") for w in overview["weeks"]}
    learners = [(labels[w], overview["cells"][w].get("active_learners", {}).get("value") or 0)
                for w in reversed(overview["weeks"])]
    trend = charts.line_chart(learners, title=metric_titles()["active_learners"], fmt=format_decimal,
                              rtl=ctx["rtl"]) if learners else None
    return render_template("central/dashboard.html", overview=overview, labels=labels, hidden=hidden,
                           alerts=found, alerting=alerting, alerts_shown=ALERTS_SHOWN, trend=trend, moods=mood_titles(), **ctx)


@bp.get("/metric/<name>")
@login_required
def metric(name):
    """One metric by a grouping, over weeks (or months, terms, years of whole weeks), as a chart and a table."""
    if name not in metric_titles():
        abort(404)
    ctx = _context(_weeks())
    groups = {key: title for key, title in group_titles().items()
              if not key or key in ("region", "partner", "hub") or key in privacy.BREAKDOWNS[name]}
    default = "" if "" in privacy.BREAKDOWNS[name] else privacy.BREAKDOWNS[name][0]  # check-ins: by mood
    if "" not in privacy.BREAKDOWNS[name]:
        groups.pop("")
    group = request.args.get("by", default)
    group = group if group in groups else default
    period = request.args.get("period", "week")
    period = period if period in figures.PERIODS else "week"
    active = {key: value for key, value in ctx["chosen"].items() if value}
    if group == "hub":  # a region can have thousands of hubs: the database hands back one page
        result = figures.hub_page(store().db, name, ctx["first"], ctx["last"], period=period, scope=g.user.scope,
                                  filters=active, page=_page(), per_page=HUBS_PER_TABLE_PAGE)
    else:
        result = figures.table(store().db, name, group, ctx["first"], ctx["last"], period=period,
                               scope=g.user.scope, filters=active)
    names = result.get("names", {})
    moods = mood_titles()
    packs = pack_titles() if group == "pack" else {}  # a pack's title where the catalog knows it, else its id

    def row_label(key) -> str:
        if group == "hub":
            return names.get(key, key)
        if group == "mood":
            return moods.get(str(key), str(key))
        if group == "pack":
            return packs.get(key) or key or _("(not set)")
        return key or _("(not set)")

    labels = {p: period_label(p, result["period"]) for p in result["periods"]}
    points = [(labels[c["period"]], c["value"] or 0) for c in result["total"]]
    chart = charts.line_chart(points, title=ctx["titles"][name], fmt=format_decimal, rtl=ctx["rtl"]) if points else None
    return render_template("central/metric.html", name=name, result=result, groups=groups, group=group,
                           periods=period_titles(), period=result["period"], labels=labels, chart=chart,
                           row_label=row_label, additive=name in figures.ADDITIVE, **ctx)


@bp.get("/hubs")
@login_required
def hubs_page():
    """Hub health from heartbeats: version, packs, free disk, last report, last event day."""
    ctx = _context(_weeks())
    chosen = {k: v for k, v in ctx["chosen"].items() if v}
    # A page a phone can hold: past HUBS_PER_PAGE the officer narrows by region, partner or hub;
    # the database hands back only that many (10,000 hubs took a few hundred ms to read).
    rows = store().hubs(g.user.scope, counts=False, limit=HUBS_PER_PAGE, **chosen)
    total = store().hub_names(g.user.scope, limit=0, **chosen)[0] if len(rows) == HUBS_PER_PAGE else len(rows)
    return render_template("central/hubs.html", rows=rows, total=total,
                           low_disk=_low_disk_mb(), pack_titles=pack_titles(), **ctx)
