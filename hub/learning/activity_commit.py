"""Writing validated event batches durably, with group commit (used by hub.learning.activity.record).

A commit with synchronous=FULL costs one fsync, which is most of a batch's cost. Batches that
arrive while another thread is committing wait, then go to disk together: one leader thread
writes every waiting batch in ONE `BEGIN IMMEDIATE` transaction, each batch inside its own
savepoint (so a batch is still stored whole or not at all), commits once, and only then
does any of them get its answer. With one client this is exactly one transaction per batch.
No Flask here.
"""
from __future__ import annotations

import datetime as dt
import json
import threading

from sqlite_utils import Database

from hub.core import clock
from hub.learning import event_time, hub_clock, learners, page_versions, progress

CLOCK_SKEW_LIMIT_S = event_time.SKEW_LIMIT_S  # a client clock further off is noted, not trusted


class _Pending:
    """One batch waiting for its commit."""

    __slots__ = ("database", "actor", "events", "received", "finished", "result", "error")

    def __init__(self, database, actor, events, received):
        self.database, self.actor, self.events, self.received = database, actor, events, received
        self.finished, self.result, self.error = False, None, None


_cond = threading.Condition()
_queue: list[_Pending] = []
_leading = False


def commit(db: Database, actor: str, events: list, received: dt.datetime):
    """Store one batch (with its progress rows) durably; return (accepted, duplicates)."""
    global _leading
    item = _Pending(_database_file(db), actor, events, received)
    with _cond:
        _queue.append(item)
        while _leading and not item.finished:
            _cond.wait()
        if not item.finished:
            _leading = True  # lead: take every batch waiting now for this database file
            group = [p for p in _queue if p.database == item.database]
            _queue[:] = [p for p in _queue if p.database != item.database]
    if not item.finished:
        try:
            _write_group(db, group)
        finally:
            with _cond:
                _leading = False
                _cond.notify_all()
    if item.error is not None:
        raise item.error
    return item.result


def _database_file(db: Database) -> str:
    # The leader writes the group on ITS connection: only batches for the same file may join
    # (two hubs' databases in one process, as in tests, must never receive each other's events).
    return db.conn.execute("PRAGMA database_list").fetchone()[2]


def _write_group(db: Database, group: list[_Pending]) -> None:
    conn = db.conn
    results = {}
    try:
        conn.execute("BEGIN IMMEDIATE")  # take the write lock now: no lock upgrade mid-way
        for number, item in enumerate(group):
            conn.execute(f"SAVEPOINT batch{number}")
            try:
                results[number] = _write_batch(db, item.actor, item.events, item.received)
            except Exception as exc:  # noqa: BLE001 - this batch only; the others go on
                conn.execute(f"ROLLBACK TO batch{number}")
                item.error = exc
            conn.execute(f"RELEASE batch{number}")
        conn.execute("COMMIT")
    except BaseException as exc:
        if conn.in_transaction:
            conn.rollback()
        for item in group:
            item.error, item.finished = item.error or exc, True
        if not isinstance(exc, Exception):
            raise
        return
    for number, item in enumerate(group):
        item.result, item.finished = results.get(number), True


def _write_batch(db: Database, actor: str, events: list, received: dt.datetime):
    """Insert the new events of one batch and fold them into progress; (accepted, duplicates)."""
    conn = db.conn
    received_text = clock.iso(received)
    anonymous = int(actor.startswith("A"))
    ids = list({event.id for event in events})
    stored = {row[0] for row in conn.execute(
        f"SELECT id FROM events WHERE id IN ({', '.join('?' for _ in ids)})", ids)}
    rows, changes = [], {}
    offset = hub_clock.offset_s(db, received)  # the phones' consensus, read before this batch
    for event in events:
        if event.id in stored:
            continue  # stored before, or earlier in this batch
        stored.add(event.id)
        counted, skew = event_time.counted_at(event.timestamp, event.sent_at, received, offset)
        rows.append((event.id, actor, anonymous, event.pack_id, event.resource_id, event.name,
                     event.progress, event.score, event.duration_s, clock.iso(counted),
                     received_text, skew, json.dumps(event.data, separators=(",", ":")),
                     clock.iso(event.timestamp),
                     clock.iso(event.sent_at) if event.sent_at else None))
        if event.pack_id:
            when = received_text if skew is not None else clock.iso(counted)
            changes.setdefault((event.pack_id, event.resource_id), []).append((event, when))
    sent_at = next((e.sent_at for e in events if e.sent_at is not None), None)
    if sent_at is not None and rows:
        hub_clock.note(conn, actor, received, sent_at)
    conn.executemany(
        "INSERT INTO events (id, actor, anonymous, pack_id, resource_id, verb, progress, score, "
        "duration_s, client_ts, received_at, clock_skew_s, data, client_clock_ts, sent_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
    if rows:
        page_versions.bump(conn, actor)  # their pages show this batch: once per batch, not per event
    for (pack_id, resource_id), folded in changes.items():
        progress.apply(db, actor, pack_id, resource_id, folded)
    if rows and not anonymous:
        learners.mark_seen(conn, actor, received_text)
    return len(rows), len(events) - len(rows)
