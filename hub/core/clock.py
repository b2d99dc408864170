"""The hub's one clock: the current UTC time, the hub's local day, one timestamp format.

Every module asks here, so a test moves time for the whole hub in one place (`set_now`,
the `clock` fixture in tests/conftest.py). The hub's time zone is the one chosen at setup
(the `timezone` setting), else HUB_TIMEZONE, else UTC; it decides where a day begins.
"""
from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlite_utils import Database

from hub.core import settings as hub_settings

FORMAT = "%Y-%m-%dT%H:%M:%SZ"  # every instant the hub stores: 2024-05-02T10:00:00Z

_fixed: dt.datetime | None = None  # set by tests only


def now() -> dt.datetime:
    """The hub's clock, in UTC, to the second."""
    return _utc_now()


def _utc_now() -> dt.datetime:
    if _fixed is not None:
        return _fixed
    return dt.datetime.now(dt.timezone.utc).replace(microsecond=0)


def iso(moment: dt.datetime | None = None) -> str:
    """An instant as stored everywhere on the hub (now when not given): 2024-05-02T10:00:00Z."""
    utc = (moment or now()).astimezone(dt.timezone.utc)
    # FORMAT written out: strftime was a twentieth of event ingest (three instants per event)
    return f"{utc.year:04d}-{utc.month:02d}-{utc.day:02d}T{utc.hour:02d}:{utc.minute:02d}:{utc.second:02d}Z"


def parse(text: str) -> dt.datetime:
    """A stored instant back as an aware UTC datetime (also reads +00:00 and naive as UTC)."""
    moment = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.timezone.utc)


def set_now(moment: dt.datetime | None) -> None:
    """Stop the clock at `moment` (aware, any zone) for the whole hub; None lets it run again."""
    global _fixed
    if moment is not None and moment.tzinfo is None:
        raise ValueError("set_now needs an aware datetime")
    _fixed = None if moment is None else moment.astimezone(dt.timezone.utc).replace(microsecond=0)


def hub_timezone(db: Database, config: dict | None = None) -> str:
    """The hub's time zone: the one chosen at setup, else HUB_TIMEZONE, else UTC."""
    return resolve_timezone(hub_settings.get(db, "timezone"), config)


def resolve_timezone(chosen: str | None, config: dict | None = None) -> str:
    """The zone chosen at setup when there is one, else HUB_TIMEZONE, else UTC."""
    return chosen or (config or {}).get("HUB_TIMEZONE") or "UTC"


def zone(name: str | None) -> ZoneInfo:
    """The ZoneInfo for a zone name; UTC when the name is empty or unknown."""
    try:
        return ZoneInfo(name or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def local_now(tz: str) -> dt.datetime:
    """Now, in the time zone `tz`."""
    return now().astimezone(zone(tz))


def local_today(tz: str, now: dt.datetime | None = None) -> dt.date:  # noqa: F811 - metrics' name
    """Today's date in the time zone (at the instant `now` when given)."""
    return (now or _utc_now()).astimezone(zone(tz)).date()


def day_start(tz: str) -> tuple[str, str]:
    """Today in `tz`: ('YYYY-MM-DD', the instant it began as stored)."""
    local = local_now(tz)
    start = local.replace(hour=0, minute=0, second=0, microsecond=0)
    return local.date().isoformat(), iso(start)
