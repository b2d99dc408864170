"""0001: hub-wide settings (key/value), owned by hub.core.settings."""
from hub.core.migrations import migrations


@migrations(name="0001_settings")
def settings(db):
    db.execute("CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
