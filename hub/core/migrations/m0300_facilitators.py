"""0300: facilitator accounts and life-skills observations, owned by hub.accounts.facilitators.

Observations reference learners with ON DELETE CASCADE: removing a learner erases what
facilitators wrote about them, as it erases the rest of their personal data.
"""
from hub.core.migrations import migrations


@migrations(name="0300_facilitators")
def facilitators(db):
    db.executescript(
        """
        CREATE TABLE facilitators (
            id INTEGER PRIMARY KEY,
            username TEXT NOT NULL UNIQUE COLLATE NOCASE,
            password_hash TEXT NOT NULL,    -- werkzeug scrypt, salted
            role TEXT NOT NULL CHECK (role IN ('admin', 'facilitator')),
            created_at TEXT NOT NULL,
            last_login_at TEXT
        );
        CREATE TABLE observations (
            id INTEGER PRIMARY KEY,
            learner_id INTEGER NOT NULL REFERENCES learners(id) ON DELETE CASCADE,
            observed_on TEXT NOT NULL,      -- YYYY-MM-DD
            confidence INTEGER CHECK (confidence BETWEEN 1 AND 4),
            collaboration INTEGER CHECK (collaboration BETWEEN 1 AND 4),
            curiosity INTEGER CHECK (curiosity BETWEEN 1 AND 4),
            facilitator_id INTEGER REFERENCES facilitators(id) ON DELETE SET NULL,
            created_at TEXT NOT NULL,
            UNIQUE (learner_id, observed_on)
        );
        CREATE INDEX observations_date ON observations (observed_on);
        """
    )
