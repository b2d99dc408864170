"""0240: events by learner, kind and the time they count at, for one class's pages.

Class at a glance reads, for the thirty children of a group, when each was last seen, their
answers and their check-ins of the last weeks. Through `events_actor` that was every event each
child ever made, looked up row by row: about 0.6 s per part on a year of a busy hub. This index
ends in the very expression hub.learning.progress.event_time_sql() writes, so SQLite finds a
child's answers or check-ins since a day as one range, and their newest event at its end.
"""
from hub.core.migrations import migrations


@migrations(name="0240_events_by_learner")
def events_by_learner(db):
    db.execute("CREATE INDEX IF NOT EXISTS events_learner_verb_time ON events (actor, verb, "
               "(CASE WHEN clock_skew_s IS NULL THEN client_ts ELSE received_at END))")
