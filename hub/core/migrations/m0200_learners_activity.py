"""0200: learners, groups, events and progress, owned by hub.learning.learners and hub.learning.activity.

Events carry an opaque `actor` key, never a foreign key to a learner: removing a learner
deletes the profile and progress, and what is left in events can no longer be tied to a child
while still counting in the aggregates.
"""
from hub.core.migrations import migrations


@migrations(name="0200_learners_activity")
def learners_activity(db):
    db.executescript(
        """
        CREATE TABLE learners (
            id INTEGER PRIMARY KEY,
            actor TEXT NOT NULL UNIQUE,     -- random key used in events ('L' + hex)
            name TEXT NOT NULL,
            avatar TEXT NOT NULL,
            language TEXT,
            pin_hash TEXT,
            pin_failures INTEGER NOT NULL DEFAULT 0,
            pin_locked_until TEXT,
            checkin_declined INTEGER NOT NULL DEFAULT 0,
            created_at TEXT NOT NULL,
            last_seen_at TEXT
        );
        CREATE INDEX learners_name ON learners (name COLLATE NOCASE);
        CREATE TABLE groups (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE
        );
        CREATE TABLE group_members (
            group_id INTEGER NOT NULL REFERENCES groups(id) ON DELETE CASCADE,
            learner_id INTEGER NOT NULL REFERENCES learners(id) ON DELETE CASCADE,
            PRIMARY KEY (group_id, learner_id)
        );
        CREATE TABLE events (
            id TEXT PRIMARY KEY,            -- the client's event id (uuid)
            actor TEXT NOT NULL,            -- learners.actor, or 'A' + anonymous session key
            anonymous INTEGER NOT NULL,
            pack_id TEXT NOT NULL,
            resource_id TEXT NOT NULL,
            verb TEXT NOT NULL,
            progress REAL,
            score REAL,
            duration_s REAL NOT NULL DEFAULT 0,
            client_ts TEXT NOT NULL,        -- as the client said (ISO 8601, UTC)
            received_at TEXT NOT NULL,      -- the hub's own clock (ISO 8601, UTC)
            clock_skew_s REAL,              -- client minus hub when far off, else NULL
            data TEXT NOT NULL DEFAULT '{}'
        ) WITHOUT ROWID;
        CREATE INDEX events_received ON events (received_at);
        CREATE INDEX events_actor ON events (actor, pack_id, resource_id);
        CREATE TABLE progress (
            actor TEXT NOT NULL,
            pack_id TEXT NOT NULL,
            resource_id TEXT NOT NULL,
            started_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            progress REAL NOT NULL DEFAULT 0,
            completed_at TEXT,
            time_spent_s REAL NOT NULL DEFAULT 0,
            position_s REAL,
            best_score REAL,
            attempts INTEGER NOT NULL DEFAULT 0,
            recent_scores TEXT NOT NULL DEFAULT '[]', -- JSON list, newest last (mastery)
            mastered_at TEXT,
            PRIMARY KEY (actor, pack_id, resource_id)
        ) WITHOUT ROWID;
        """
    )
