"""Week sums: every metric cell added up per week, region and partner, kept as reports arrive.

The dashboard reads these instead of adding up a year of every hub's rows on each page: a
year of 10,000 hubs is millions of rows, a week sum is one row per (week, metric, breakdown
value, region, partner). A new revision takes the old rows' contribution out and puts the
new one in, in the report's own transaction; moving a hub to another region or partner moves
its contribution. Rows are upserted in key order, so concurrent writers lock them in the
same order and never deadlock. Day rows of non-additive metrics are left out, as the
dashboard never adds them into weeks.
"""
from __future__ import annotations

from collections import defaultdict

ADDITIVE = {"learning_minutes", "resources_started", "resources_completed", "exercise_attempts",
            "exercise_correct", "checkins"}
UPSERT = (
    "INSERT INTO week_sums (week, metric, dim_key, dim_value, region, partner, total, shown, hidden) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (week, metric, dim_key, dim_value, region, partner) "
    "DO UPDATE SET total = week_sums.total + excluded.total, shown = week_sums.shown + excluded.shown, "
    "hidden = week_sums.hidden + excluded.hidden")


def upsert_changes(leaving: str, arriving: str, places: str = "") -> str:
    """PostgreSQL: apply the rows of two CTEs (leaving, arriving) to the week sums of their hubs' places.

    The CTEs give (week, metric, dim_key, dim_value, value, suppressed, period_kind) and the
    one parameter is the hub's id; with `places` (a CTE of the group's hubs: hub_id, region,
    partner) the CTEs give hub_id first, for a group of reports from many hubs. The same sums
    as `add` then `write`, in one statement, upserted in key order.
    """
    additive = ", ".join(f"'{name}'" for name in sorted(ADDITIVE))
    columns = ("hub_id, " if places else "") + "week, metric, dim_key, dim_value, value, suppressed, period_kind"
    hub = f"{places} h ON h.hub_id = c.hub_id" if places else "hubs h ON h.hub_id = ?"
    return (
        "INSERT INTO week_sums (week, metric, dim_key, dim_value, region, partner, total, shown, hidden) "
        "SELECT c.week, c.metric, c.dim_key, c.dim_value, h.region, h.partner, "
        "sum(c.sign * coalesce(c.value, 0)), sum(c.sign * (1 - c.suppressed)), sum(c.sign * c.suppressed) "
        f"FROM (SELECT {columns}, -1 AS sign FROM {leaving} UNION ALL SELECT {columns}, 1 FROM {arriving}) c "
        f"JOIN {hub} WHERE c.period_kind = 'week' OR c.metric IN ({additive}) "
        "GROUP BY c.week, c.metric, c.dim_key, c.dim_value, h.region, h.partner "
        "HAVING sum(c.sign * coalesce(c.value, 0)) <> 0 OR sum(c.sign * (1 - c.suppressed)) <> 0 "
        "OR sum(c.sign * c.suppressed) <> 0 "
        "ORDER BY c.week, c.metric, c.dim_key, c.dim_value, h.region, h.partner "  # key order, as `write`
        + UPSERT[UPSERT.index("ON CONFLICT"):])


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
    """Apply the changes for one region and partner (inside the caller's transaction)."""
    db.executemany(UPSERT, [[*key, region, partner, *cell] for key, cell in sorted(deltas.items())
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
