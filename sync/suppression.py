"""What of a week may leave the hub: linked-table suppression, decided once for the whole week.

The rules (docs/privacy.md says them in plain words; tests/sync/test_suppression_audit.py
checks them with a linear-programming attacker):
1. A week with fewer than k learners (anonymous sessions together count as one) sends its
   totals only, every one hidden.
2. A total about 1..k-1 learners is hidden, and so is a value below k (a shown 2 bounds
   every hidden part of it to 0..2), or a change since the last revision below k. exercise_correct is hidden when it is 0, equal to
   the attempts, or when any pack's is (all right or all wrong says something about everyone).
   returning_learners is hidden unless both the returning and the new learners reach k.
3. A breakdown key (pack, kind, language) is linked across every metric that carries it and,
   through the catalog, to the other keys: it is published for every metric whose total is
   shown, or for none. It is published only when no cell of it, in any of those metrics, is
   about 1..k-1 learners. So no hidden cell ever sits beside shown cells of the same table,
   and the only facts about a hidden cell are its metric's total and bounds that are at least
   k wide (a shown cell about k or more learners).
4. Rows come on a fixed grid: every installed pack, every kind, every installed language and
   "other", every mood, whatever happened; a missing row never says "nobody".
5. Check-ins by mood are sent only when at least two moods each reach k learners, and then
   only those moods.
6. A revision (late events for a sent week): a cell whose value changed because of 1..k-1
   learners counts as about 1..k-1 learners, so the difference of two revisions is protected
   by the same rules.
"""
from __future__ import annotations

import dataclasses

from sync.privacy import BREAKDOWNS
from sync.week_cells import DISTINCT, MOODS, Cell, learners_of

KEYS = ("pack", "kind", "language")
TOTALS = tuple(name for name, keys in BREAKDOWNS.items() if "" in keys)


@dataclasses.dataclass(frozen=True)
class Fact:
    """A cell's value, how many learners it is about, and (in a revision) its change's."""

    value: float = 0.0
    learners: int = 0
    changed: bool = False
    change_learners: int = 0
    change: float = 0.0

    def sensitive(self, k: int) -> bool:
        """True when the value, or its change since the last revision, is about 1..k-1 learners,
        or is itself below k: a shown 2 would bound every hidden part of it to 0..2."""
        return (0 < self.learners < k or 0 < self.value < k
                or (self.changed and (self.change_learners < k or abs(self.change) < k)))


def facts(new: dict, old: dict | None = None, late: dict | None = None) -> dict:
    """{(name, dims items): Fact}; with `old` and `late` cells, how each changed and by whom."""
    found = {}
    for key, cell in new.items():
        learners = learners_of(cell.actors)
        if old is None:
            found[key] = Fact(cell.value, learners)
            continue
        before = old.get(key, Cell())
        changed = abs(cell.value - before.value) > 1e-9
        if key[0] in DISTINCT:  # who brought new things to count
            movers = {who for who, _thing in cell.units - before.units}
        else:  # who added to the sum
            movers = (late or {}).get(key, Cell()).actors
        found[key] = Fact(cell.value, learners, changed, learners_of(movers), cell.value - before.value)
    return found


def _value(name: str, value: float):
    if name == "learning_minutes":
        return int(value + 0.5)  # half up, as people round
    return int(value) if float(value).is_integer() else round(value, 2)


def publish(found: dict, k: int, grid: dict, week_learners: int) -> list[dict]:
    """Report rows {name, value, suppressed, dims} for a week's facts, on the fixed grid."""
    def fact(name, dims=None) -> Fact:
        return found.get((name, tuple((dims or {}).items())), Fact())

    def row(name, dims, shown):
        value = _value(name, fact(name, dims).value) if shown else None
        return {"name": name, "value": value, "suppressed": not shown, "dims": dict(dims)}

    if week_learners < k:
        return [row(name, {}, False) for name in TOTALS]
    shown = {name: not fact(name).sensitive(k) for name in TOTALS}
    attempts, correct = fact("exercise_attempts"), fact("exercise_correct")
    homogeneous = [p for p in grid["pack"] if fact("exercise_attempts", {"pack": p}).value > 0
                   and fact("exercise_correct", {"pack": p}).value in (0, fact("exercise_attempts", {"pack": p}).value)]
    if (not shown["exercise_attempts"] or correct.value in (0, attempts.value) or homogeneous):
        shown["exercise_correct"] = False
    active, returning = fact("active_learners"), fact("returning_learners")
    if (not shown["active_learners"] or returning.learners < k or active.learners - returning.learners < k
            or (returning.changed and returning.change_learners < k)):
        shown["returning_learners"] = False
    keys_shown = {}
    for key in KEYS:
        carriers = [name for name in TOTALS if key in BREAKDOWNS[name] and shown[name]]
        keys_shown[key] = not any(fact(name, {key: value}).sensitive(k)
                                  for name in carriers for value in grid[key])
    rows = []
    for name in BREAKDOWNS:
        if "" in BREAKDOWNS[name]:
            rows.append(row(name, {}, shown[name]))
        for key in BREAKDOWNS[name]:
            if key in KEYS:
                rows += [row(name, {key: value}, shown[name] and keys_shown[key]) for value in grid[key]]
    moods = [m for m in MOODS if fact("checkins", {"mood": m}).learners >= k
             and not fact("checkins", {"mood": m}).sensitive(k)]
    rows += [row("checkins", {"mood": m}, len(moods) >= 2 and m in moods) for m in MOODS]
    return rows
