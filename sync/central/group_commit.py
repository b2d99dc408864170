"""Group commit for the central's reports: requests that arrive together share one transaction.

A durable commit (a WAL flush on PostgreSQL, an fsync on SQLite) and the round trips around it
are most of a report's cost. Reports that arrive while another request is writing wait; then
one of them, the leader, writes every waiting report in ONE transaction with one commit, and
only after that commit does any of them get its answer: nothing is acknowledged before it is
durable. Each report still gets its own answer ('stored', 'duplicate', 'superseded') or its own
error: the writer (sync.central.report_store.save_group) keeps a failing report from failing the
others. With one client this is exactly one transaction per report, as before. No Flask here.
"""
from __future__ import annotations

import threading
from typing import Callable


class _Pending:
    """One report waiting for its commit."""

    __slots__ = ("item", "taken", "finished", "result")

    def __init__(self, item):
        self.item, self.taken, self.finished, self.result = item, False, False, None


class GroupCommit:
    """Hands every report waiting at a moment to one `write_group(items) -> results` call.

    `results` has one entry per item, in order: the item's answer, or the exception it raised
    (raised again in that item's own request only). Up to `writers` groups are written at once
    (PostgreSQL works on one while another waits for its commit); one for SQLite, which has one
    writer anyway.
    """

    def __init__(self, write_group: Callable[[list], list], writers: int = 1):
        self._write_group = write_group
        self._writers = writers
        self._cond = threading.Condition()
        self._queue: list[_Pending] = []
        self._writing = 0

    def submit(self, item):
        """Write `item` with whatever else is waiting; its own result once the group is committed."""
        pending = _Pending(item)
        with self._cond:
            self._queue.append(pending)
            while not pending.finished and (pending.taken or self._writing >= self._writers):
                self._cond.wait()
            lead = not pending.finished
            if lead:  # lead: take every report waiting now (itself among them)
                self._writing += 1
                group, self._queue = self._queue, []
                for waiting in group:
                    waiting.taken = True
        if lead:
            try:
                self._write(group)
            finally:
                with self._cond:
                    self._writing -= 1
                    self._cond.notify_all()
        if isinstance(pending.result, BaseException):
            raise pending.result
        return pending.result

    def _write(self, group: list[_Pending]) -> None:
        try:
            results = self._write_group([p.item for p in group])
        except BaseException as exc:  # the writer itself broke (e.g. the database went away): all fail
            results = [exc] * len(group)
        for pending, result in zip(group, results):
            pending.result, pending.finished = result, True
