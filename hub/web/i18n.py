"""Flask side of languages: flask-babel wiring, the locale selector, template helpers."""
from __future__ import annotations

from flask import g, request
from flask_babel import Babel, format_date, format_datetime, format_decimal, get_domain, get_locale

from hub.core import i18n
from hub.core.config import ROOT


def select_locale() -> str:
    """The locale for this request: learner preference, cookie, Accept-Language, default."""
    from hub.web import settings as web_settings

    learner = g.get("learner")
    return i18n.choose_locale(
        learner.get("language") if learner else None,
        request.cookies.get(i18n.COOKIE_NAME),
        request.accept_languages,
        web_settings.current()["default_locale"],
    )


def init_app(app, locale_selector=select_locale) -> None:
    """Configure flask-babel with absolute catalog paths and expose helpers to templates.

    The central receiver passes its own `locale_selector` (it has no learners or settings).
    """
    directories = [str(ROOT / "translations")]
    if app.config.get("HUB_DATA_DIR"):
        # Strings a facilitator fixed on the translator's page, loaded after (so over) the
        # shipped ones: hub.core.translation_edits.
        from hub.core import translation_edits

        directories.append(str(translation_edits.folder(app.config["HUB_DATA_DIR"])))
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = ";".join(directories)
    app.config.setdefault("BABEL_DEFAULT_LOCALE", "en")
    Babel(app, locale_selector=locale_selector)

    @app.context_processor
    def language_context():
        locale = str(get_locale())
        return {
            "current_locale": locale,
            "text_direction": i18n.text_direction(locale),
            "locales": i18n.LOCALES,
            "pick_text": lambda texts, langs=None: i18n.pick_text(texts, locale, langs),
        }

    app.jinja_env.filters["date"] = lambda value, fmt="medium": format_date(value, fmt)
    app.jinja_env.filters["datetime"] = lambda value, fmt="medium": format_datetime(value, fmt)
    app.jinja_env.filters["number"] = format_decimal


def forget_loaded_translations() -> None:
    """Drop the catalogs flask-babel keeps in memory, so the next page loads an edit."""
    get_domain().cache.clear()
