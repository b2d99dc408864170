"""Reports `hub-report/1`: build (one per hub per day, suppressed), validate against the schema.

report_id is stable for a day ("daily-YYYY-MM-DD"); when a later rollup changes a closed
day's numbers (late events), the next build of that day is a new revision.
"""
from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
from pathlib import Path

from sqlite_utils import Database

from sync import metrics, outbox, privacy, state, upstream

SCHEMA_PATH = Path(__file__).with_name("hub-report-1.schema.json")
SCHEMA = "hub-report/1"


@functools.lru_cache(maxsize=1)
def _validator():
    from jsonschema import Draft202012Validator

    return Draft202012Validator(json.loads(SCHEMA_PATH.read_text(encoding="utf-8")))


def validate(report) -> list[dict]:
    """Problems of a report as [{"field", "message"}]; empty when it is a valid hub-report/1."""
    found = [{"field": "/".join(str(p) for p in err.absolute_path) or "(report)", "message": err.message}
             for err in sorted(_validator().iter_errors(report), key=lambda e: list(map(str, e.absolute_path)))]
    if found or not isinstance(report, dict):
        return found[:50]
    if report["period"]["start"] > report["period"]["end"]:
        found.append({"field": "period", "message": "start is after end"})
    seen = set()
    for index, row in enumerate(report["metrics"]):
        if not privacy.allowed(row["name"], row["dims"]):
            found.append({"field": f"metrics/{index}/dims",
                          "message": f"{row['name']} has no breakdown {sorted(row['dims'])}"})
        key = (row["name"], json.dumps(row["dims"], sort_keys=True))
        if key in seen:
            found.append({"field": f"metrics/{index}", "message": "the same metric and dims twice"})
        seen.add(key)
    return found[:50]


def encode(report: dict) -> bytes:
    """The exact bytes that are signed and sent."""
    return json.dumps(report, ensure_ascii=True, separators=(",", ":")).encode("utf-8")


def report_id(day: dt.date) -> str:
    """The stable id of a day's report."""
    return f"daily-{day.isoformat()}"


def day_metrics(db: Database, day: dt.date, k: int) -> list[dict]:
    """A rolled-up day's report rows, suppressed."""
    return privacy.suppress(metrics.daily_rows(db, day, day), k)


def _digest(hub_id: str, k: int, rows: list[dict]) -> str:
    return hashlib.sha256(json.dumps([hub_id, k, rows], sort_keys=True).encode()).hexdigest()


def build(db: Database, settings: dict, day: dt.date, *, revision: int = 1,
          now: dt.datetime | None = None) -> dict:
    """The report of one rolled-up day (not stored)."""
    k = int(settings["HUB_K_THRESHOLD"])
    return {"schema": SCHEMA, "hub_id": upstream.config(settings)["hub_id"],
            "report_id": report_id(day), "revision": revision,
            "period": {"start": day.isoformat(), "end": day.isoformat()},
            "generated_at": state.iso(now or state.utc_now()), "k_threshold": k,
            "metrics": day_metrics(db, day, k)}


def build_closed_days(db: Database, settings: dict, *, now: dt.datetime | None = None) -> list[dict]:
    """Roll up, then put a new report (or revision) in the outbox for each closed day that changed."""
    hub_id = upstream.config(settings)["hub_id"]
    if not hub_id:
        return []  # not registered: nothing can be addressed to the central yet
    tz = metrics.hub_timezone(db, settings)
    today = metrics.local_today(tz, now)
    metrics.rollup_pending(db, tz, until=today - dt.timedelta(days=1))
    k = int(settings["HUB_K_THRESHOLD"])
    made = []
    for day in metrics.days_with_data(db, today):
        rows = day_metrics(db, day, k)
        digest = _digest(hub_id, k, rows)
        known = db.execute("SELECT revision, digest FROM sync_reports WHERE day = ?",
                           [day.isoformat()]).fetchone()
        if known and known[1] == digest:
            continue
        revision = known[0] + 1 if known else 1
        report = build(db, settings, day, revision=revision, now=now)
        report["metrics"] = rows
        problems = validate(report)
        if problems:
            raise ValueError(f"report for {day} is invalid: {problems[0]}")
        with db.atomic():
            db.execute("INSERT INTO sync_reports (day, report_id, revision, digest) VALUES (?, ?, ?, ?) "
                       "ON CONFLICT(day) DO UPDATE SET revision = excluded.revision, digest = excluded.digest",
                       [day.isoformat(), report["report_id"], revision, digest])
            outbox.enqueue(db, report, encode(report), now=now)
        made.append(report)
    return made


def push_now(db: Database, settings: dict, progress=None) -> outbox.PushResult:
    """Roll up closed days, build their reports and send everything waiting now."""
    build_closed_days(db, settings)
    return outbox.push(db, settings, force=True, progress=progress)


def preview(db: Database, settings: dict) -> dict:
    """Exactly what would leave the hub next: the oldest waiting report, else the newest day's."""
    waiting = outbox.next_body(db)
    if waiting is not None:
        return json.loads(waiting)
    tz = metrics.hub_timezone(db, settings)
    today = metrics.local_today(tz)
    metrics.rollup_pending(db, tz, until=today - dt.timedelta(days=1))
    days = metrics.days_with_data(db, today)
    if not days:
        return {}
    known = db.execute("SELECT revision FROM sync_reports WHERE day = ?", [days[-1].isoformat()]).fetchone()
    return build(db, settings, days[-1], revision=known[0] if known else 1)
