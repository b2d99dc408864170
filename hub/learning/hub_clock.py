"""Is the hub's own clock right? The phones' consensus, from the batches they send.

No Flask here. Every batch sent with a `sent_at` gives one reading: the hub's clock minus the
phone's (received_at - sent_at). One phone with a wrong clock says little; when the phones
seen lately AGREE that the hub is off (their median offset is further than the skew limit
and most of them lie close to it), the hub's clock is the odd one out: the console and
`hub doctor` say so, and events are dated by the phones' consensus (hub.learning.event_time).
Owner of the table clock_readings.
"""
from __future__ import annotations

import datetime as dt
import statistics

from sqlite_utils import Database

from hub.core import clock

SKEW_LIMIT_S = 600          # closer than this, two clocks agree (as in the first wave)
RECENT = dt.timedelta(hours=12)
MIN_PHONES = 3              # fewer phones than this never outvote the hub
AGREEING_SHARE = 2 / 3      # this share of the phones must lie within the limit of the median


def note(conn, actor: str, received: dt.datetime, sent_at: dt.datetime) -> None:
    """Keep one batch's reading (the newest per actor); runs inside the batch's transaction."""
    conn.execute("INSERT OR REPLACE INTO clock_readings (actor, received_at, offset_s) "
                 "VALUES (?, ?, ?)", [actor, clock.iso(received), (received - sent_at).total_seconds()])
    # Old readings say nothing any more; without this every anonymous session would stay.
    conn.execute("DELETE FROM clock_readings WHERE received_at < ?", [clock.iso(received - 4 * RECENT)])


def offset_s(db: Database, at: dt.datetime | None = None) -> float:
    """Seconds the hub's clock is ahead of the phones' consensus (negative: behind); 0 when
    fewer than MIN_PHONES phones spoke lately or they do not agree that the hub is off."""
    at = at or clock.now()
    conn = getattr(db, "conn", db)
    readings = [row[0] for row in conn.execute(
        "SELECT offset_s FROM clock_readings WHERE received_at >= ?", [clock.iso(at - RECENT)])]
    if len(readings) < MIN_PHONES:
        return 0.0
    median = statistics.median(readings)
    if abs(median) <= SKEW_LIMIT_S:
        return 0.0
    agreeing = sum(1 for x in readings if abs(x - median) <= SKEW_LIMIT_S)
    return float(round(median)) if agreeing >= AGREEING_SHARE * len(readings) else 0.0


def status(db: Database) -> dict:
    """For the console and `hub doctor`: {"off": bool, "offset_s", "phones"} (phones seen lately)."""
    at = clock.now()
    conn = getattr(db, "conn", db)
    phones = conn.execute("SELECT count(*) FROM clock_readings WHERE received_at >= ?",
                          [clock.iso(at - RECENT)]).fetchone()[0]
    off = offset_s(db, at)
    return {"off": off != 0, "offset_s": off, "phones": phones}


def forget(db: Database, actor: str) -> None:
    """Drop an actor's reading (their profile is being deleted)."""
    db.execute("DELETE FROM clock_readings WHERE actor = ?", [actor])
