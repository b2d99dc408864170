"""0800: a version number per thing a learner page shows, kept by triggers (hub.learning.page_versions).

A learner page is kept as bytes under the versions of what it shows; a write anywhere (this
process, the command line, a sync import) bumps the row in the same transaction, so a kept
page is never served after what it shows has changed. Rows:
- '*catalog': packs, settings, and whether a facilitator exists (the setup pointer);
- '*lessons': lessons, their items and assignments, groups and their members;
- an actor key ('L...' a learner, 'A...' an anonymous session): their events, progress, and
  their profile (name, avatar, languages, check-in offered or declined).
Numbered after the lessons step: its triggers need every table they watch.
"""
from hub.core.migrations import migrations

_BUMP = ("INSERT INTO page_versions (owner, version) VALUES ({owner}, 1)"
         " ON CONFLICT (owner) DO UPDATE SET version = version + 1;")
# A row going away bumps an existing version only: a removed learner leaves no row behind.
_BUMP_ONLY = "UPDATE page_versions SET version = version + 1 WHERE owner = {owner};"
_WATCHED = [
    # (table, events, owner expression per event)
    ("packs", ("INSERT", "UPDATE", "DELETE"), "'*catalog'"),
    ("settings", ("INSERT", "UPDATE", "DELETE"), "'*catalog'"),
    ("facilitators", ("INSERT", "DELETE"), "'*catalog'"),
    ("lessons", ("INSERT", "UPDATE", "DELETE"), "'*lessons'"),
    ("lesson_items", ("INSERT", "UPDATE", "DELETE"), "'*lessons'"),
    ("lesson_assignments", ("INSERT", "UPDATE", "DELETE"), "'*lessons'"),
    ("groups", ("INSERT", "UPDATE", "DELETE"), "'*lessons'"),
    ("group_members", ("INSERT", "UPDATE", "DELETE"), "'*lessons'"),
    ("events", ("INSERT",), "NEW.actor"),
    ("progress", ("INSERT", "UPDATE", "DELETE"), None),  # the row's actor, old or new
    ("learners", ("UPDATE",), None),
]


def _owner(expression, event: str) -> str:
    return expression or ("OLD.actor" if event == "DELETE" else "NEW.actor")


@migrations(name="0800_page_versions")
def page_versions(db):
    statements = ["CREATE TABLE page_versions (owner TEXT PRIMARY KEY,"
                  " version INTEGER NOT NULL) WITHOUT ROWID;",
                  # Random starts: two databases (a restore, tests) never share a version.
                  "INSERT INTO page_versions VALUES ('*catalog', abs(random() % 1000000000000)),"
                  " ('*lessons', abs(random() % 1000000000000));"]
    for table, events, expression in _WATCHED:
        for event in events:
            bump = (_BUMP_ONLY if event == "DELETE" else _BUMP).format(owner=_owner(expression, event))
            statements.append(f"CREATE TRIGGER page_version_{table}_{event.lower()} AFTER {event}"
                              f" ON {table} BEGIN {bump} END;")
    statements.append("CREATE TRIGGER page_version_learners_delete AFTER DELETE ON learners"
                      " BEGIN DELETE FROM page_versions WHERE owner = OLD.actor; END;")
    db.executescript("\n".join(statements))
