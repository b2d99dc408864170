"""0400: daily aggregates, the rollup's bookkeeping, the outbox and sync state (owned by sync/).

metrics_daily holds UNSUPPRESSED local figures (the facilitator dashboard reads them);
suppression happens only when a report is built. `learners` is how many distinct learners
(or anonymous sessions) a value was computed from: the privacy rules need it.
"""
from hub.core.migrations import migrations


@migrations(name="0400_sync_metrics")
def sync_metrics(db):
    db.executescript(
        """
        CREATE TABLE metrics_daily (
            day TEXT NOT NULL,              -- YYYY-MM-DD in the hub's time zone
            name TEXT NOT NULL,
            dims TEXT NOT NULL,             -- canonical JSON object, '{}' for the total
            value REAL NOT NULL,
            learners INTEGER NOT NULL,      -- distinct actors the value was computed from
            PRIMARY KEY (day, name, dims)
        ) WITHOUT ROWID;
        CREATE TABLE metrics_dirty (day TEXT PRIMARY KEY) WITHOUT ROWID;
        CREATE TABLE sync_state (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        CREATE TABLE sync_reports (         -- the newest revision built for each day
            day TEXT PRIMARY KEY,
            report_id TEXT NOT NULL,
            revision INTEGER NOT NULL,
            digest TEXT NOT NULL            -- of the metrics, to notice when a day changed
        );
        CREATE TABLE sync_outbox (
            report_id TEXT NOT NULL,
            revision INTEGER NOT NULL,
            day TEXT NOT NULL,
            body BLOB NOT NULL,             -- the exact JSON bytes that are signed and sent
            created_at TEXT NOT NULL,
            attempts INTEGER NOT NULL DEFAULT 0,
            last_attempt_at TEXT,
            last_error TEXT,
            next_attempt_at TEXT,
            held INTEGER NOT NULL DEFAULT 0,   -- refused by the central: wait for a person
            exported_at TEXT,
            sent_at TEXT,
            answer TEXT,                    -- stored | duplicate | superseded | replaced
            PRIMARY KEY (report_id, revision)
        );
        CREATE INDEX sync_outbox_pending ON sync_outbox (sent_at, day);
        -- The rollup reads a day's events by the time they count at: a covering index for the
        -- usual case (a range scan, no table lookups) and a small one for skewed clocks.
        CREATE INDEX events_rollup ON events
            (client_ts, clock_skew_s, actor, anonymous, pack_id, resource_id, verb, score, duration_s);
        CREATE INDEX events_skewed ON events (received_at) WHERE clock_skew_s IS NOT NULL;
        """
    )
