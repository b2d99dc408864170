"""The device's health checks, run in the background and kept with the time they ran.

The facilitator dashboard shows them. Run on the page, they checked the whole database
(`PRAGMA quick_check`) and waited up to 2 s for the centre on every view; here a view reads
the newest results and, when they are older than MAX_AGE_S, starts one fresh run in a thread
of its own (with its own database connection), never waiting for it.
"""
from __future__ import annotations

import logging
import threading

from hub.core import clock
from hub.ops.device.doctor import run_checks

MAX_AGE_S = 10 * 60
log = logging.getLogger(__name__)

_results: dict[str, tuple[list, object]] = {}  # data dir -> (checks, when they ran)
_runs: dict[str, threading.Thread] = {}
_lock = threading.Lock()


def latest(settings: dict) -> tuple[list | None, object]:
    """The newest checks and when they ran (None, None before the first run); refreshes when old."""
    key = str(settings["HUB_DATA_DIR"])
    with _lock:
        checks, checked_at = _results.get(key, (None, None))
        stale = checked_at is None or (clock.now() - checked_at).total_seconds() > MAX_AGE_S
        running = key in _runs and _runs[key].is_alive()
        if stale and not running:
            thread = threading.Thread(target=_run, args=(dict(settings),), daemon=True,
                                      name="hub-health")
            _runs[key] = thread
            thread.start()
    return checks, checked_at


def refresh(settings: dict) -> list:
    """Run every check now, with a connection of its own, and keep the results."""
    from hub.core.db import open_hub_db

    db = open_hub_db(settings["HUB_DATA_DIR"])
    try:
        checks = run_checks(settings, db)
    finally:
        db.conn.close()
    with _lock:
        _results[str(settings["HUB_DATA_DIR"])] = (checks, clock.now())
    return checks


def wait(settings: dict, timeout: float = 30.0) -> None:
    """Wait for a run in progress to end (tests, and a server shutting down)."""
    thread = _runs.get(str(settings["HUB_DATA_DIR"]))
    if thread is not None:
        thread.join(timeout)


def forget(settings: dict) -> None:
    """Drop the kept results of one hub (tests; a hub whose data dir was replaced)."""
    with _lock:
        _results.pop(str(settings["HUB_DATA_DIR"]), None)


def _run(settings: dict) -> None:
    try:
        refresh(settings)
    except Exception:  # noqa: BLE001 - a failed run leaves the older results, and says so
        log.exception("device health checks failed")
