"""The background pull of new packs: the facilitator's policy, time window and daily budget.

Settings (hub.core.settings, chosen on the Content page):
    pack_updates         off | download | install         (default off: a metered link costs money)
    pack_window          "" (any time) or "HH:MM-HH:MM" in the hub's time zone; may wrap midnight
    pack_daily_budget_mb 0 = no limit; else the most a day's background pulls may fetch
    pack_rate_kbps       the background download's speed limit, so learners do not notice it
A pull cut by the budget or the link keeps its bytes and goes on at the next round.
"""
from __future__ import annotations

import datetime as dt
import logging
import re

from hub.catalog.packs.errors import PackRefused
from hub.core import clock
from hub.core import settings as hub_settings
from sync import pack_downloads as downloads
from sync import pack_pull, upstream
from sync.pack_http import PullError, fetch_catalog

log = logging.getLogger("hub.packs.pull")
POLICIES = ("off", "download", "install")
DEFAULTS = {"pack_updates": "off", "pack_window": "", "pack_daily_budget_mb": 0, "pack_rate_kbps": 256}
WINDOW = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)-([01]\d|2[0-3]):([0-5]\d)$")
MIB = 1024 * 1024
RETRY_FAILED_AFTER = dt.timedelta(hours=24)


def policy(db) -> dict:
    """The four background-pull settings, defaults filled in."""
    found = {}
    for key, default in DEFAULTS.items():
        value = hub_settings.get(db, key)
        found[key] = default if value is None else value
    return found


def problems(values: dict) -> list[tuple[str, str]]:
    """(field, why) for settings that cannot work; empty when they are fine."""
    found = []
    if values.get("pack_updates") not in POLICIES:
        found.append(("pack_updates", "choose off, download or install"))
    if values.get("pack_window") and not WINDOW.match(values["pack_window"]):
        found.append(("pack_window", "write the hours as HH:MM-HH:MM, e.g. 22:00-06:00"))
    for key in ("pack_daily_budget_mb", "pack_rate_kbps"):
        if not isinstance(values.get(key), int) or not 0 <= values[key] <= 10 ** 6:
            found.append((key, "a whole number from 0 to 1000000"))
    return found


def save(db, values: dict) -> list[tuple[str, str]]:
    """Store the settings when they are all fine; return the problems otherwise (nothing saved)."""
    found = problems(values)
    if not found:
        for key in DEFAULTS:
            hub_settings.set(db, key, values[key])
    return found


def in_window(window: str, local: dt.datetime) -> bool:
    """True when `local` (the hub's local time) falls in "HH:MM-HH:MM" (empty: always)."""
    match = WINDOW.match(window or "")
    if not match:
        return True
    start = int(match[1]) * 60 + int(match[2])
    end = int(match[3]) * 60 + int(match[4])
    now = local.hour * 60 + local.minute
    return start <= now < end if start <= end else now >= start or now < end


def budget_left(db, conf: dict, chosen: dict) -> int | None:
    """Bytes today's background pulls may still fetch (None: no budget)."""
    if not chosen["pack_daily_budget_mb"]:
        return None
    day = clock.local_today(clock.hub_timezone(db, conf)).isoformat()
    return max(0, chosen["pack_daily_budget_mb"] * MIB - downloads.bytes_on(db, day))


def _skip(db, conf: dict, entry: dict, chosen: dict) -> bool:
    """Leave this pack for now: downloaded and waiting for a facilitator, or failed lately."""
    row = downloads.get(db, entry["id"])
    if row is None or row["sha256"] != entry["sha256"]:
        return False
    if row["state"] == "downloaded":
        return chosen["pack_updates"] == "download"
    if row["state"] == "failed" and not downloads.part_path(conf["HUB_DATA_DIR"], entry["sha256"]).exists():
        # Refused or corrupted: try the same bytes again once a day, not every round.
        return clock.now() - clock.parse(row["updated_at"]) < RETRY_FAILED_AFTER
    return False


def tick(db, conf: dict, source: str | None = None) -> list[pack_pull.PullResult]:
    """One background round: pull what the centre offers, within policy, window and budget."""
    chosen = policy(db)
    source = source or upstream.config(conf)["url"]
    if chosen["pack_updates"] == "off" or not source:
        return []
    if not in_window(chosen["pack_window"], clock.local_now(clock.hub_timezone(db, conf))):
        return []
    try:
        entries = fetch_catalog(source)
        wanted = pack_pull.updates(db, conf, source, entries=entries)
    except PullError as error:
        log.info("packs: %s", error)
        return []
    done = []
    for entry in sorted(wanted, key=lambda e: e["size"]):  # small packs first: more arrive sooner
        left = budget_left(db, conf, chosen)
        if left == 0:
            log.info("packs: today's budget of %d MB is spent", chosen["pack_daily_budget_mb"])
            break
        if _skip(db, conf, entry, chosen):
            continue
        try:
            done.append(pack_pull.pull(db, conf, entry["id"], source, install=chosen["pack_updates"] == "install",
                                       limit=left, rate=chosen["pack_rate_kbps"] * 1024 or None,
                                       entries=entries))
        except (PullError, PackRefused) as error:
            log.warning("packs: %s: %s", entry["id"], error)
    return done
