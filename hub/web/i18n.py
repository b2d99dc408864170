"""Flask side of languages: flask-babel wiring, the locale selector, template helpers."""
from __future__ import annotations

from babel import support
from flask import g, has_app_context, request
from flask_babel import (Babel, Domain, format_date, format_datetime, format_decimal, get_domain,
                         get_locale)

from hub.core import i18n
from hub.core.config import ROOT


def select_locale() -> str:
    """The locale for this request: learner preference, cookie, Accept-Language, default."""
    from hub.web import settings as web_settings

    learner = g.get("learner")
    # The choice is a pure function of four short strings: worked out once per combination
    # (parsing Accept-Language was a tenth of a kept page's time).
    key = (learner.get("language") if learner else None, request.cookies.get(i18n.COOKIE_NAME),
           request.headers.get("Accept-Language", ""), web_settings.current()["default_locale"])
    chosen = _CHOSEN.get(key)
    if chosen is None:
        chosen = i18n.choose_locale(key[0], key[1], request.accept_languages, key[3])
        if len(_CHOSEN) >= 512:  # headers vary little in a class; never grow without bound
            _CHOSEN.clear()
        _CHOSEN[key] = chosen
    return chosen


_CHOSEN: dict[tuple, str] = {}


def init_app(app, locale_selector=select_locale) -> None:
    """Configure flask-babel with absolute catalog paths and expose helpers to templates.

    The central receiver passes its own `locale_selector` (it has no learners or settings).
    """
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = str(ROOT / "translations")
    app.config.setdefault("BABEL_DEFAULT_LOCALE", "en")
    babel = Babel(app, locale_selector=locale_selector)
    if app.config.get("HUB_DATA_DIR"):
        from hub.core import translation_edits

        # functools.cached_property on Babel: set once, it is the domain of every request.
        babel.domain_instance = EditedDomain(translation_edits.folder(app.config["HUB_DATA_DIR"]))

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


class EditedDomain(Domain):
    """The shipped catalogs with the strings a facilitator fixed on this hub merged over them.

    flask-babel's own merge of several folders takes the plural rule from the last one, and a
    folder without the locale's catalog then brings English's rule (n != 1) to every language:
    "0 ಕಲಿಕಾರ್ಥಿಗಳು". Here the rule always comes from the shipped catalog.
    """

    def __init__(self, edits_folder):
        super().__init__(translation_directories=[str(ROOT / "translations")])
        self.edits_folder = str(edits_folder)

    def get_translations(self):
        """This request's catalog: shipped, then this hub's edits (cached per locale)."""
        if not has_app_context():
            return support.NullTranslations()
        locale = get_locale()
        found = self.cache.get(str(locale))
        if found is None:
            found = support.Translations.load(self.translation_directories[0], [locale])
            edits = support.Translations.load(self.edits_folder, [locale])
            if isinstance(edits, support.Translations):
                if isinstance(found, support.Translations):
                    found.merge(edits)  # strings from the edits; the plural rule stays
                else:
                    found = edits
            self.cache[str(locale)] = found
        return found


_edits_seen = 0  # how many times the loaded catalogs were dropped for an edit (see below)


def forget_loaded_translations() -> None:
    """Drop the catalogs flask-babel keeps in memory, so the next page loads an edit."""
    global _edits_seen
    _edits_seen += 1
    get_domain().cache.clear()
    from hub.web import page_cache  # kept pages hold the old words

    page_cache.clear()


def translations_version() -> int:
    """Changes whenever a facilitator's translation edit is loaded: part of a kept page's key."""
    return _edits_seen
