"""Reports waiting to go: attempts, errors, backoff, a lease so one process pushes at a time.

Nothing is dropped until the central has answered stored, duplicate or superseded; an older
unsent revision of the same day is marked 'replaced' (the newer one carries the same day).
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import email.utils
import os
import threading
import uuid

from sqlite_utils import Database

from sync import client, heartbeat, state, upstream
from sync.errors import Rejected, SyncError

LEASE_S = 300
_OWNER = uuid.uuid4().hex  # this process


def _owner() -> str:
    # One owner per thread: the scheduler's thread and a console "Send now" in the same
    # process must not push the same report at once either.
    return f"{_OWNER}-{threading.get_ident()}"


def _boot_id() -> str | None:
    try:
        with open("/proc/sys/kernel/random/boot_id", encoding="ascii") as handle:
            return handle.read().strip()
    except OSError:
        return None


def _holder_gone(lease: dict) -> bool:
    # A lease left by a process that died (power cut, SIGKILL) would stall sync for LEASE_S:
    # a holder from an earlier boot, or whose pid is gone on this boot, holds nothing.
    boot, pid = lease.get("boot"), lease.get("pid")
    if not boot:
        return False  # a lease that does not say where it lives: wait for it to expire
    if boot != _boot_id():
        return True
    if not isinstance(pid, int):
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except OSError:
        return False
    return False


@dataclasses.dataclass
class PushResult:
    """What one push did: answers per report, the first error, whether another process held the lease."""

    sent: list = dataclasses.field(default_factory=list)     # (report_id, revision, answer)
    failed: list = dataclasses.field(default_factory=list)   # (report_id, revision, message)
    busy: bool = False
    skipped: int = 0
    heartbeat: str | None = None                             # sync.heartbeat.send's answer

    @property
    def ok(self) -> bool:
        """True when nothing failed and nothing was left for later."""
        return not self.failed and not self.busy and not self.skipped


def enqueue(db: Database, report: dict, body: bytes, *, now: dt.datetime | None = None) -> None:
    """Queue a report's bytes; an unsent older revision of it is replaced."""
    when = state.iso(now or state.utc_now())
    with db.atomic():
        db.execute("UPDATE sync_outbox SET answer = 'replaced' WHERE report_id = ? AND revision < ? "
                   "AND sent_at IS NULL AND answer IS NULL", [report["report_id"], report["revision"]])
        db.execute("INSERT OR IGNORE INTO sync_outbox (report_id, revision, day, body, created_at) "
                   "VALUES (?, ?, ?, ?, ?)",
                   [report["report_id"], report["revision"], report["period"]["start"], body, when])


PENDING = "sent_at IS NULL AND answer IS NULL"


def pending(db: Database) -> list[dict]:
    """Reports still waiting for the central's answer, oldest day first."""
    cursor = db.execute(f"SELECT report_id, revision, day, body, attempts, next_attempt_at, held, last_error "
                        f"FROM sync_outbox WHERE {PENDING} ORDER BY day, revision")
    names = [c[0] for c in cursor.description]
    return [dict(zip(names, row)) for row in cursor]


def next_body(db: Database) -> bytes | None:
    """The bytes of the next report to leave the hub, or None."""
    row = db.execute(f"SELECT body FROM sync_outbox WHERE {PENDING} ORDER BY day, revision LIMIT 1").fetchone()
    return bytes(row[0]) if row else None


def acquire_lease(db: Database, now: dt.datetime | None = None) -> bool:
    """Take (or renew) the push lease; False while another process holds an unexpired one."""
    now = now or state.utc_now()
    db.execute("BEGIN IMMEDIATE")  # the read and the write below are one step for every process
    try:
        lease = state.get(db, "push_lease")
        if (lease and lease["owner"] != _owner() and lease["until"] > state.iso(now)
                and not _holder_gone(lease)):
            db.execute("ROLLBACK")
            return False
        state.put(db, "push_lease", {"owner": _owner(), "until": state.iso(now + dt.timedelta(seconds=LEASE_S)),
                                     "pid": os.getpid(), "boot": _boot_id()})
        db.execute("COMMIT")
    except BaseException:
        db.execute("ROLLBACK")
        raise
    return True


def mark_exported(db: Database, report_id: str, revision: int, when: str) -> None:
    """Note that a report went out on a USB bundle (sneakernet) at `when`."""
    db.execute("UPDATE sync_outbox SET exported_at = ? WHERE report_id = ? AND revision = ?",
               [when, report_id, revision])


def release_lease(db: Database) -> None:
    """Give the push lease back if this process holds it."""
    with state.writing(db):
        lease = state.get(db, "push_lease")
        if lease and lease["owner"] == _owner():
            state.delete(db, "push_lease")


def _failed(db, row, exc: SyncError, now, base):
    attempts = row["attempts"] + 1
    held = 0 if exc.retryable else 1
    wait = dt.timedelta(seconds=client.backoff_s(attempts, base=base))
    with db.atomic():
        db.execute("UPDATE sync_outbox SET attempts = ?, last_attempt_at = ?, last_error = ?, held = ?, "
                   "next_attempt_at = ? WHERE report_id = ? AND revision = ?",
                   [attempts, state.iso(now), str(exc), held, state.iso(now + wait),
                    row["report_id"], row["revision"]])
        state.put(db, "last_error", str(exc))
        state.put(db, "last_error_at", state.iso(now))


def push(db: Database, settings: dict, *, force: bool = False, now: dt.datetime | None = None,
         progress=None) -> PushResult:
    """Send waiting reports (all with force; else only those due and not held).

    `progress(fraction, report_id)`, when given, is called before each report is sent.
    """
    now = now or state.utc_now()
    up = upstream.config(settings)
    result = PushResult()
    if not (up["url"] and up["hub_id"] and up["secret"]):
        result.skipped = len(pending(db))
        return result
    if not acquire_lease(db, now):
        result.busy = True
        return result
    base = max(1.0, min(60.0, float(settings.get("HUB_SYNC_INTERVAL") or 60)))
    try:
        rows = pending(db)
        for index, row in enumerate(rows):
            due = not row["next_attempt_at"] or row["next_attempt_at"] <= state.iso(now)
            if not force and (row["held"] or not due):
                result.skipped += 1
                continue
            acquire_lease(db, state.utc_now())  # renew while working through a long queue
            if progress is not None:
                progress(index / len(rows), row["report_id"])
            try:
                answer, date = client.post_report(up["url"], up["hub_id"], up["secret"], bytes(row["body"]))
            except SyncError as exc:
                _failed(db, row, exc, now, base)
                result.failed.append((row["report_id"], row["revision"], str(exc)))
                if exc.retryable:
                    result.skipped += len(rows) - index - 1  # the central is away: try all later
                    break
                continue
            with db.atomic():
                db.execute("UPDATE sync_outbox SET sent_at = ?, answer = ?, attempts = attempts + 1, "
                           "held = 0 WHERE report_id = ? AND revision = ?",
                           [state.iso(state.utc_now()), answer, row["report_id"], row["revision"]])
                state.put(db, "last_success", state.iso(state.utc_now()))
                state.put(db, "last_error", None)
                if date:
                    state.put(db, "last_ack_central_time", state.iso(email.utils.parsedate_to_datetime(date)))
            result.sent.append((row["report_id"], row["revision"], answer))
    finally:
        release_lease(db)
    if result.sent or not result.failed:  # the central answers: tell it this hub lives
        result.heartbeat = heartbeat.send(db, settings)
    return result


def clock_warning(db: Database, now: dt.datetime | None = None) -> str | None:
    """Why the hub's clock looks wrong (earlier than a pack install or a central answer), or None."""
    now_text = state.iso(now or state.utc_now())
    newest_pack = db.execute("SELECT max(installed_at) FROM packs").fetchone()[0]
    if newest_pack and newest_pack[:19] > now_text[:19]:
        return f"the hub's clock ({now_text}) is earlier than the newest pack install ({newest_pack})"
    ack = state.get(db, "last_ack_central_time")
    if ack and ack > now_text:
        return f"the hub's clock ({now_text}) is earlier than the central's last answer ({ack})"
    return None


def status(db: Database, settings: dict) -> dict:
    """The sync state, with exactly the keys of `hub sync status --json`."""
    waiting = pending(db)
    due = [r["next_attempt_at"] for r in waiting if r["next_attempt_at"] and not r["held"]]
    held = [r for r in waiting if r["held"]]
    last_error = state.get(db, "last_error")
    if held:
        last_error = held[-1]["last_error"]
    return {
        "upstream": upstream.config(settings)["url"] or None,
        "pending": len(waiting),
        "last_success": state.get(db, "last_success"),
        "last_error": last_error,
        "next_attempt": min(due) if due else None,
        "clock_warning": clock_warning(db),
    }
