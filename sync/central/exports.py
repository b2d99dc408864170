"""Exports of stored rows: CSV and JSON (the CLI's and the dashboard's), and DHIS2 dataValueSets.

A DHIS2 mapping file is {"dataSet": "CODE", "orgUnits": {"HUB_ID": "OU"}, "dataElements":
{"METRIC": "DE"}}. Only totals (no breakdown) of weekly reports go out, as ISO week periods
(2026W49, DHIS2's weekly period); suppressed values are left out, never sent as 0, and hubs or
metrics the mapping does not name are ignored.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import json

from sync.central.report_store import EXPORT_COLUMNS


def _cell(row: dict, column: str):
    value = row[column]
    if column == "dims":
        return json.dumps(value, sort_keys=True)
    if value is None:
        return ""
    return str(value).lower() if column == "suppressed" else value


def csv_lines(rows: list[dict]):
    """The rows as CSV text, line by line (header first), for streaming."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(EXPORT_COLUMNS)
    for index, row in enumerate(rows):
        writer.writerow([_cell(row, c) for c in EXPORT_COLUMNS])
        if index % 500 == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def csv_text(rows: list[dict]) -> str:
    """The rows as one CSV text with the contract's columns."""
    return "".join(csv_lines(rows))


def iso_week(day: str) -> str:
    """The DHIS2 weekly period of a day: 2026W49 (ISO year and week)."""
    year, week, _ = dt.date.fromisoformat(day).isocalendar()
    return f"{year}W{week}"


class MappingError(ValueError):
    """A DHIS2 mapping file that cannot be used (one problem per line)."""


def read_mapping(text: str) -> dict:
    """A DHIS2 mapping from its JSON text; MappingError naming every problem."""
    try:
        mapping = json.loads(text)
    except ValueError as exc:
        raise MappingError(f"not JSON: {exc}") from exc
    problems = []
    if not isinstance(mapping, dict):
        raise MappingError("a JSON object {dataSet, orgUnits, dataElements} is needed")
    if not isinstance(mapping.get("dataSet"), str) or not mapping.get("dataSet"):
        problems.append("dataSet: a data set code (text) is needed")
    for key in ("orgUnits", "dataElements"):
        part = mapping.get(key)
        if not isinstance(part, dict) or not all(isinstance(v, str) and v for v in part.values()):
            problems.append(f"{key}: an object of codes (text) is needed")
    unknown = sorted(set(mapping) - {"dataSet", "orgUnits", "dataElements"})
    problems += [f"{key}: unknown field" for key in unknown]
    if problems:
        raise MappingError("\n".join(problems))
    return mapping


def dhis2(rows: list[dict], mapping: dict) -> dict:
    """A dataValueSets document: mapped hubs and metrics, weekly totals, suppressed left out."""
    units, elements = mapping["orgUnits"], mapping["dataElements"]
    values = [{"dataElement": elements[r["metric"]], "period": iso_week(r["period_start"]),
               "orgUnit": units[r["hub_id"]], "value": str(r["value"])}
              for r in rows
              if r["period_kind"] == "week" and not r["dims"] and not r["suppressed"] and r["value"] is not None
              and r["metric"] in elements and r["hub_id"] in units]
    return {"dataSet": mapping["dataSet"], "dataValues": values}
