"""POST /facilitator/backups/usb: copy the newest backup to a USB stick (admins, on the
facilitator blueprint; the button is on the settings page)."""
from __future__ import annotations

import logging

from flask import current_app, flash, redirect, request, url_for
from flask_babel import gettext as _

from hub.core import mounts
from hub.ops import backup as backups
from hub.web.guard import admin_only
from hub.web.views.facilitator import bp

log = logging.getLogger(__name__)


@bp.post("/backups/usb")
@admin_only
def backup_to_usb():
    """Copy the newest nightly backup (made now if none today) to the chosen USB stick."""
    config = current_app.config
    drives = mounts.mount_points(config["HUB_USB_MOUNTS"])
    chosen = request.form.get("drive", "")
    drive = next((d for d in drives if str(d) == chosen), drives[0] if len(drives) == 1 else None)
    if drive is None:
        flash(_("No USB stick was found. Plug one in and try again."), "error")
        return redirect(url_for("facilitator_reports.hub_settings"))
    try:
        copied = backups.copy_newest(config["HUB_DATA_DIR"], drive,
                                     config["HUB_DISK_RESERVE_MB"] * 1024 * 1024)
    except backups.BackupError as exc:
        log.warning("backup to USB failed: %s", exc)
        flash(_("The backup could not be copied. Is the USB stick full or read-only?"), "error")
        return redirect(url_for("facilitator_reports.hub_settings"))
    flash(_("The newest backup was copied to %(place)s.", place=str(copied)))
    return redirect(url_for("facilitator_reports.hub_settings"))
