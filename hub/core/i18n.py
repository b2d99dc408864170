"""Languages: the shipped UI locales, how a request's locale is chosen, content fallback."""
from __future__ import annotations

from babel import Locale
from babel.core import UnknownLocaleError

# Native names, so a child finds their own language without reading English.
LOCALES = {
    "en": "English",
    "fr": "Français",
    "es": "Español",
    "pt": "Português",
    "sw": "Kiswahili",
    "hi": "हिन्दी",
    "kn": "ಕನ್ನಡ",
    "bn": "বাংলা",
    "ar": "العربية",
    "ha": "Hausa",
    "am": "አማርኛ",
}
RTL_LOCALES = {"ar", "fa", "he", "ur", "ps", "ckb", "dv", "yi"}
COOKIE_NAME = "hub_lang"
COOKIE_MAX_AGE = 365 * 24 * 3600


def base_language(tag: str) -> str:
    """Return the primary subtag of a BCP 47 tag ('pt-BR' -> 'pt')."""
    return tag.split("-", 1)[0].split("_", 1)[0].lower()


def text_direction(tag: str) -> str:
    """Return 'rtl' or 'ltr' for a language tag."""
    return "rtl" if base_language(tag) in RTL_LOCALES else "ltr"


def choose_locale(learner_language: str | None, cookie: str | None,
                  accept_languages, default: str) -> str:
    """Pick the UI locale: the learner's preference, the cookie, Accept-Language, the default.

    `accept_languages` is werkzeug's LanguageAccept (or anything with best_match).
    """
    for candidate in (learner_language, cookie):
        if candidate and base_language(candidate) in LOCALES:
            return base_language(candidate)
    if accept_languages is not None:
        match = accept_languages.best_match(list(LOCALES))
        if match:
            return match
        # 'sw-KE' is not an exact tag we ship, but its base language is.
        for tag, _quality in accept_languages:
            if base_language(tag) in LOCALES:
                return base_language(tag)
    return default


def fallback_chain(preferred: str, available: list[str],
                   also: list[str] | None = None) -> list[str]:
    """Order content languages for a learner: exact tag, then base language, then the rest.

    `available` is a pack's language list; its first entry is the pack's own language and
    comes before other languages when neither the tag nor its base matches. `also` is the
    learner's own order of the languages they read ("Kannada, then English"): each, by tag
    then base, comes after `preferred` and before the pack's order.
    """
    chain: list[str] = []
    lowered = {tag.lower(): tag for tag in available}
    for wanted in (preferred, *(also or ())):
        if wanted.lower() in lowered and lowered[wanted.lower()] not in chain:
            chain.append(lowered[wanted.lower()])
        base = base_language(wanted)
        for tag in available:
            if base_language(tag) == base and tag not in chain:
                chain.append(tag)
    for tag in available:
        if tag not in chain:
            chain.append(tag)
    return chain


def pick_text(texts, preferred: str, fallback_languages: list[str] | None = None) -> str:
    """Return the best text from a plain string or a {language: text} map."""
    if isinstance(texts, str):
        return texts
    if not texts:
        return ""
    order = fallback_chain(preferred, list(fallback_languages or []) + list(texts))
    for tag in order:
        if texts.get(tag):
            return texts[tag]
    return next(iter(texts.values()))


def is_known_locale(tag: str) -> bool:
    """True when Babel knows the language tag (used to refuse unknown UI locales)."""
    try:
        Locale.parse(tag.replace("-", "_"))
    except (ValueError, LookupError, UnknownLocaleError):  # 'ôt' is well formed but unknown (schemathesis)
        return False
    return True
