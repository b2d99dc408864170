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


def dashboard_rows(dashboard: dict) -> list[tuple]:
    """Flatten a metrics dashboard into (section, key, detail, value) rows."""
    rows: list[tuple] = []
    for section, items in dashboard.items():
        if isinstance(items, dict):
            for key, value in items.items():
                if isinstance(value, dict):
                    for detail, inner in value.items():
                        rows.append((section, key, detail, inner))
                else:
                    rows.append((section, key, "", value))
        elif isinstance(items, list):
            for item in items:
                if isinstance(item, dict):
                    values = list(item.values())
                    key = values[0] if values else ""
                    detail = " ".join(str(v) for v in values[1:-1])
                    rows.append((section, key, detail, values[-1] if len(values) > 1 else ""))
                elif isinstance(item, (list, tuple)):
                    rows.append((section, item[0], " ".join(map(str, item[1:-1])), item[-1]))
                else:
                    rows.append((section, item, "", ""))
        else:
            rows.append((section, "", "", items))
    return rows


def dashboard_csv(dashboard: dict) -> str:
    """The dashboard aggregates as CSV (section, key, detail, value)."""
    return to_csv(["section", "key", "detail", "value"], dashboard_rows(dashboard))
