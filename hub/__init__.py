"""Community Learning Hub: an offline-first learning server for low-cost devices."""
from __future__ import annotations

__version__ = "0.1.0"


def create_app(config: dict | None = None, bundled_later: bool = False):
    """Build the Flask app: config -> data dir -> database -> i18n -> security -> views.

    `bundled_later`: leave the bundled packs' first install to hub.ops.bundled (hub serve).
    """
    from flask import Flask

    from hub.core import config as hub_config
    from hub.web import db
    from hub.core import i18n
    from hub.web import i18n as i18n_web
    from hub.web import filters, guard, security
    from hub.ops import startup
    from hub.web import page_cache, template_cache, views

    settings = hub_config.load(config)
    if settings["HUB_DEFAULT_LOCALE"] not in i18n.LOCALES:
        raise hub_config.ConfigError(
            f"HUB_DEFAULT_LOCALE: {settings['HUB_DEFAULT_LOCALE']!r} is not a shipped locale; "
            f"use one of {', '.join(i18n.LOCALES)}"
        )
    data_dir = hub_config.ensure_data_dir(settings["HUB_DATA_DIR"])

    app = Flask(__name__)
    app.config.update(settings)
    app.config.update(
        SECRET_KEY=hub_config.secret_key(data_dir),
        SESSION_COOKIE_NAME="hub_session",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        PERMANENT_SESSION_LIFETIME=90 * 24 * 3600,
        JSON_SORT_KEYS=False,
    )
    if config:
        app.config.update({k: v for k, v in config.items() if not k.startswith("HUB_")})

    db.init_app(app)
    i18n_web.init_app(app)
    guard.init_app(app)  # before the CSRF check: no body is read for a stranger
    security.init_app(app)
    filters.init_app(app)
    template_cache.init_app(app)  # a restart's first pages need not compile templates
    views.register(app)
    page_cache.init_app(app)  # after the views: it needs the signed-in learner
    startup.run(app, bundled_later)
    return app
