"""The central receiver's Flask app: the report API and the program dashboard, localized."""
from __future__ import annotations

from pathlib import Path

from flask import Flask, request

from hub.core import i18n
from hub.web import i18n as i18n_web
from hub.core.config import secret_key
from sync.central.receive import MAX_BODY_BYTES
from sync.central.store import Store


def select_locale() -> str:
    """The page language: the language cookie, Accept-Language, else English (hub.core.i18n rules)."""
    return i18n.choose_locale(None, request.cookies.get(i18n.COOKIE_NAME), request.accept_languages, "en")


def database_url(config: dict | None = None) -> str:
    """HUB_CENTRAL_DATABASE_URL from the given settings, else the environment or config file."""
    from hub.core import config as hub_config

    if config and "HUB_CENTRAL_DATABASE_URL" in config:
        return config["HUB_CENTRAL_DATABASE_URL"] or ""
    return hub_config.load()["HUB_CENTRAL_DATABASE_URL"]


def instant(value) -> str:
    """A stored UTC instant as a short date and time (UTC) in the reader's language."""
    from flask_babel import format_datetime

    from sync import state

    moment = state.parse_iso(value) if value else None
    return format_datetime(moment, "short", rebase=False) + " UTC" if moment else ""


def create_app(data_dir: str | Path, config: dict | None = None, store: Store | None = None) -> Flask:
    """Build the central app on a data dir (key file, session secret; the database unless a URL names one)."""
    from hub.web import security
    from sync.central import admin_views, dashboard_views, export_views, packs_views, views  # noqa: F401 - they add routes
    from sync.central.packs import PackCatalog
    from sync.central.web import bp

    data_dir = Path(data_dir)
    store = store or Store(data_dir, database_url(config))
    app = Flask(__name__)
    app.config.update(
        SECRET_KEY=secret_key(data_dir), SESSION_COOKIE_NAME="central_session",
        SESSION_COOKIE_HTTPONLY=True, SESSION_COOKIE_SAMESITE="Lax",
        MAX_CONTENT_LENGTH=MAX_BODY_BYTES, JSON_SORT_KEYS=False, HUB_CENTRAL_DATA_DIR=str(data_dir))
    app.config.update(config or {})
    app.extensions["central_store"] = store
    app.extensions["central_packs"] = PackCatalog(data_dir)
    i18n_web.init_app(app, locale_selector=select_locale)
    security.init_app(app)
    from hub.web.filters import disksize

    app.add_template_filter(instant, "instant")
    app.add_template_filter(disksize, "filesize")
    app.register_blueprint(bp)
    app.register_blueprint(packs_views.bp)
    from sync.central.api_wsgi import ReportAPI

    app.wsgi_app = ReportAPI(app.wsgi_app, store)  # hubs' POSTs answered without Flask's request machinery
    return app
