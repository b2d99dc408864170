"""Data for the device panels on the facilitator dashboard (templates/device/*.html)."""
from __future__ import annotations

from hub.ops.device import health
from hub.ops.device.doctor import check_clock
from hub.ops.device.qr import hub_qr_svg


def panel_context(settings: dict, db=None, *, checks: bool = True) -> dict:
    """Template variables for device/status_panel.html and device/qr_panel.html.

    device_checks (list of Check), device_url (the first learner address), device_urls,
    device_local_url (the .local name when HUB_MDNS is on), device_qr_svg (inline SVG), and the
    newest health checks (hub.ops.device.health) with device_checked_at, or device_checking.
    """
    from hub.ops.device.discovery import local_url
    from hub.ops.device.hooks import hub_name
    from hub.ops.device.addresses import learner_urls

    urls = learner_urls(str(settings["HUB_HOST"]), int(settings["HUB_PORT"]))
    context = {
        "device_urls": urls,
        "device_url": urls[0],
        "device_qr_svg": hub_qr_svg(urls[0]),
        "device_local_url": (local_url(hub_name(settings["HUB_DATA_DIR"], db), int(settings["HUB_PORT"]))
                             if settings.get("HUB_MDNS") else ""),
    }
    if checks:  # the newest background results, with their time: a page never runs them
        found, context["device_checked_at"] = health.latest(settings)
        if found is not None:
            # The clock check only reads: run it now, so the phones' verdict shows at once.
            fresh = check_clock(settings, db)
            found = [fresh if check.name == fresh.name else check for check in found]
        context["device_checks"] = found
        context["device_checking"] = found is None
    return context
