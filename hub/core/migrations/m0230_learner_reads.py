"""0220: the languages a learner reads, in their order ("kn,en"): resources fall back in it."""
from hub.core.migrations import migrations


@migrations(name="0230_learner_reads")
def learner_reads(db):
    db.execute("ALTER TABLE learners ADD COLUMN reads TEXT")  # comma-separated language tags
