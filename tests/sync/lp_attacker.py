"""An attacker with every report of a week, the public catalog and a linear program (HiGHS).

It writes down every linear fact a careful outsider knows about a week's true numbers:
- each published value (learning minutes are rounded, so within half a minute);
- a breakdown of an additive metric adds up to its total;
- the catalog links: a pack's started resources split over its languages and kinds, and
  each language's and kind's are the sum over the packs that have it;
- the metrics bound each other: a learner active in a pack started something there, and at
  most every resource of it; completed <= started; right answers <= answers; returning <=
  active; a pack's or language's learners <= all learners;
- across revisions, every count only grows.
Then, for each value about 1..k-1 learners (and each change between revisions about 1..k-1
learners), it asks the solver for the smallest and largest value consistent with all of it.
"""
from __future__ import annotations

import math

import numpy as np
from scipy import sparse
from scipy.optimize import linprog

from sync.suppression import KEYS
from sync.privacy import BREAKDOWNS

ADDITIVE = ("learning_minutes", "resources_started", "resources_completed", "exercise_attempts",
            "exercise_correct")
LINKED = {"resources_started": ("language", "kind"), "resources_completed": ("language", "kind"),
          "learning_minutes": ("kind",)}


class Attack:
    """Variables and linear facts; intervals of what it is asked."""

    def __init__(self):
        self.index: dict = {}
        self.eq: list = []      # (coefficients {var: c}, right-hand side)
        self.le: list = []      # sum c x <= b
        self._built = None

    def var(self, key) -> int:
        """The column of a variable (made on first use; every variable is >= 0)."""
        if key not in self.index:
            self.index[key] = len(self.index)
        return self.index[key]

    def equal(self, terms: dict, value: float) -> None:
        """sum(c * x) == value."""
        self.eq.append(({self.var(k): c for k, c in terms.items()}, value))

    def at_most(self, terms: dict, value: float = 0.0) -> None:
        """sum(c * x) <= value."""
        self.le.append(({self.var(k): c for k, c in terms.items()}, value))

    def _matrix(self, rows):
        n = len(self.index)
        if not rows:
            return None, None
        data, cols, ptr, b = [], [], [0], []
        for terms, value in rows:
            cols += list(terms)
            data += list(terms.values())
            ptr.append(len(cols))
            b.append(value)
        return sparse.csr_matrix((data, cols, ptr), shape=(len(rows), n)), np.array(b, dtype=float)

    def interval(self, terms: dict) -> tuple[float, float]:
        """(least, greatest) of sum(c * x) over everything the attacker knows."""
        for key in terms:
            self.var(key)
        n = len(self.index)
        if self._built is None or self._built[0] != (n, len(self.eq), len(self.le)):
            self._built = ((n, len(self.eq), len(self.le)), self._matrix(self.eq), self._matrix(self.le))
        (a_eq, b_eq), (a_le, b_le) = self._built[1], self._built[2]
        ends = []
        for sign in (1, -1):  # minimise the value, then its negative (its maximum)
            c = np.zeros(n)
            for key, coef in terms.items():
                c[self.var(key)] += sign * coef
            res = linprog(c, A_ub=a_le, b_ub=b_le, A_eq=a_eq, b_eq=b_eq, bounds=(0, None), method="highs")
            if res.status == 3:  # unbounded
                ends.append(-sign * math.inf)
            else:
                assert res.status == 0, res.message  # the true numbers are always a solution
                ends.append(sign * res.fun)
        return ends[0], ends[1]


def _cell(rev, name, dims):
    return (rev, name, tuple(sorted(dims.items())))


def add_report(attack: Attack, rev: int, rows: list[dict], catalog: dict) -> None:
    """Every fact one published revision gives, with the catalog's links."""
    grid = catalog["grid"]  # the fixed grid: the same rows whether published or not
    for row in rows:
        key = _cell(rev, row["name"], row["dims"])
        attack.var(key)
        if row["value"] is None:
            continue
        if row["name"] == "learning_minutes":  # rounded half up: the truth is within half a minute
            attack.at_most({key: 1}, row["value"] + 0.5)
            attack.at_most({key: -1}, -(row["value"] - 0.5))
        else:
            attack.equal({key: 1}, row["value"])
    names = {r["name"] for r in rows}
    for name in ADDITIVE:
        if name not in names:
            continue
        for dim in BREAKDOWNS[name][1:]:
            terms = {_cell(rev, name, {dim: v}): 1 for v in grid[dim]}
            terms[_cell(rev, name, {})] = -1
            attack.equal(terms, 0)  # minutes too: the unrounded minutes add up exactly
    packs = grid["pack"]
    for name, dims in LINKED.items():
        if name not in names:
            continue
        for dim in dims:
            for value in grid[dim]:
                having = [p for p in packs if value in catalog["packs"].get(p, {}).get(dim, ()) or value == "other"]
                terms = {(rev, name, "link", dim, p, value): 1 for p in having}
                terms[_cell(rev, name, {dim: value})] = -1
                attack.equal(terms, 0)
            for p in packs:
                have = [v for v in grid[dim] if v in catalog["packs"].get(p, {}).get(dim, ()) or v == "other"]
                terms = {(rev, name, "link", dim, p, v): 1 for v in have}
                terms[_cell(rev, name, {"pack": p})] = -1
                attack.equal(terms, 0)
    if "active_learners" not in names:
        return
    total = _cell(rev, "active_learners", {})
    for dim in ("pack", "language"):
        for value in grid[dim]:
            active, started = _cell(rev, "active_learners", {dim: value}), _cell(rev, "resources_started", {dim: value})
            attack.at_most({active: 1, total: -1})
            attack.at_most({active: 1, started: -1})
            size = catalog["resources"].get((dim, value))
            if size:  # each learner (or visitor) starts at most every resource there is
                attack.at_most({started: 1, active: -size, _cell(rev, "active_sessions", {}): -size})
    for dim in ("", "pack", "kind", "language"):
        for value in (grid[dim] if dim else [None]):
            d = {dim: value} if dim else {}
            attack.at_most({_cell(rev, "resources_completed", d): 1, _cell(rev, "resources_started", d): -1})
    for value in [None, *packs]:
        d = {"pack": value} if value is not None else {}
        attack.at_most({_cell(rev, "exercise_correct", d): 1, _cell(rev, "exercise_attempts", d): -1})
    attack.at_most({_cell(rev, "returning_learners", {}): 1, total: -1})
    for language in grid["language"]:
        having = [p for p in packs if language in catalog["packs"].get(p, {}).get("language", ()) or language == "other"]
        terms = {_cell(rev, "active_learners", {"pack": p}): -1 for p in having}
        terms[_cell(rev, "active_learners", {"language": language})] = 1
        attack.at_most(terms)
    for p in packs:
        langs = [g for g in grid["language"] if g in catalog["packs"].get(p, {}).get("language", ()) or g == "other"]
        terms = {_cell(rev, "active_learners", {"language": g}): -1 for g in langs}
        terms[_cell(rev, "active_learners", {"pack": p})] = 1
        attack.at_most(terms)


def add_growth(attack: Attack, earlier: int, later: int) -> None:
    """Counts only grow from one revision to the next."""
    for key in list(attack.index):
        if key[0] == earlier and len(key) == 3:
            attack.at_most({key: 1, (later, key[1], key[2]): -1})


def catalog_of(cat) -> dict:
    """What the attacker knows of a hub's catalog (public: the pack manifests), from sync's view."""
    packs: dict = {}
    sizes: dict = {}
    for (pack, _resource), (kind, language) in cat.resources.items():
        packs.setdefault(pack, {"language": set(), "kind": set()})
        packs[pack]["language"].add(language)
        packs[pack]["kind"].add(kind)
        for key in (("pack", pack), ("language", language)):
            if key[1] != "other":
                sizes[key] = sizes.get(key, 0) + 1
    return {"packs": packs, "resources": sizes, "grid": cat.grid()}


def pinned(reports: list[list[dict]], truths: list[dict], catalog: dict, k: int) -> list[str]:
    """Every value (or change) about 1..k-1 learners that the attacker narrows below k wide."""
    attack = Attack()
    for rev, rows in enumerate(reports):
        add_report(attack, rev, rows, catalog)
        if rev:
            add_growth(attack, rev - 1, rev)
    found = []
    for rev, facts in enumerate(truths):
        for (name, dims), fact in facts.items():
            if name not in BREAKDOWNS:
                continue
            key = _cell(rev, name, dict(dims))
            if key not in attack.index:
                continue
            targets = []
            if 0 < fact.learners < k:
                targets.append(("value", {key: 1}))
            if rev and fact.changed and fact.change_learners < k:
                targets.append(("change", {key: 1, (rev - 1, key[1], key[2]): -1}))
            for what, terms in targets:
                low, high = attack.interval(terms)
                if name != "learning_minutes":  # counts are whole numbers
                    low = math.ceil(low - 1e-6) if low != -math.inf else low
                    high = math.floor(high + 1e-6) if high != math.inf else high
                if high - low < k:
                    found.append(f"revision {rev + 1}: {what} of {name} {dict(dims)} "
                                 f"(truth {fact.value}, {fact.learners} learners) lies in [{low}, {high}]")
    return found
