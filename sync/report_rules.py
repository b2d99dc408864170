"""What a hub-report/1 must satisfy beyond its JSON Schema, in one place.

The hub's `sync.report.validate` (the reference, with jsonschema) and the central's fast check
(`sync.central.validation`, with fastjsonschema) both end here, so the two can never disagree.
"""
from __future__ import annotations

import datetime as dt

from sync import privacy


def problems(report: dict) -> list[dict]:
    """Period order, whole ISO weeks named by their week, allowed breakdowns, no row twice."""
    found = []
    if report["period"]["start"] > report["period"]["end"]:
        found.append({"field": "period", "message": "start is after end"})
    try:
        start = dt.date.fromisoformat(report["period"]["start"])
        dt.date.fromisoformat(report["period"]["end"])
    except ValueError:  # "2026-13-01" has the shape of a date, not a date
        return found + [{"field": "period", "message": "start and end must be real dates"}]
    if report["period"].get("kind") == "week":
        year, number, weekday = start.isocalendar()
        if weekday != 1 or report["period"]["end"] != (start + dt.timedelta(days=6)).isoformat():
            found.append({"field": "period", "message": "a week runs from a Monday to the Sunday after it"})
        elif report["report_id"] != f"week-{year}-W{number:02d}":
            # One id per week: two ids for one week would be counted twice upstream.
            found.append({"field": "report_id", "message": f"the week of {start} is week-{year}-W{number:02d}"})
    seen = set()
    for index, row in enumerate(report["metrics"]):
        if not privacy.allowed(row["name"], row["dims"]):
            found.append({"field": f"metrics/{index}/dims",
                          "message": f"{row['name']} has no breakdown {sorted(row['dims'])}"})
        # As distinct as the dims' JSON (1, 1.0 and true differ), without writing it out for every row.
        key = (row["name"], tuple(sorted((name, type(value).__name__, value) for name, value in row["dims"].items())))
        if key in seen:
            found.append({"field": f"metrics/{index}", "message": "the same metric and dims twice"})
        seen.add(key)
    return found[:50]
