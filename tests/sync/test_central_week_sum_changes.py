"""Week sums kept as changes and folded (issue 16): writers only append changes, a fold adds them
into the sums, and a page counts every committed report exactly, folded or not, while reports,
revisions and folds cross each other, on SQLite and on a real PostgreSQL."""
from __future__ import annotations

import logging
import random
import threading

from sync.central import figures, store as store_module, week_sums
from tests.sync.centraldata import sums_match_rows, week_report

NOW = "2026-12-07T09:00:00Z"
MINUTES = ("learning_minutes", "")  # the week's minutes, every hub's total row

# One statement, so one snapshot on both engines: the minutes a page reads (sums and changes
# not yet folded) against the minutes in the stored rows.
PAGE_AGAINST_ROWS = (
    f"SELECT (SELECT coalesce(sum(s.total), 0) FROM {week_sums.CURRENT} s WHERE s.metric = ? AND s.dim_key = ?), "
    "(SELECT coalesce(sum(m.value), 0) FROM metric_rows m WHERE m.metric = ? AND m.dim_key = ?)")


def _minutes_by_region(store) -> dict:
    rows = figures.table(store.db, "learning_minutes", "region", "2026-11-30", "2026-11-30")["rows"]
    return {r["key"]: r["cells"][0]["value"] for r in rows}


def test_pages_count_every_committed_report_while_reports_revisions_and_folds_cross(central_store, monkeypatch):
    store = central_store
    monkeypatch.setattr(store_module, "FOLD_AFTER", 40)  # folds come every few reports, from the writers too
    hubs = [f"hub-{n:02d}" for n in range(16)]
    for n, hub_id in enumerate(hubs):
        store.add_hub(hub_id, "s" * 40, NOW, region=f"Region {n % 4}", partner=f"Partner {n % 3}")
    pushes = [(hub_id, revision) for hub_id in hubs for revision in (1, 2, 3)]
    random.Random(16).shuffle(pushes)  # revisions arrive out of order, as links come and go
    pushing, mismatches, errors = threading.Event(), [], []

    def push(mine):
        try:
            for hub_id, revision in mine:
                store.save_report(hub_id, week_report(hub_id, revision=revision, minutes=100 * revision + int(hub_id[4:])),
                                  NOW)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    def read_and_fold():
        try:
            while pushing.is_set():
                (page, rows), = store.db.execute(PAGE_AGAINST_ROWS, [*MINUTES, *MINUTES])
                if page != rows:
                    mismatches.append((page, rows))
                store.fold_week_sums()
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    pushing.set()
    watcher = threading.Thread(target=read_and_fold)
    watcher.start()
    writers = [threading.Thread(target=push, args=(pushes[i::6],)) for i in range(6)]
    for thread in writers:
        thread.start()
    for thread in writers:
        thread.join(60)
    pushing.clear()
    watcher.join(60)
    assert not errors, errors
    assert mismatches == []
    # Every hub's highest revision, whatever order they came in.
    expected: dict = {}
    for n, hub_id in enumerate(hubs):
        expected[f"Region {n % 4}"] = expected.get(f"Region {n % 4}", 0) + 300 + n
    assert _minutes_by_region(store) == expected
    sums_match_rows(store)
    assert _minutes_by_region(store) == expected  # the same after the last fold


def test_a_fold_that_fails_loses_no_report_and_the_next_one_catches_up(central_store, monkeypatch, caplog):
    store = central_store
    monkeypatch.setattr(store_module, "FOLD_AFTER", 1)  # every stored report tries a fold
    store.add_hub("hub-a", "s" * 40, NOW, region="North")
    store.add_hub("hub-b", "s" * 40, NOW, region="South")
    assert store.save_report("hub-a", week_report("hub-a", minutes=300), NOW) == "stored"
    # The database now refuses any change to the sums: the fold fails, the report must not.
    if store.dialect == "postgresql":
        store.db.execute("ALTER TABLE week_sums ADD CONSTRAINT no_more_sums CHECK (total < 0) NOT VALID")
    else:
        store.db.execute("CREATE TRIGGER no_more_sums BEFORE INSERT ON week_sums BEGIN SELECT RAISE(ABORT, "
                         "'no more sums'); END")
    with caplog.at_level(logging.ERROR, logger=store_module.__name__):
        assert store.save_report("hub-b", week_report("hub-b", minutes=200), NOW) == "stored"
    assert "folding the week sums failed" in caplog.text
    assert _minutes_by_region(store) == {"North": 300, "South": 200}  # counted from the changes kept
    (left,), = store.db.execute("SELECT count(*) FROM week_sum_changes")
    assert left > 0
    if store.dialect == "postgresql":
        store.db.execute("ALTER TABLE week_sums DROP CONSTRAINT no_more_sums")
    else:
        store.db.execute("DROP TRIGGER no_more_sums")
    sums_match_rows(store)  # the next fold takes what the failed one left
    assert _minutes_by_region(store) == {"North": 300, "South": 200}
