"""Reports and their metric rows: the idempotent upsert (higher revision wins) and the export rows.

One statement decides who wins: an INSERT ... ON CONFLICT DO UPDATE ... WHERE the stored
revision is lower. On PostgreSQL it locks the report's row until the transaction ends, so
concurrent pushes of the same report queue on that row and the higher revision is the one
left; on SQLite the write transaction (BEGIN IMMEDIATE) does the same for the whole file.
The metric rows of the winner replace the loser's in the same transaction.
"""
from __future__ import annotations

import json

from sync.central import week_sums
from sync.central.migrations import dim_parts, week_of
from sync.central.scope import Scope, rows_filter

EXPORT_COLUMNS = ["hub_id", "period_start", "period_end", "period_kind", "metric", "dims", "value",
                  "suppressed", "revision", "received_at"]

UPSERT = (
    "INSERT INTO reports (hub_id, report_id, revision, period_start, period_end, generated_at, received_at, "
    "k_threshold, period_kind) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) "
    "ON CONFLICT (hub_id, report_id) DO UPDATE SET revision = excluded.revision, "
    "period_start = excluded.period_start, period_end = excluded.period_end, "
    "generated_at = excluded.generated_at, received_at = excluded.received_at, "
    "k_threshold = excluded.k_threshold, period_kind = excluded.period_kind "
    "WHERE reports.revision < excluded.revision RETURNING revision")
INSERT_ROW = (
    "INSERT INTO metric_rows (hub_id, report_id, period_start, period_end, metric, dims, value, suppressed, "
    "revision, received_at, period_kind, week, dim_key, dim_value) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")


ROWS_COLUMNS = "week, metric, dim_key, dim_value, value, suppressed, period_kind"
# PostgreSQL: the old revision's rows out, the new ones in and both recorded as week-sum changes, in one
# statement. It runs after the upsert has locked the report's row, so its snapshot holds every
# committed row of this report (READ COMMITTED takes one per statement).
REPLACE_ROWS = (
    f"WITH leaving AS (DELETE FROM metric_rows WHERE hub_id = ? AND report_id = ? RETURNING {ROWS_COLUMNS}), "
    "arriving AS (INSERT INTO metric_rows (hub_id, report_id, period_start, period_end, metric, dims, value, "
    "suppressed, revision, received_at, period_kind, week, dim_key, dim_value) "
    "SELECT ?, ?, ?, ?, n->>0, n->>1, (n->>2)::float8, (n->>3)::int, ?, ?, ?, ?, n->>4, n->>5 "
    f"FROM json_array_elements(?::json) n RETURNING {ROWS_COLUMNS}) "  # the rows as one JSON text: cheap to send
    + week_sums.record_changes("leaving", "arriving"))
STORED_REVISION = "SELECT revision FROM reports WHERE hub_id = ? AND report_id = ?"
TOUCH_HUB = ("UPDATE hubs SET last_report_at = CASE WHEN last_report_at IS NULL OR last_report_at < ? THEN ? "
             "ELSE last_report_at END WHERE hub_id = ?")


_DIMS_KEPT = 4096  # dims seen (a few dozen in a program: packs, kinds, languages, moods)
_dims_texts: dict[tuple, tuple[str, str, str]] = {}


def dims_texts(dims: dict) -> tuple[str, str, str]:
    """(dims as stored JSON, breakdown key, value as text) of a row; worked out once per distinct dims."""
    key = tuple((name, type(value), value) for name, value in dims.items())
    found = _dims_texts.get(key)
    if found is None:
        found = (json.dumps(dims, sort_keys=True), *dim_parts(dims))
        if len(_dims_texts) >= _DIMS_KEPT:
            _dims_texts.clear()
        _dims_texts[key] = found
    return found


def metric_cells(report: dict) -> list:
    """[name, dims JSON, value, suppressed 0/1, breakdown key, value text] of each of a report's rows."""
    cells = []
    for m in report["metrics"]:
        dims, key, value = dims_texts(m["dims"])
        cells.append([m["name"], dims, m["value"], int(m["suppressed"]), key, value])
    return cells


def period_kind(report: dict) -> str:
    """'week' or 'day' (reports of older hubs carry no kind: one day each)."""
    return report["period"].get("kind") or "day"


def save(db, hub_id: str, report: dict, received_at: str) -> str:
    """Store a valid report: 'stored', 'duplicate' (same revision) or 'superseded' (older)."""
    if db.dialect == "postgresql":
        return _save_pipelined(db, hub_id, report, received_at)
    with db.tx():
        return save_in_transaction(db, hub_id, report, received_at)


def save_in_transaction(db, hub_id: str, report: dict, received_at: str) -> str:
    """`save` inside the caller's write transaction (SQLite; sync.central.report_group uses it per savepoint)."""
    period, revision = report["period"], report["revision"]
    kind, week = period_kind(report), week_of(period["start"])
    key = [hub_id, report["report_id"]]
    won = db.execute(UPSERT, key + [revision, period["start"], period["end"], report["generated_at"],
                                    received_at, report["k_threshold"], kind])
    if not won:
        (stored,), = db.execute(STORED_REVISION, key)
        return "duplicate" if stored == revision else "superseded"
    deltas = week_sums.new_deltas()
    # The old revision's rows leave the week sums as they leave the table: one round trip.
    week_sums.add(deltas, db.execute(
        "DELETE FROM metric_rows WHERE hub_id = ? AND report_id = ? "
        "RETURNING week, metric, dim_key, dim_value, value, suppressed, period_kind", key), -1)
    new = [key + [period["start"], period["end"], name, dims, value, suppressed, revision, received_at, kind, week,
                  dim_key, dim_value] for name, dims, value, suppressed, dim_key, dim_value in metric_cells(report)]
    db.executemany(INSERT_ROW, new)
    week_sums.add(deltas, [(r[11], r[4], r[12], r[13], r[6], r[7], r[10]) for r in new], 1)
    # Locks the hub's row too, so a move to another region waits for this report (and vice versa).
    (place,) = db.execute(TOUCH_HUB + " RETURNING region, partner", [received_at, received_at, hub_id])
    week_sums.write(db, deltas, *place)
    return "stored"


def _save_pipelined(db, hub_id: str, report: dict, received_at: str) -> str:
    """PostgreSQL: `save` in two round trips (psycopg pipeline): BEGIN + upsert; then the rest + COMMIT.

    The upsert's answer decides whether anything else is written, so it is read first; the
    statements after it depend on nothing the client must see and go out together.
    """
    period, revision = report["period"], report["revision"]
    kind, week = period_kind(report), week_of(period["start"])
    key = [hub_id, report["report_id"]]
    conn = db.conn()
    with conn.pipeline(), conn.transaction():
        won = conn.execute(db.sql(UPSERT), key + [revision, period["start"], period["end"], report["generated_at"],
                                                 received_at, report["k_threshold"], kind]).fetchall()
        if not won:
            (stored,), = conn.execute(db.sql(STORED_REVISION), key).fetchall()
            return "duplicate" if stored == revision else "superseded"
        # The hub's row first (as update_hub does), so a move to another region waits for this report.
        conn.execute(db.sql(TOUCH_HUB), [received_at, received_at, hub_id])
        rows = json.dumps(metric_cells(report))
        conn.execute(db.sql(REPLACE_ROWS), key + key + [period["start"], period["end"], revision, received_at, kind,
                                                        week, rows, hub_id])
    return "stored"


def plain_number(value):
    """A stored value as the report sent it: 7, not 7.0."""
    return int(value) if value is not None and float(value).is_integer() else value


def rows(db, *, metric: str | None = None, hub_id: str | None = None, since: str | None = None,
         scope: Scope | None = None, region: str | None = None, partner: str | None = None) -> list[dict]:
    """Stored metric rows in the export shape, filtered by metric, hub, start day, region, partner, scope."""
    where, params = rows_filter(scope, hub=hub_id, region=region, partner=partner)
    if metric:
        where += " AND m.metric = ?"
        params.append(metric)
    if since:
        where += " AND m.period_start >= ?"
        params.append(since)
    found = db.execute(
        "SELECT m.hub_id, m.period_start, m.period_end, m.period_kind, m.metric, m.dims, m.value, m.suppressed, "
        f"m.revision, m.received_at FROM metric_rows m WHERE {where} "
        "ORDER BY m.hub_id, m.period_start, m.metric, m.dim_key, m.dim_value", params)
    return [{"hub_id": h, "period_start": s, "period_end": e, "period_kind": k, "metric": m,
             "dims": json.loads(d), "value": plain_number(v), "suppressed": bool(x), "revision": r,
             "received_at": t} for h, s, e, k, m, d, v, x, r, t in found]
