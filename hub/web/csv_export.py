"""CSV files for spreadsheets: the dashboard aggregates and a group's progress."""
from __future__ import annotations

import csv
import io

# Cells a spreadsheet would run as a formula: prefix them so they stay text.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value) -> str:
    if value is None:
        return ""
    text = str(value)
    if text.startswith(_FORMULA_START) and not _is_number(text):
        return "'" + text
    return text


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def to_csv(header: list[str], rows) -> str:
    """Render rows (sequences) under a header as CSV text (formula-safe cells)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([_cell(h) for h in header])
    for row in rows:
        writer.writerow([_cell(v) for v in row])
    return out.getvalue()


# sync.metrics.dashboard's ranked lists: section -> (key field, detail field or None).
_RANKED = {"top_resources": ("resource", "title"), "completions_by_pack": ("pack", "title"),
           "completions_by_language": ("language", None), "checkins_by_mood": ("mood", None)}


def dashboard_rows(dashboard: dict) -> list[tuple]:
    """Flatten sync.metrics.dashboard(...) into (section, key, detail, value) rows."""
    rows: list[tuple] = []
    if dashboard.get("as_of"):  # how fresh the figures are: the background rolled them up then
        rows.append(("figures_as_of", dashboard["as_of"], "", ""))
    for day in dashboard.get("days", []):
        rows += [(name, day["date"], "", day[name]) for name in ("active_learners", "learning_minutes")]
    for section, (key, detail) in _RANKED.items():
        rows += [(section, item[key], item.get(detail, "") if detail else "", item["count"])
                 for item in dashboard.get(section, [])]
    rows += [("totals", name, "", value) for name, value in dashboard.get("totals", {}).items()]
    # Life skills: learners observed, then each skill's average (none when nobody was scored).
    rows += [("life_skills", name, "", value) for name, value in dashboard.get("life_skills", {}).items()
             if value is not None]
    return rows


def dashboard_csv(dashboard: dict) -> str:
    """The dashboard aggregates as CSV (section, key, detail, value)."""
    return to_csv(["section", "key", "detail", "value"], dashboard_rows(dashboard))
