"""0210: the day a well-being check-in was last offered to a learner (at most once a day)."""
from hub.core.migrations import migrations


@migrations(name="0210_checkin_offers")
def checkin_offers(db):
    db.execute("ALTER TABLE learners ADD COLUMN checkin_offered_on TEXT")  # YYYY-MM-DD, hub time
