"""The background loop inside a running hub: roll up the days, build reports, push them.

A daemon thread with its own database connection, so requests never wait for it; it wakes
every HUB_SYNC_INTERVAL seconds (and makes the day's backup, hub.ops.backup.nightly_backup, on
its first round of each day) and stops within a moment when the server stops. The push
lease in sync_state keeps a second hub process on the same data dir from sending at once.
"""
from __future__ import annotations

import dataclasses
import logging
import threading

from hub.ops.jobs import JobRunner
from sync import client, metrics, outbox, report, upstream

log = logging.getLogger("hub.sync")


class Scheduler:
    """A started background sync loop; call stop() when the server stops."""

    def __init__(self, settings: dict):
        self.settings = dict(settings)
        self.interval = max(1, int(self.settings.get("HUB_SYNC_INTERVAL") or 900))
        self.ticks = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="hub-sync", daemon=True)

    def start(self) -> "Scheduler":
        """Start the thread (returns self)."""
        self._thread.start()
        return self

    def stop(self, timeout: float = 10.0) -> None:
        """Ask the loop to end and wait for it (a push in flight ends at its timeout)."""
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout)

    def _run(self) -> None:
        from hub.core.db import open_hub_db

        db = open_hub_db(self.settings["HUB_DATA_DIR"])
        try:
            while not self._stop.is_set():
                try:
                    self.tick(db)
                except Exception:  # noqa: BLE001 - the loop must outlive any one bad tick
                    log.exception("sync tick failed")
                self.daily_backup()
                self.pull_packs(db)
                self.ticks += 1
                # The connection stays open between rounds: give back its page cache (up to
                # 2 MB after a rollup) for the quarter hour it waits (issue 22, idle memory).
                db.execute("PRAGMA shrink_memory")
                self._stop.wait(self.interval)
        finally:
            db.conn.close()

    def daily_backup(self) -> None:
        """Today's backup into HUB_DATA_DIR/backups if there is none yet (the newest
        `backup_keep` kept; never past the disk reserve)."""
        from hub.ops.backup import nightly_backup

        try:
            made = nightly_backup(self.settings["HUB_DATA_DIR"], reserve_bytes=int(
                self.settings.get("HUB_DISK_RESERVE_MB") or 0) * 1024 * 1024)
        except Exception:  # noqa: BLE001 - a failed backup (disk full) must not stop sync
            log.exception("daily backup failed")
            return
        if made:
            log.info("backup: %s", made)

    def roll_up(self, db) -> None:
        """The dashboard's figures up to now: pending days, today included (a GET only reads them)."""
        try:
            metrics.refresh(db, metrics.hub_timezone(db, self.settings))
        except Exception:  # noqa: BLE001 - stale figures must not stop reports or pushes
            log.exception("rollup failed")

    def pull_packs(self, db) -> None:
        """New packs from the centre, as the facilitator chose (sync.pack_policy)."""
        from sync import pack_policy

        try:
            pack_policy.tick(db, self.settings)
        except Exception:  # noqa: BLE001 - a failed pull must not stop reports or backups
            log.exception("pack pull failed")

    def warm_community(self, db) -> None:
        """Work out the public community page's totals of today, so no visitor waits a minute."""
        from hub.core import settings as hub_settings
        from hub.learning import community

        try:
            if not hub_settings.get(db, "community_page"):
                return
            tz = metrics.hub_timezone(db, self.settings)
            community.kept_month_totals(db, self.settings["HUB_DATA_DIR"], today=metrics.local_today(tz),
                                        tz=tz, k=int(self.settings.get("HUB_K_THRESHOLD") or 5))
        except Exception:  # noqa: BLE001 - a slow public page must not stop reports or pushes
            log.exception("community totals failed")

    def warm_search(self, db) -> None:
        """Rank the frequent words of a new catalog once, so no search ranks thousands of rows."""
        from hub.catalog import search

        try:
            search.warm_best(db, stop=self._stop.is_set)
        except Exception:  # noqa: BLE001 - slower searches must not stop reports or pushes
            log.exception("search ranking failed")

    def tick(self, db) -> None:
        """One round: roll up (today included), build reports, then push when the upstream answers."""
        self.warm_community(db)  # first: a visitor should not wait behind a year's reports
        self.warm_search(db)
        self.roll_up(db)
        report.build_closed_weeks(db, self.settings)
        up = upstream.config(self.settings)
        if not up["url"] or not outbox.pending(db):
            return
        if not client.reachable(up["url"]):
            log.info("sync: %s does not answer; trying again later", up["url"])
            return
        result = outbox.push(db, self.settings)
        if result.sent or result.failed:
            log.info("sync: %d sent, %d failed", len(result.sent), len(result.failed))


# "Send now" from the console: its own worker, so a send never waits behind a pack install
# and a request never waits for the central (up to the read timeout per report).
SENDS = JobRunner()


def _send(progress, settings: dict) -> dict:
    from hub.core.db import open_hub_db

    db = open_hub_db(settings["HUB_DATA_DIR"])
    try:
        return dataclasses.asdict(report.push_now(db, settings, progress=progress))
    finally:
        db.conn.close()


_LATEST: dict[str, str] = {}  # data dir -> the id of its newest send
_LATEST_LOCK = threading.Lock()


def _start_once(runner: JobRunner, newest: dict, kind: str, name: str, work, settings: dict) -> str:
    """Submit `work` for this data dir unless its newest job of the kind is still running; the job id."""
    key = str(settings["HUB_DATA_DIR"])
    with _LATEST_LOCK:  # many presses at once start one job
        job = runner.get(newest.get(key, ""))
        if job and not job["finished"]:
            return job["id"]
        newest[key] = runner.submit(kind, name, work, dict(settings))
        return newest[key]


def send_now(settings: dict) -> str:
    """Start a push of everything waiting in the background (or join the one running); its job id."""
    return _start_once(SENDS, _LATEST, "sync", "send", _send, settings)


# "Update the figures now" from the dashboard: its own worker, so the rollup (which takes the
# write lock) never runs inside a request and never waits behind a send.
REFRESHES = JobRunner()


def _refresh(progress, settings: dict) -> dict:
    from hub.core.db import open_hub_db

    db = open_hub_db(settings["HUB_DATA_DIR"])
    try:
        done = metrics.refresh(db, metrics.hub_timezone(db, settings))
        return {"days": len(done), "as_of": metrics.figures_as_of(db)}
    finally:
        db.conn.close()


_REFRESHING: dict[str, str] = {}  # data dir -> the id of its newest refresh


def refresh_now(settings: dict) -> str:
    """Start a rollup of the pending days in the background (or join the one waiting); its job id."""
    return _start_once(REFRESHES, _REFRESHING, "metrics", "refresh", _refresh, settings)


def start(app_config) -> Scheduler:
    """Start the background sync loop for a hub's settings (a Flask config or a dict)."""
    return Scheduler(dict(app_config)).start()
