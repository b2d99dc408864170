"""0220: the time an event counts at, from the batch's `sent_at` (second wave, "Events").

`client_ts` keeps its meaning for every query: the time an event counts at when
`clock_skew_s` is NULL. Events sent with a `sent_at` store their CORRECTED time there
(timestamp + received_at - sent_at, dated by the phones' consensus when the hub's clock is
off), and what the phone's clock said goes to `client_clock_ts` and `sent_at`, kept to audit.
`clock_readings` keeps, per actor, the newest batch's offset (hub clock minus phone clock):
the median of recent ones tells whether the hub's own clock is off (hub.learning.hub_clock).
"""
from hub.core.migrations import migrations


@migrations(name="0220_event_time")
def event_time(db):
    db.executescript(
        """
        ALTER TABLE events ADD COLUMN client_clock_ts TEXT;  -- the timestamp as the phone said
        ALTER TABLE events ADD COLUMN sent_at TEXT;          -- the batch's sent_at as it said
        CREATE TABLE clock_readings (
            actor TEXT PRIMARY KEY,        -- one reading per phone (actor): the newest
            received_at TEXT NOT NULL,     -- the hub's clock when the batch came
            offset_s REAL NOT NULL         -- received_at minus the batch's sent_at
        ) WITHOUT ROWID;
        CREATE INDEX clock_readings_received ON clock_readings (received_at);
        """
    )
