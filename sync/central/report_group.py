"""Writing a group of valid reports in one transaction (sync.central.group_commit hands them over).

Every report keeps the answer it would have had alone, as if the group's reports had been
saved one after the other in the order they arrived: the same upsert decides, per report, who
wins (the higher revision), and the rows of the last winner of each report are the ones left.

PostgreSQL: two round trips and one commit for the whole group. The first sends BEGIN and each
report's upsert and stored revision; the second sends the hubs' rows (in hub order) and ONE
statement that deletes the winners' old rows, inserts their new ones and records both as
week-sum changes (sync.central.week_sums), then COMMIT. Locks are taken in the same order as a
lone report's (report rows in key order, then hub rows), so writers in other processes cannot
deadlock with a group. If anything in the group fails (a report the database refuses, a
deadlock with an admin's edit), the group is rolled back and every report is written again
alone, so a failing report fails alone and the others get their own answers.

SQLite: one BEGIN IMMEDIATE, each report inside its own savepoint (a failing one is rolled back
alone), one COMMIT.
"""
from __future__ import annotations

import json

from sync.central import report_store, week_sums
from sync.central.migrations import week_of

ROWS_COLUMNS = "hub_id, " + report_store.ROWS_COLUMNS
# The winners' old rows out, their new rows in, both recorded as week-sum changes: one statement.
# The group's hubs are read by their keys (a join with every hub would scan the table), and the
# old rows are found by (hub_id, report_id): `= ANY` of the pairs keeps both on their indexes.
REPLACE_GROUP_ROWS = (
    "WITH places AS (SELECT hub_id, region, partner FROM hubs WHERE hub_id = ANY(?::text[])), "
    "leaving AS (DELETE FROM metric_rows m WHERE m.hub_id = ANY(?::text[]) AND m.report_id = ANY(?::text[]) "
    "AND (m.hub_id, m.report_id) IN (SELECT k.hub_id, k.report_id FROM json_to_recordset(?::json) "
    f"AS k(hub_id text, report_id text)) RETURNING {', '.join('m.' + c for c in ROWS_COLUMNS.split(', '))}), "
    "arriving AS (INSERT INTO metric_rows (hub_id, report_id, period_start, period_end, metric, dims, value, "
    "suppressed, revision, received_at, period_kind, week, dim_key, dim_value) "
    "SELECT r.hub_id, r.report_id, r.period_start, r.period_end, n->>0, n->>1, (n->>2)::float8, (n->>3)::int, "
    "r.revision, r.received_at, r.period_kind, r.week, n->>4, n->>5 "
    "FROM json_to_recordset(?::json) AS r(hub_id text, report_id text, period_start text, period_end text, "
    "revision int, received_at text, period_kind text, week text, rows json) "
    f"CROSS JOIN LATERAL json_array_elements(r.rows) n RETURNING {ROWS_COLUMNS}) "
    + week_sums.record_changes("leaving", "arriving", places="places"))


def save_group(db, items: list[tuple[str, dict, str]]) -> list:
    """Store (hub_id, report, received_at) items in one transaction; per item its answer or its exception."""
    if len(items) == 1:  # alone: exactly the lone report's transaction
        return [_alone(db, items[0])]
    if db.dialect == "postgresql":
        try:
            return _save_group_pipelined(db, items)
        except Exception:  # noqa: BLE001 - rolled back; each report again alone gets its own answer or error
            return [_alone(db, item) for item in items]
    return _save_group_sqlite(db, items)


def _alone(db, item):
    try:
        return report_store.save(db, *item)
    except Exception as exc:  # noqa: BLE001 - this report's own error
        return exc


def _save_group_sqlite(db, items: list) -> list:
    conn, results = db.conn(), []
    with db.tx():
        for number, item in enumerate(items):
            conn.execute(f"SAVEPOINT report{number}")
            try:
                results.append(report_store.save_in_transaction(db, *item))
            except Exception as exc:  # noqa: BLE001 - this report only; the others go on
                conn.execute(f"ROLLBACK TO report{number}")
                results.append(exc)
            conn.execute(f"RELEASE report{number}")
    return results


def _save_group_pipelined(db, items: list) -> list:
    """PostgreSQL: the whole group in two round trips and one commit (see the module's docstring)."""
    # Report rows locked in key order (a report pushed twice keeps its arrival order: sorted is stable).
    order = sorted(range(len(items)), key=lambda i: (items[i][0], items[i][1]["report_id"]))
    results: list = [None] * len(items)
    conn = db.conn()
    with conn.pipeline(), conn.transaction():
        asked = []
        for i in order:
            hub_id, report, received_at = items[i]
            period, key = report["period"], [hub_id, report["report_id"]]
            asked.append((i, conn.execute(db.sql(report_store.UPSERT), key + [
                report["revision"], period["start"], period["end"], report["generated_at"], received_at,
                report["k_threshold"], report_store.period_kind(report)]),
                conn.execute(db.sql(report_store.STORED_REVISION), key)))
        winners: dict[tuple, int] = {}  # report key -> its last winner, whose rows are the ones kept
        for i, upsert, stored in asked:
            won = upsert.fetchall()
            (revision,), = stored.fetchall()
            hub_id, report, _ = items[i]
            if won:
                results[i] = "stored"
                winners[(hub_id, report["report_id"])] = i
            else:
                results[i] = "duplicate" if revision == report["revision"] else "superseded"
        if winners:
            # The hubs' rows before the week sums, in hub order, as a lone report takes them.
            for i in sorted(winners.values(), key=lambda i: items[i][0]):
                hub_id, _, received_at = items[i]
                conn.execute(db.sql(report_store.TOUCH_HUB), [received_at, received_at, hub_id])
            hub_ids = sorted({hub_id for hub_id, _ in winners})
            conn.execute(db.sql(REPLACE_GROUP_ROWS), [
                hub_ids, hub_ids, sorted({report_id for _, report_id in winners}), json.dumps([{"hub_id": h, "report_id": r} for h, r in winners]),
                json.dumps([_arriving(*items[i]) for i in winners.values()]), ])
    return results


def _arriving(hub_id: str, report: dict, received_at: str) -> dict:
    period = report["period"]
    return {"hub_id": hub_id, "report_id": report["report_id"], "period_start": period["start"],
            "period_end": period["end"], "revision": report["revision"], "received_at": received_at,
            "period_kind": report_store.period_kind(report), "week": week_of(period["start"]),
            "rows": report_store.metric_cells(report)}
