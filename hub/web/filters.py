"""Template filters for dates, instants and byte counts, in the reader's language."""
from __future__ import annotations

import datetime as dt

from flask_babel import format_date, format_datetime, format_decimal
from flask_babel import gettext as _

from hub.core import clock
from hub.web import settings as web_settings


def init_app(app) -> None:
    """Register the filters on the app (every template may use them)."""
    app.add_template_filter(isodate, "isodate")
    app.add_template_filter(isotime, "isotime")
    app.add_template_filter(disksize, "disksize")


def isodate(value, fmt: str = "medium") -> str:
    """Format an ISO 8601 date or timestamp string as a date in the reader's language."""
    if not value:
        return ""
    try:
        day = dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return str(value)
    return format_date(day, fmt)


def isotime(value, fmt: str = "medium") -> str:
    """Format a stored UTC instant as a date and time in the hub's time zone and the reader's language."""
    if not value:
        return ""
    try:
        moment = dt.datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        return str(value)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.timezone.utc)
    zone = clock.zone(web_settings.hub_timezone())
    return format_datetime(moment.astimezone(zone), fmt, rebase=False)


def disksize(size) -> str:
    """Format a number of bytes as KB, MB or GB in the reader's language (disk space, packs)."""
    size = int(size or 0)
    if size < 1024 ** 2:
        return _("%(size)s KB", size=format_decimal(max(1, round(size / 1024))))
    if size >= 1024 ** 3:
        return _("%(size)s GB", size=format_decimal(round(size / 1024 ** 3, 1)))
    return _("%(size)s MB", size=format_decimal(round(size / 1024 ** 2, 1)))
