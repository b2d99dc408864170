"""0410: weekly reports, frozen once built (owned by sync.weeks).

A week's row keeps the UTC instants it covers (so a later change of the hub's time zone never
re-cuts it) and the receive watermark its numbers were computed up to (so late events can
be told apart, and make a revision only when they come from at least k learners).
"""
from hub.core.migrations import migrations


@migrations(name="0410_sync_weeks")
def sync_weeks(db):
    db.executescript(
        """
        CREATE TABLE sync_weeks (
            week TEXT PRIMARY KEY,          -- the Monday, YYYY-MM-DD, in the zone it was cut in
            report_id TEXT NOT NULL,        -- week-YYYY-Www
            revision INTEGER NOT NULL,
            start_utc TEXT NOT NULL,        -- [start_utc, end_utc): the instants it covers
            end_utc TEXT NOT NULL,
            tz TEXT NOT NULL,
            watermark TEXT NOT NULL,        -- events received up to here are in the numbers
            built_at TEXT NOT NULL
        ) WITHOUT ROWID;
        """
    )
