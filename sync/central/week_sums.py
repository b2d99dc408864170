"""Week sums: every metric cell added up per week, region and partner, kept as reports arrive.

The dashboard reads these instead of adding up a year of every hub's rows on each page: a
year of 10,000 hubs is millions of rows, a week sum is one row per (week, metric, breakdown
value, region, partner). A new revision takes the old rows' contribution out and puts the
new one in, in the report's own transaction; moving a hub to another region or partner moves
its contribution. Day rows of non-additive metrics are left out, as the dashboard never adds
them into weeks.

Writers never update a sum in place. A report's transaction appends its changes to
week_sum_changes (inserts only, so two writers never wait for each other's commit on a busy
week's sums, and no index is touched), and `fold` now and then adds every change into
week_sums in one transaction, in key order, and deletes them. Readers read CURRENT, the sums
and the changes not yet folded together, so a page counts a report as soon as it is
committed, folded or not, and one statement never sees a change both folded and not.
"""
from __future__ import annotations

from collections import defaultdict

ADDITIVE = {"learning_minutes", "resources_started", "resources_completed", "exercise_attempts",
            "exercise_correct", "checkins"}
COLUMNS = "week, metric, dim_key, dim_value, region, partner, total, shown, hidden"
KEY = "week, metric, dim_key, dim_value, region, partner"
ADD_INTO_SUMS = (
    f"ON CONFLICT ({KEY}) DO UPDATE SET total = week_sums.total + excluded.total, "
    "shown = week_sums.shown + excluded.shown, hidden = week_sums.hidden + excluded.hidden")
# Straight into the sums: for loads that own the database (the benchmark's bulk loader).
UPSERT = f"INSERT INTO week_sums ({COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) " + ADD_INTO_SUMS
RECORD = f"INSERT INTO week_sum_changes ({COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
# What readers read (FROM {CURRENT} s): both databases push a query's WHERE into each branch,
# so the sums are still read from their covering index alone.
CURRENT = f"(SELECT {COLUMNS} FROM week_sums UNION ALL SELECT {COLUMNS} FROM week_sum_changes)"
_NOT_ZERO = "HAVING sum(total) <> 0 OR sum(shown) <> 0 OR sum(hidden) <> 0"
_ADDED = f"SELECT {KEY}, sum(total), sum(shown), sum(hidden)"
# PostgreSQL: the changes a statement sees leave and enter the sums at once (changes committed
# after its snapshot stay for the next fold); sums are locked in key order, so two folds never deadlock.
FOLD_POSTGRESQL = (
    f"WITH moved AS (DELETE FROM week_sum_changes RETURNING {COLUMNS}) "
    f"INSERT INTO week_sums ({COLUMNS}) {_ADDED} FROM moved GROUP BY {KEY} {_NOT_ZERO} ORDER BY {KEY} "
    + ADD_INTO_SUMS)
# SQLite: inside one write transaction nobody else writes, so the changes read are the ones deleted.
FOLD_SQLITE = (f"INSERT INTO week_sums ({COLUMNS}) {_ADDED} FROM week_sum_changes WHERE true GROUP BY {KEY} "
               f"{_NOT_ZERO} " + ADD_INTO_SUMS)


def record_changes(leaving: str, arriving: str, places: str = "") -> str:
    """PostgreSQL: record the rows of two CTEs (leaving, arriving) as week-sum changes of their hubs' places.

    The CTEs give (week, metric, dim_key, dim_value, value, suppressed, period_kind) and the
    one parameter is the hub's id; with `places` (a CTE of the group's hubs: hub_id, region,
    partner) the CTEs give hub_id first, for a group of reports from many hubs. The same
    changes as `add` then `write`, in one statement, one row per changed cell.
    """
    additive = ", ".join(f"'{name}'" for name in sorted(ADDITIVE))
    columns = ("hub_id, " if places else "") + "week, metric, dim_key, dim_value, value, suppressed, period_kind"
    hub = f"{places} h ON h.hub_id = c.hub_id" if places else "hubs h ON h.hub_id = ?"
    return (
        f"INSERT INTO week_sum_changes ({COLUMNS}) "
        "SELECT c.week, c.metric, c.dim_key, c.dim_value, h.region, h.partner, "
        "sum(c.sign * coalesce(c.value, 0)), sum(c.sign * (1 - c.suppressed)), sum(c.sign * c.suppressed) "
        f"FROM (SELECT {columns}, -1 AS sign FROM {leaving} UNION ALL SELECT {columns}, 1 FROM {arriving}) c "
        f"JOIN {hub} WHERE c.period_kind = 'week' OR c.metric IN ({additive}) "
        "GROUP BY c.week, c.metric, c.dim_key, c.dim_value, h.region, h.partner "
        "HAVING sum(c.sign * coalesce(c.value, 0)) <> 0 OR sum(c.sign * (1 - c.suppressed)) <> 0 "
        "OR sum(c.sign * c.suppressed) <> 0")


def fold(db) -> None:
    """Add every recorded change into the week sums and delete it, in one transaction (not inside another)."""
    if db.dialect == "postgresql":
        db.execute(FOLD_POSTGRESQL)
        # The deleted changes' space is free again at once: without this the table grows until
        # autovacuum comes by (a minute), and every page and fold reads through the dead rows.
        db.execute("VACUUM week_sum_changes")
        return
    with db.tx():
        db.execute(FOLD_SQLITE)
        db.execute("DELETE FROM week_sum_changes")


def counted(metric: str, period_kind: str) -> bool:
    """Whether a row of this metric and period kind goes into the week sums."""
    return period_kind == "week" or metric in ADDITIVE


def add(deltas: dict, rows, sign: int) -> None:
    """Add (sign 1) or take out (sign -1) rows (week, metric, dim_key, dim_value, value, suppressed, kind)."""
    for week, metric, dim_key, dim_value, value, suppressed, kind in rows:
        if not counted(metric, kind):
            continue
        cell = deltas[(week, metric, dim_key, dim_value)]
        cell[0] += sign * (value or 0)
        cell[1] += sign * (0 if suppressed else 1)
        cell[2] += sign * (1 if suppressed else 0)


def new_deltas() -> dict:
    """An empty set of changes."""
    return defaultdict(lambda: [0.0, 0, 0])


def write(db, deltas: dict, region: str, partner: str) -> None:
    """Record the changes for one region and partner (inside the caller's transaction)."""
    db.executemany(RECORD, [[*key, region, partner, *cell] for key, cell in deltas.items()
                            if cell != [0.0, 0, 0]])


def hub_rows(db, hub_id: str) -> list:
    """Every stored row of a hub, in the shape `add` takes."""
    return db.execute("SELECT week, metric, dim_key, dim_value, value, suppressed, period_kind FROM metric_rows "
                      "WHERE hub_id = ?", [hub_id])


def move_hub(db, hub_id: str, old: tuple[str, str], new: tuple[str, str]) -> None:
    """A hub changed region or partner: move its contribution (inside the caller's transaction)."""
    if old == new:
        return
    rows = hub_rows(db, hub_id)
    out, into = new_deltas(), new_deltas()
    add(out, rows, -1)
    add(into, rows, 1)
    write(db, out, *old)
    write(db, into, *new)


BACKFILL = """
INSERT INTO week_sums (week, metric, dim_key, dim_value, region, partner, total, shown, hidden)
SELECT m.week, m.metric, m.dim_key, m.dim_value, h.region, h.partner, coalesce(sum(m.value), 0),
       sum(1 - m.suppressed), sum(m.suppressed)
FROM metric_rows m JOIN hubs h ON h.hub_id = m.hub_id
WHERE m.period_kind = 'week' OR m.metric IN ('learning_minutes', 'resources_started', 'resources_completed',
                                             'exercise_attempts', 'exercise_correct', 'checkins')
GROUP BY m.week, m.metric, m.dim_key, m.dim_value, h.region, h.partner
"""
