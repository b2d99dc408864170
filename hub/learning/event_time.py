"""When an event counts: read a client's instants, and correct them by the batch's `sent_at`.

No Flask here. Contract (second wave, "Events"): with `sent_at`, an event counts at
`timestamp + (received_at - sent_at)`, so a phone whose clock is wrong, or that kept events
offline for a week, still has each event counted when it happened (Snowplow's "derived
timestamp"). When the phones agree that the hub's own clock is off (hub.learning.hub_clock),
the hub's clock is corrected by their consensus too. Without `sent_at` the first-wave rule
stands: a client clock further than the limit from the hub's is noted and the hub's time used.
"""
from __future__ import annotations

import datetime as dt

EARLIEST = dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc)  # no phone clock reads earlier
FUTURE_LIMIT = dt.timedelta(days=1)   # after correction, further ahead cannot be real
SKEW_LIMIT_S = 600                    # a client clock further off than this is not trusted


def parse_instant(value) -> tuple[dt.datetime | None, str | None]:
    """(the instant in UTC, None) or (None, why it cannot be a real moment)."""
    if not isinstance(value, str):
        return None, "must be an ISO 8601 date and time, such as 2024-05-02T10:00:00Z"
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError:
        return None, "must be an ISO 8601 date and time, such as 2024-05-02T10:00:00Z"
    if moment.tzinfo is None:
        return None, "must include a time zone (Z or +hh:mm)"
    try:
        utc = moment.astimezone(dt.timezone.utc).replace(microsecond=0)
    except (OverflowError, ValueError):  # 0001-01-01T00:21:01+10:51 falls before year 1
        return None, "is not a real moment (it leaves the calendar when moved to UTC)"
    if utc < EARLIEST:
        return None, "is not a real moment (before 1970)"
    return utc, None


def _shift(moment: dt.datetime, seconds: float) -> dt.datetime | None:
    try:
        return moment + dt.timedelta(seconds=seconds)
    except OverflowError:
        return None


def corrected(timestamp: dt.datetime, sent_at: dt.datetime, received: dt.datetime,
              hub_offset_s: float = 0.0) -> dt.datetime | None:
    """timestamp + (received - sent_at), less the hub's own error; None when off the calendar."""
    return _shift(timestamp, (received - sent_at).total_seconds() - hub_offset_s)


def future_problem(timestamp: dt.datetime, sent_at: dt.datetime | None, received: dt.datetime,
                   hub_offset_s: float = 0.0) -> str | None:
    """Why a timestamp cannot be real after correction (too far ahead, off the calendar), or None."""
    if sent_at is None:
        return None  # the first-wave rule: a far-off clock is noted, counted at the hub's time
    moment = corrected(timestamp, sent_at, received, hub_offset_s)
    hub_now = _shift(received, -hub_offset_s) or received
    if moment is None or moment < EARLIEST:
        return "is not a real moment once corrected by sent_at"
    if moment > hub_now + FUTURE_LIMIT:
        return "is more than a day after sent_at; it cannot have happened yet"
    return None


def counted_at(timestamp: dt.datetime, sent_at: dt.datetime | None, received: dt.datetime,
               hub_offset_s: float = 0.0) -> tuple[dt.datetime, float | None]:
    """(client_ts to store, clock_skew_s): the event counts at client_ts when the skew is None,
    else at the hub's receive time (the first-wave rule, no sent_at, hub clock trusted)."""
    hub_now = _shift(received, -hub_offset_s) or received
    if sent_at is not None:
        moment = corrected(timestamp, sent_at, received, hub_offset_s) or hub_now
        # A moment after the batch was sent is a phone's slip: it happened by now at the latest.
        return min(moment, hub_now), None
    skew = (timestamp - hub_now).total_seconds()
    if abs(skew) <= SKEW_LIMIT_S:
        return timestamp, None
    if hub_offset_s:
        return hub_now, None  # received_at is the hub's wrong clock: store the consensus time
    return timestamp, skew
