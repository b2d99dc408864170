"""Alerts: hubs silent for more than N days, hubs whose last report was refused, hubs low on disk.

"Silent" counts from the last time the central heard from a hub (a report or a heartbeat),
else from when it was registered. Time comes from the one clock (hub.core.clock via sync.state).
The database finds the alerting hubs (one query over hubs and heartbeats): loading 10,000 hubs
into Python to look at each was most of an admin's first page. Instants are stored in one
format (2026-12-07T01:00:00Z), so comparing them as text orders them in time.
"""
from __future__ import annotations

import datetime as dt

from sync import state
from sync.central.scope import Scope, hub_filter

DEFAULT_DAYS = 7
REASONS = ("silent", "refused", "low_disk")

# The last time the central heard from a hub: its newest report or heartbeat, else its registration.
HEARD = ("CASE WHEN h.last_report_at IS NULL THEN b.received_at "
         "WHEN b.received_at IS NULL OR h.last_report_at > b.received_at THEN h.last_report_at "
         "ELSE b.received_at END")
SILENT = f"COALESCE({HEARD}, h.created_at) < ?"
REFUSED = "(h.last_refused_at IS NOT NULL AND (h.last_report_at IS NULL OR h.last_refused_at > h.last_report_at))"
LOW_DISK = "b.disk_free_mb < ?"
ALERT_SOURCE = "FROM hubs h LEFT JOIN heartbeats b ON b.hub_id = h.hub_id"


def _conditions(scope, days, now, filters) -> tuple[str, list, str]:
    where, params = hub_filter(scope, **filters)
    cutoff = state.iso((now or state.utc_now()) - dt.timedelta(days=days))
    return where, params, cutoff


def alerts(store, scope: Scope | None = None, *, days: int = DEFAULT_DAYS, low_disk_mb: float = 500,
           now: dt.datetime | None = None, limit: int | None = None, **filters) -> list[dict]:
    """Alerts for the hubs in scope (and filters), by hub: {"hub_id", "name", "region", "reason", "since", "detail"}.

    With `limit`, only the alerts of the first `limit` alerting hubs (a page's worth).
    """
    where, params, cutoff = _conditions(scope, days, now, filters)
    rows = store.db.execute(
        f"SELECT h.hub_id, h.name, h.region, h.created_at, {HEARD}, {SILENT}, {REFUSED}, h.last_refused_at, "
        f"h.last_refused_reason, b.disk_free_mb, b.received_at {ALERT_SOURCE} "
        f"WHERE {where} AND ({SILENT} OR {REFUSED} OR {LOW_DISK}) ORDER BY h.hub_id"
        + (" LIMIT ?" if limit is not None else ""),
        [cutoff, *params, cutoff, low_disk_mb] + ([limit] if limit is not None else []))
    found = []
    for hub_id, name, region, created, heard, silent, refused, refused_at, reason, disk, beat_at in rows:
        base = {"hub_id": hub_id, "name": name, "region": region}
        if silent:
            found.append({**base, "reason": "silent", "since": heard or created,
                          "detail": "" if heard else "never reported"})
        if refused:
            found.append({**base, "reason": "refused", "since": refused_at, "detail": reason or ""})
        if disk is not None and disk < low_disk_mb:
            found.append({**base, "reason": "low_disk", "since": beat_at, "detail": f"{disk:g} MB"})
    return found


def count(store, scope: Scope | None = None, *, days: int = DEFAULT_DAYS, low_disk_mb: float = 500,
          now: dt.datetime | None = None, **filters) -> int:
    """How many hubs in scope (and filters) have at least one alert."""
    where, params, cutoff = _conditions(scope, days, now, filters)
    (found,), = store.db.execute(f"SELECT count(*) {ALERT_SOURCE} WHERE {where} AND ({SILENT} OR {REFUSED} OR {LOW_DISK})",
                                 [*params, cutoff, low_disk_mb])
    return found


def public(alert: dict) -> dict:
    """An alert in the contract's JSON shape."""
    return {key: alert[key] for key in ("hub_id", "name", "region", "reason", "since")}
