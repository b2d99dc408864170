"""0810: a batch of events bumps its learner's page version once, not once per event.

The 0800 trigger on events ran an upsert of the same page_versions row for every event of a
batch (twenty for a phone's usual batch): about a tenth of event ingest. Events have one
writer (hub.learning.activity_commit), which now bumps the version once per batch, in the
batch's own transaction, through hub.learning.page_versions.bump.
"""
from hub.core.migrations import migrations


@migrations(name="0810_page_versions_per_batch")
def page_versions_per_batch(db):
    db.execute("DROP TRIGGER IF EXISTS page_version_events_insert")
