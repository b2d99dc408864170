"""The metrics and breakdowns a report may carry (BREAKDOWNS, allowed), and the first wave's
per-breakdown suppression rule (suppress), kept for daily figures and as the baseline the
attack tests show leaking. Weekly reports are suppressed by sync.suppression.

Rules (docs/privacy.md says them in plain words):
1. Only the contract's metrics and breakdowns are kept; nothing else is ever copied across.
2. Primary: a cell computed from fewer than k learners (or anonymous sessions) is hidden.
3. Complementary: within one breakdown of a metric whose total is shown, a hidden cell must
   not be recoverable as total minus the shown cells. So the hidden cells of a breakdown are
   never alone (at least two), and together they must hold more than the least they could
   (otherwise each would be known: e.g. two hidden cells adding up to 2 are 1 and 1). The
   smallest shown cells are hidden too until that holds. If even hiding every cell does not
   hold, the whole metric is hidden for that day, total included.
"""
from __future__ import annotations

# name -> the breakdowns (dims keys) a report may carry; '' is the total.
BREAKDOWNS: dict[str, tuple[str, ...]] = {
    "active_learners": ("", "pack", "language"),
    "active_sessions": ("",),
    "learning_minutes": ("", "pack", "kind"),
    "resources_started": ("", "pack", "kind", "language"),
    "resources_completed": ("", "pack", "kind", "language"),
    "exercise_attempts": ("", "pack"),
    "exercise_correct": ("", "pack"),
    "checkins": ("mood",),
    "returning_learners": ("",),
}
# The least a shown-to-exist cell can hold: counts of something that happened are >= 1.
LOWER_BOUND = {"learning_minutes": 0, "exercise_correct": 0}


def breakdown_of(dims: dict) -> str | None:
    """The breakdown key of a dims object ('' for the total), None when not one key."""
    if not dims:
        return ""
    return next(iter(dims)) if len(dims) == 1 else None


def allowed(name: str, dims: dict) -> bool:
    """True when a metric row may appear in a report at all."""
    return name in BREAKDOWNS and breakdown_of(dims) in BREAKDOWNS[name]


def _hidden_is_safe(hidden: list[dict], lower: float) -> bool:
    return len(hidden) >= 2 and sum(c["value"] for c in hidden) > lower * len(hidden)


def _protect(cells: list[dict], lower: float) -> bool:
    """Hide more cells of one breakdown until no hidden one is recoverable; False if impossible."""
    hidden = [c for c in cells if c["suppressed"]]
    if not hidden:
        return True
    shown = sorted((c for c in cells if not c["suppressed"]),
                   key=lambda c: (c["value"], c["learners"], sorted(c["dims"].items())))
    while not _hidden_is_safe(hidden, lower):
        if not shown:
            return False
        cell = shown.pop(0)
        cell["suppressed"] = True
        hidden.append(cell)
    return True


def suppress(cells, k: int) -> list[dict]:
    """Report rows {name, value, suppressed, dims} from cells {name, dims, value, learners}."""
    rows = [{"name": c["name"], "dims": dict(c["dims"]), "value": c["value"],
             "learners": c["learners"], "suppressed": c["learners"] < k}
            for c in cells if allowed(c["name"], c["dims"])]
    by_name: dict[str, list[dict]] = {}
    for row in rows:
        by_name.setdefault(row["name"], []).append(row)
    for name, group in by_name.items():
        total = next((r for r in group if not r["dims"]), None)
        if total is None or total["suppressed"]:
            # No total shown: nothing to subtract from (and a hidden total hides every cell,
            # since no cell has more learners than the total).
            continue
        lower = LOWER_BOUND.get(name, 1)
        for key in BREAKDOWNS[name][1:]:
            cells_of_key = [r for r in group if breakdown_of(r["dims"]) == key]
            if not _protect(cells_of_key, lower):
                for row in group:
                    row["suppressed"] = True
                break
    out = []
    for row in sorted(rows, key=lambda r: (r["name"], breakdown_of(r["dims"]), sorted(r["dims"].items()))):
        value = None if row["suppressed"] else _plain(row["value"])
        out.append({"name": row["name"], "value": value, "suppressed": row["suppressed"],
                    "dims": row["dims"]})
    return out


def _plain(value):
    value = float(value)
    return int(value) if value.is_integer() else round(value, 2)
