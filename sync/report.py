"""Reports `hub-report/1`: one per closed ISO week (sync.weeks), suppressed (sync.suppression).

report_id is stable for a week ("week-YYYY-Www"). A week is frozen once built: late events
for it make a new revision only when they come from at least k learners.
"""
from __future__ import annotations

import datetime as dt
import functools
import json
import logging
from pathlib import Path

from sqlite_utils import Database

from sync import metrics, outbox, report_rules, state, suppression, upstream, week_cells, weeks

log = logging.getLogger("hub.sync")
EVENT_DAY_SQL = metrics.EVENT_DAY_SQL  # the one rule for the time an event counts at
SETTLE = dt.timedelta(seconds=30)

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
    return report_rules.problems(report)


def encode(report: dict) -> bytes:
    """The exact bytes that are signed and sent."""
    return json.dumps(report, ensure_ascii=True, separators=(",", ":")).encode("utf-8")


def week_facts(db: Database, wk: weeks.Week, *, until: str, old_until: str | None = None):
    """(facts, catalog, learners of the week) of a week's events received up to `until`;
    with `old_until`, the facts say how each cell changed since that revision."""
    cat = week_cells.catalog(db)
    new = week_cells.compute(db, wk.start, wk.end, cat, until=until)
    old = late = None
    if old_until is not None:
        old = week_cells.compute(db, wk.start, wk.end, cat, until=old_until)
        late = week_cells.compute(db, wk.start, wk.end, cat, after=old_until, until=until)
    everyone = set().union(*(cell.actors for cell in new.values())) if new else set()
    return suppression.facts(new, old, late), cat, week_cells.learners_of(everyone)


def build(db: Database, settings: dict, wk: weeks.Week, *, revision: int = 1, until: str | None = None,
          old_until: str | None = None, now: dt.datetime | None = None) -> dict:
    """The report of one week (not stored): suppressed, on the fixed grid."""
    k = int(settings["HUB_K_THRESHOLD"])
    now = now or state.utc_now()
    found, cat, learners = week_facts(db, wk, until=until or week_cells.ALWAYS, old_until=old_until)
    return {"schema": SCHEMA, "hub_id": upstream.config(settings)["hub_id"],
            "report_id": wk.report_id, "revision": revision, "period": wk.period,
            "generated_at": state.iso(now), "k_threshold": k,
            "metrics": suppression.publish(found, k, cat.grid(), learners)}


def late_learners(db: Database, wk: weeks.Week, until: str) -> int:
    """How many learners sent events for a frozen week after it was built (anonymous: one)."""
    cat = week_cells.catalog(db)
    late = week_cells.compute(db, wk.start, wk.end, cat, after=wk.frozen["watermark"], until=until)
    return week_cells.learners_of(set().union(*(c.actors for c in late.values())) if late else set())


def _touched_days(db: Database, after: str, until: str) -> set[str]:
    """UTC days (YYYY-MM-DD) at which the events received in (after, until] count: only weeks
    holding one of them can have late events (found through the receive index, not a scan)."""
    cursor = db.execute(f"SELECT DISTINCT substr({EVENT_DAY_SQL}, 1, 10) FROM events "
                        "WHERE received_at > ? AND received_at <= ?", [after, until])
    return {row[0] for row in cursor}


def _watermark(db: Database, now: dt.datetime) -> str:
    # Not into the last seconds: an event stamped then may still be committing.
    newest = db.execute("SELECT max(received_at) FROM events").fetchone()[0] or ""
    return min(newest, state.iso(now - SETTLE)) if newest else state.iso(now - SETTLE)


def build_closed_weeks(db: Database, settings: dict, *, now: dt.datetime | None = None) -> list[dict]:
    """Queue the report of every closed week not built yet, and a revision of a built week
    when at least k learners sent events for it since. A week that fails is logged and noted
    (week_errors, shown on the Sync page); the others go on."""
    if not upstream.config(settings)["hub_id"]:
        return []  # not registered: nothing can be addressed to the central yet
    now = now or state.utc_now()
    tz = metrics.hub_timezone(db, settings)
    k = int(settings["HUB_K_THRESHOLD"])
    until = _watermark(db, now)
    touched = _touched_days(db, state.get(db, "weeks_checked_until", ""), until)
    made, errors = [], {}
    for wk in weeks.closed_weeks(db, tz, now):
        try:
            if wk.frozen is None:
                report = build(db, settings, wk, until=until, now=now)
            elif (wk.frozen["watermark"] < until and any(wk.start[:10] <= d <= wk.end[:10] for d in touched)
                  and late_learners(db, wk, until) >= k):
                report = build(db, settings, wk, revision=wk.frozen["revision"] + 1, until=until,
                               old_until=wk.frozen["watermark"], now=now)
            else:
                continue  # frozen: late events from fewer than k learners wait on the hub
            problems = validate(report)
            if problems:
                raise ValueError(f"{problems[0]['field']}: {problems[0]['message']}")
            with db.atomic():
                weeks.freeze(db, wk, report["revision"], until, now)
                outbox.enqueue(db, report, encode(report), now=now)
            made.append(report)
        except Exception as exc:  # noqa: BLE001 - one bad week must never stop the others
            log.exception("report for %s could not be built", wk.report_id)
            errors[wk.report_id] = f"{type(exc).__name__}: {exc}"
    state.put(db, "week_errors", errors)
    state.put(db, "weeks_checked_until", until)
    return made


def push_now(db: Database, settings: dict, progress=None) -> outbox.PushResult:
    """Build the reports of closed weeks and send everything waiting now."""
    build_closed_weeks(db, settings)
    return outbox.push(db, settings, force=True, progress=progress)


def so_far(db: Database, settings: dict, now: dt.datetime | None = None) -> dict:
    """The open week's report as it would be sent if the week ended now (not final, not stored)."""
    now = now or state.utc_now()
    wk = weeks.open_week(db, metrics.hub_timezone(db, settings), now)
    return build(db, settings, wk, until=state.iso(now), now=now)


def preview(db: Database, settings: dict) -> dict:
    """Exactly what would leave the hub next: the oldest waiting report, else the open week so far."""
    waiting = outbox.next_body(db)
    if waiting is not None:
        return json.loads(waiting)
    return so_far(db, settings)


def week_errors(db: Database) -> dict:
    """{report_id: why} for the weeks whose report could not be built at the last try."""
    return state.get(db, "week_errors", {}) or {}
