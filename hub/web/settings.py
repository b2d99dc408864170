"""The hub settings for the current request, read from SQLite once per request."""
from __future__ import annotations

from flask import current_app, g

from hub.core import clock, settings
from hub.learning import page_versions
from hub.web.db import get_db


def catalog_version() -> int:
    """The catalog and settings version (hub.learning.page_versions), read once per request."""
    if "catalog_version" not in g:
        g.catalog_version = page_versions.catalog(get_db().conn)
    return g.catalog_version


def current() -> dict:
    """Every hub setting (facilitator choices over config defaults), cached on `g`.

    Worked out once per settings version (a trigger bumps it on every write, from any
    process), not read again for every page."""
    if "hub_settings" not in g:
        version = catalog_version()
        kept = current_app.extensions.get("hub_settings")
        if kept is None or kept[0] != version:
            values = settings.all_settings(get_db())
            values.setdefault("default_locale", None)
            values["default_locale"] = values["default_locale"] or current_app.config["HUB_DEFAULT_LOCALE"]
            values.setdefault("timezone", None)
            values["timezone"] = clock.resolve_timezone(values["timezone"], current_app.config)
            kept = current_app.extensions["hub_settings"] = (version, values)
        g.hub_settings = dict(kept[1])  # a request's own copy: no page changes another's
    return g.hub_settings


def hub_timezone() -> str:
    """The hub's time zone for this request (the setup choice, else HUB_TIMEZONE, else UTC)."""
    return current()["timezone"]
