"""Alerts: hubs silent for more than N days, hubs whose last report was refused, hubs low on disk.

"Silent" counts from the last time the central heard from a hub (a report or a heartbeat),
else from when it was registered. Time comes from the one clock (hub.core.clock via sync.state).
"""
from __future__ import annotations

import datetime as dt

from sync import state
from sync.central.scope import Scope

DEFAULT_DAYS = 7
REASONS = ("silent", "refused", "low_disk")


def _latest(*instants: str | None) -> str | None:
    known = [i for i in instants if i]
    return max(known, key=state.parse_iso) if known else None


def alerts(store, scope: Scope | None = None, *, days: int = DEFAULT_DAYS, low_disk_mb: float = 500,
           now: dt.datetime | None = None) -> list[dict]:
    """Every alert for the hubs in scope: {"hub_id", "name", "region", "reason", "since", "detail"}."""
    now = now or state.utc_now()
    found = []
    for hub in store.hubs(scope, counts=False):
        beat = hub["heartbeat"] or {}
        heard = _latest(hub["last_report_at"], beat.get("received_at"))
        base = {"hub_id": hub["hub_id"], "name": hub["name"], "region": hub["region"]}
        since = heard or hub["created_at"]
        if now - state.parse_iso(since) > dt.timedelta(days=days):
            found.append({**base, "reason": "silent", "since": since, "detail": "" if heard else "never reported"})
        refused = hub["last_refused_at"]
        if refused and (not hub["last_report_at"]
                        or state.parse_iso(refused) > state.parse_iso(hub["last_report_at"])):
            found.append({**base, "reason": "refused", "since": refused, "detail": hub["last_refused_reason"] or ""})
        disk = beat.get("disk_free_mb")
        if disk is not None and disk < low_disk_mb:
            found.append({**base, "reason": "low_disk", "since": beat["received_at"], "detail": f"{disk:g} MB"})
    return found


def public(alert: dict) -> dict:
    """An alert in the contract's JSON shape."""
    return {key: alert[key] for key in ("hub_id", "name", "region", "reason", "since")}
