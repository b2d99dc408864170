"""The hub settings for the current request, read from SQLite once per request."""
from __future__ import annotations

from flask import current_app, g

from hub.core import clock, settings
from hub.web.db import get_db


def current() -> dict:
    """Every hub setting (facilitator choices over config defaults), cached on `g`."""
    if "hub_settings" not in g:
        values = settings.all_settings(get_db())
        values.setdefault("default_locale", None)
        values["default_locale"] = values["default_locale"] or current_app.config["HUB_DEFAULT_LOCALE"]
        values.setdefault("timezone", None)
        values["timezone"] = clock.resolve_timezone(values["timezone"], current_app.config)
        g.hub_settings = values
    return g.hub_settings


def hub_timezone() -> str:
    """The hub's time zone for this request (the setup choice, else HUB_TIMEZONE, else UTC)."""
    return current()["timezone"]
