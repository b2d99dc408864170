"""0700: lessons a facilitator plans for groups and learners, owned by hub.lessons.

Assignments reference groups and learners with ON DELETE CASCADE: removing a learner or a
group removes what was assigned to them, never the lesson itself. Items keep the title they
had when picked, so a lesson whose pack was removed still reads sensibly.
"""
from hub.core.migrations import migrations


@migrations(name="0700_lessons")
def lessons(db):
    db.executescript(
        """
        CREATE TABLE lessons (
            id INTEGER PRIMARY KEY,
            title TEXT NOT NULL,
            note TEXT NOT NULL DEFAULT '',  -- shown to learners above the items
            hidden INTEGER NOT NULL DEFAULT 0,
            archived INTEGER NOT NULL DEFAULT 0,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );
        CREATE TABLE lesson_items (
            id INTEGER PRIMARY KEY,
            lesson_id INTEGER NOT NULL REFERENCES lessons(id) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            kind TEXT NOT NULL CHECK (kind IN ('resource', 'article', 'quiz')),
            pack_id TEXT NOT NULL,
            resource_id TEXT NOT NULL,
            path TEXT NOT NULL DEFAULT '',  -- a ZIM article's entry path
            questions TEXT NOT NULL DEFAULT '[]', -- quiz: JSON [[pack_id, resource_id, question_id]]
            title TEXT NOT NULL
        );
        CREATE INDEX lesson_items_lesson ON lesson_items (lesson_id, position);
        CREATE TABLE lesson_assignments (
            lesson_id INTEGER NOT NULL REFERENCES lessons(id) ON DELETE CASCADE,
            group_id INTEGER REFERENCES groups(id) ON DELETE CASCADE,
            learner_id INTEGER REFERENCES learners(id) ON DELETE CASCADE,
            CHECK ((group_id IS NULL) <> (learner_id IS NULL))
        );
        CREATE UNIQUE INDEX lesson_assignments_group ON lesson_assignments (lesson_id, group_id)
            WHERE group_id IS NOT NULL;
        CREATE UNIQUE INDEX lesson_assignments_learner ON lesson_assignments (lesson_id, learner_id)
            WHERE learner_id IS NOT NULL;
        CREATE INDEX lesson_assignments_by_group ON lesson_assignments (group_id);
        CREATE INDEX lesson_assignments_by_learner ON lesson_assignments (learner_id);
        """
    )
