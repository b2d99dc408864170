"""The dashboard's numbers: metrics week by week, by region, partner, hub or breakdown, and
months, terms and years as sums of whole weeks (additive metrics only).

Totals add up published cells only: a cell a hub suppressed is counted as hidden, never
rebuilt from other cells. A week belongs to the month (and term, and year) its Thursday falls
in, the ISO rule, so every week is counted in exactly one of them.
"""
from __future__ import annotations

import datetime as dt
from collections import defaultdict

from sync.central import week_sums
from sync.central.scope import Scope, hub_filter

# Sums of these over weeks mean something; distinct learners of two weeks do not add up.
ADDITIVE = {"learning_minutes", "resources_started", "resources_completed", "exercise_attempts",
            "exercise_correct", "checkins"}
METRICS = ("active_learners", "returning_learners", "active_sessions", "learning_minutes",
           "resources_started", "resources_completed", "exercise_attempts", "exercise_correct", "checkins")
HUB_GROUPS = {"region": "h.region", "partner": "h.partner", "hub": "h.hub_id"}
DIM_GROUPS = ("pack", "language", "kind", "mood")
EMPTY = "''"  # the one group of "all hubs together"
PERIODS = ("week", "month", "term", "year")
TERM_STARTS = (1, 5, 9)  # three school terms: January-April, May-August, September-December


def monday(day: dt.date) -> dt.date:
    """The Monday of the ISO week of a day."""
    return day - dt.timedelta(days=day.weekday())


def weeks_back(today: dt.date, count: int) -> tuple[str, str]:
    """(first Monday, last Monday) of the `count` weeks up to the one `today` is in."""
    last = monday(today)
    return (last - dt.timedelta(weeks=count - 1)).isoformat(), last.isoformat()


def period_of(week: str, kind: str) -> str:
    """The month, term or year (by the week's Thursday) a week is part of; the week itself for 'week'."""
    if kind == "week":
        return week
    thursday = dt.date.fromisoformat(week) + dt.timedelta(days=3)
    if kind == "month":
        return f"{thursday.year}-{thursday.month:02d}"
    if kind == "term":
        return f"{thursday.year}-T{sum(1 for m in TERM_STARTS if thursday.month >= m)}"
    return str(thursday.year)


def _rows(db, metric: str, group: str, first: str, last: str, scope: Scope | None, filters: dict,
          hubs: list | None = None):
    """(group value, week, sum of published values, cells published, cells hidden) per group and week
    (of the given hubs only, when `hubs` is a list)."""
    if group != "hub" and not filters.get("hub") and hubs is None:
        return _sums(db, metric, group, first, last, scope, filters)
    where, params = hub_filter(scope, **filters)
    if hubs is not None:
        marks = ", ".join("?" * len(hubs))
        where += f" AND m.hub_id IN ({marks})" if hubs else " AND 1 = 0"
        params += hubs
    if group in DIM_GROUPS:
        key, dim = "m.dim_value", group
    else:
        key, dim = HUB_GROUPS.get(group, EMPTY), ""
    if metric not in ADDITIVE:  # a day's distinct learners are not a week's
        where += " AND m.period_kind = 'week'"
    return db.execute(
        f"SELECT {key}, m.week, sum(m.value), count(*) - sum(m.suppressed), sum(m.suppressed) "
        f"FROM metric_rows m JOIN hubs h ON h.hub_id = m.hub_id "
        f"WHERE m.metric = ? AND m.dim_key = ? AND m.week BETWEEN ? AND ? AND {where} "
        f"GROUP BY {'m.week' if key == EMPTY else key + ', m.week'}", [metric, dim, first, last, *params])


def _sums(db, metric: str, group: str, first: str, last: str, scope: Scope | None, filters: dict):
    """The same as _rows, from the week sums kept at ingest (no single hub involved)."""
    where, params = hub_filter(scope, region=filters.get("region"), partner=filters.get("partner"), alias="s")
    if group and group not in DIM_GROUPS and group not in ("region", "partner"):
        raise ValueError(f"no such grouping: {group!r}")  # the column name below comes from this list only
    key, dim = ("s.dim_value", group) if group in DIM_GROUPS else (f"s.{group}" if group else EMPTY, "")
    return db.execute(
        f"SELECT {key}, s.week, sum(s.total), sum(s.shown), sum(s.hidden) FROM {week_sums.CURRENT} s "
        f"WHERE s.metric = ? AND s.dim_key = ? AND s.week BETWEEN ? AND ? AND {where} "
        f"GROUP BY {'s.week' if key == EMPTY else key + ', s.week'}", [metric, dim, first, last, *params])


def table(db, metric: str, group: str, first: str, last: str, *, period: str = "week",
          scope: Scope | None = None, filters: dict | None = None) -> dict:
    """A metric by group and period: {"periods", "rows": [{"key", "cells": [{"value", "hidden"}]}], "total"}.

    `group` is "" (all hubs together), region, partner, hub, or a breakdown (pack, language, kind,
    mood). Periods longer than a week are only made for additive metrics.
    """
    period = period if metric in ADDITIVE else "week"
    return _shape(metric, group, period, _rows(db, metric, group, first, last, scope, filters or {}))


def hub_page(db, metric: str, first: str, last: str, *, period: str = "week", scope: Scope | None = None,
             filters: dict | None = None, page: int = 1, per_page: int = 50) -> dict:
    """The by-hub table one page at a time, as table() gives it, plus "page", "pages", "hub_count", "names".

    Hubs are ordered as in table() (largest published sum over the weeks first, then by id) by the
    database, which hands back one page of them; the total row is every hub's, from the week sums.
    """
    filters = filters or {}
    period = period if metric in ADDITIVE else "week"
    where, params = hub_filter(scope, **filters)
    if metric not in ADDITIVE:
        where += " AND m.period_kind = 'week'"
    found = (f"FROM metric_rows m JOIN hubs h ON h.hub_id = m.hub_id WHERE m.metric = ? AND m.dim_key = '' "
             f"AND m.week BETWEEN ? AND ? AND {where}")
    # count(*) OVER () counts the hubs in the same pass that orders them: one read of the rows.
    ranked = (f"SELECT m.hub_id, h.name, count(*) OVER () {found} GROUP BY m.hub_id, h.name "
              f"ORDER BY COALESCE(sum(m.value), 0) DESC, m.hub_id LIMIT ? OFFSET ?")
    page = max(1, page)
    chosen = db.execute(ranked, [metric, first, last, *params, per_page, (page - 1) * per_page])
    hub_count = chosen[0][2] if chosen else 0
    if not chosen and page > 1:  # a page past the end: the last page is shown
        (hub_count,), = db.execute(f"SELECT count(DISTINCT m.hub_id) {found}", [metric, first, last, *params])
        if hub_count:
            page = -(-hub_count // per_page)
            chosen = db.execute(ranked, [metric, first, last, *params, per_page, (page - 1) * per_page])
    pages = max(1, -(-hub_count // per_page))
    page = min(page, pages)
    total = table(db, metric, "", first, last, period=period, scope=scope, filters=filters)
    raw = _rows(db, metric, "hub", first, last, scope, filters, hubs=[hub_id for hub_id, _, _ in chosen])
    result = _shape(metric, "hub", period, raw if chosen else [], periods=total["periods"])
    return {**result, "total": total["total"], "page": page, "pages": pages, "hub_count": hub_count,
            "names": {hub_id: name or hub_id for hub_id, name, _ in chosen}}


def _shape(metric: str, group: str, period: str, raw, periods: list | None = None) -> dict:
    """table()'s result from (group value, week, published sum, shown, hidden) rows, in `periods` when given."""
    sums: dict = defaultdict(lambda: defaultdict(lambda: [0.0, 0, 0]))
    seen: set[str] = set()
    for key, week, value, shown, hidden in raw:
        slot = period_of(week, period)
        seen.add(slot)
        cell = sums[key if group else ""][slot]
        cell[0] += value or 0
        cell[1] += shown or 0
        cell[2] += hidden or 0
    ordered = sorted(seen) if periods is None else list(periods)
    rows = [{"key": key, "cells": [{"period": p, "value": _plain(cells[p][0]) if cells[p][1] else None,
                                     "shown": cells[p][1], "hidden": cells[p][2]} for p in ordered]}
            for key, cells in sums.items()]
    rows.sort(key=lambda r: (-sum(c["value"] or 0 for c in r["cells"]), str(r["key"])))
    total = [{"period": p, "value": _plain(sum(r["cells"][i]["value"] or 0 for r in rows))
              if any(r["cells"][i]["shown"] for r in rows) else None,
              "hidden": sum(r["cells"][i]["hidden"] for r in rows)} for i, p in enumerate(ordered)]
    return {"metric": metric, "group": group, "period": period, "periods": ordered, "rows": rows, "total": total}


def overview(db, first: str, last: str, scope: Scope | None = None, filters: dict | None = None) -> dict:
    """Week by week, every metric's published total and how many hubs' numbers were hidden."""
    weeks: dict = defaultdict(dict)
    for metric in METRICS:
        for cell in table(db, metric, "" if metric != "checkins" else "mood", first, last,
                          scope=scope, filters=filters)["total"]:
            weeks[cell["period"]][metric] = cell
    moods: dict = defaultdict(list)  # check-ins have no total, only moods: shown beside the minutes
    by_mood = table(db, "checkins", "mood", first, last, scope=scope, filters=filters)
    for row in sorted(by_mood["rows"], key=lambda r: str(r["key"]), reverse=True):
        for cell in row["cells"]:
            moods[cell["period"]].append({"mood": str(row["key"]), **cell})
    return {"weeks": sorted(weeks, reverse=True), "cells": weeks, "moods": moods}


def hidden_summary(db, first: str, last: str, scope: Scope | None = None, filters: dict | None = None) -> dict:
    """What was hidden in the newest week with reports: per metric, the hubs whose total was suppressed
    (one total per hub and week) and the breakdown cells left out: {"week", "metrics": {name: {"hubs", "cells"}}}."""
    found: dict = defaultdict(lambda: {"hubs": 0, "cells": 0})  # (week, metric) -> counts
    for metric in METRICS:
        if metric != "checkins":  # check-ins come by mood only
            for _key, week, _value, _shown, hidden in _rows(db, metric, "", first, last, scope, filters or {}):
                found[(week, metric)]["hubs"] += hidden or 0
        for week, hidden in db.execute(*_hidden_cells(metric, first, last, scope, filters or {})):
            found[(week, metric)]["cells"] += hidden or 0
    newest = max((week for week, _ in found), default=None)
    return {"week": newest, "metrics": {metric: counts for (week, metric), counts in found.items()
                                        if week == newest and (counts["hubs"] or counts["cells"])}}


def _hidden_cells(metric, first, last, scope, filters):
    """(SQL, params): hidden breakdown cells of a metric per week."""
    if filters.get("hub"):
        where, params = hub_filter(scope, **filters)
        return (f"SELECT m.week, sum(m.suppressed) FROM metric_rows m JOIN hubs h ON h.hub_id = m.hub_id "
                f"WHERE m.metric = ? AND m.dim_key <> '' AND m.week BETWEEN ? AND ? AND {where} GROUP BY m.week",
                [metric, first, last, *params])
    where, params = hub_filter(scope, region=filters.get("region"), partner=filters.get("partner"), alias="s")
    return (f"SELECT s.week, sum(s.hidden) FROM {week_sums.CURRENT} s WHERE s.metric = ? AND s.dim_key <> '' "
            f"AND s.week BETWEEN ? AND ? AND {where} GROUP BY s.week", [metric, first, last, *params])


def _plain(value: float):
    return int(value) if float(value).is_integer() else round(value, 1)
