"""0001: hub-wide settings (key/value), owned by hub.settings."""
from hub.migrations import migrations


@migrations(name="0001_settings")
def settings(db):
    db.execute("CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
