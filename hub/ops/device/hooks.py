"""What `hub serve` does for the device once it listens: logs, the QR code, mDNS."""
from __future__ import annotations

import logging
import sys

log = logging.getLogger("hub.device")


def hub_name(data_dir: str, db=None) -> str:
    """The hub's name as facilitators set it (settings table), or the default."""
    from hub.core import settings as hub_settings
    from hub.core.db import connect, db_path

    own = db is None
    db = connect(db_path(data_dir)) if own else db
    try:
        return str(hub_settings.get(db, "hub_name") or hub_settings.DEFAULTS["hub_name"])
    except Exception:  # a missing table must not stop the server
        return hub_settings.DEFAULTS["hub_name"]
    finally:
        if own:
            db.conn.close()


def on_ready(conf: dict, app, urls: list[str], echo=print, stream=None):
    """Configure logs, log requests, show a QR code, start mDNS; return the stop function."""
    from hub.ops.device import discovery, logs

    logs.configure(conf)
    app.wsgi_app = logs.RequestLog(app.wsgi_app)
    name = hub_name(conf["HUB_DATA_DIR"])
    stream = stream or sys.stdout
    announcement = discovery.announce(conf, name)
    if announcement is not None:
        echo(f"  {discovery.local_url(name, int(conf['HUB_PORT']))}  (on phones and laptops that find .local names)")
    # A QR code only where a person looks at a terminal, not in the system journal.
    if urls and _is_terminal(stream):
        from hub.ops.device.qr import terminal_qr

        echo(f"Scan to open {urls[0]}:")
        echo(terminal_qr(urls[0]).rstrip("\n"))
    log.info("hub started", extra={"urls": urls, "port": conf["HUB_PORT"]})

    def stop() -> None:
        if announcement is not None:
            announcement.stop()
        log.info("hub stopped")

    return stop


def _is_terminal(stream) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False
