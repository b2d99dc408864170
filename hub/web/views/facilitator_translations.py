"""/facilitator/translations: the translator's page, a locale's strings beside English, editable.

Edits go to the data folder (hub.core.translation_edits) and show on the next page load.
"""
from __future__ import annotations

from flask import (Blueprint, abort, current_app, flash, redirect, render_template, request,
                   url_for)
from flask_babel import gettext as _
from flask_babel import ngettext

from hub.core import i18n, translation_edits
from hub.web.guard import guarded
from hub.web.i18n import forget_loaded_translations

bp = guarded(Blueprint("facilitator_translations", __name__, url_prefix="/facilitator"))

PER_PAGE = 50  # strings on one page: a phone screen of forms, not seven hundred at once


def _data_dir() -> str:
    return current_app.config["HUB_DATA_DIR"]


@bp.get("/translations")
def translations():
    """Choose a locale: each with how many strings are missing, to check and fixed here."""
    counts = []
    for code in translation_edits.editable_locales():
        states = [e["state"] for e in translation_edits.entries(_data_dir(), code)]
        counts.append({"code": code, "name": i18n.LOCALES[code],
                       "missing": states.count("missing"), "fuzzy": states.count("fuzzy"),
                       "edited": states.count("edited")})
    return render_template("facilitator/translations.html", counts=counts)


def _page_of(locale: str, query: str, page: int) -> tuple[list[dict], int]:
    found = translation_edits.entries(_data_dir(), locale)
    if query:
        needle = query.casefold()
        found = [e for e in found if any(needle in t.casefold() for t in e["english"] + e["text"])]
    pages = max(1, -(-len(found) // PER_PAGE))
    return found[(page - 1) * PER_PAGE:page * PER_PAGE], pages


def _render(locale: str, status: int = 200):
    query = request.values.get("q", "").strip()[:100]
    try:
        page = max(1, int(request.values.get("page", 1)))
    except ValueError:
        page = 1
    shown, pages = _page_of(locale, query, min(page, 10_000))
    return render_template("facilitator/translate.html", locale=locale,
                           locale_name=i18n.LOCALES[locale], entries=shown, query=query,
                           page=min(page, pages), pages=pages,
                           plurals=translation_edits.plural_count(locale)), status


@bp.get("/translations/<locale>")
def translate(locale: str):
    """A locale's strings beside English, missing and fuzzy first, a form for each."""
    if locale not in translation_edits.editable_locales():
        abort(404)
    return _render(locale)


@bp.post("/translations/<locale>")
def save(locale: str):
    """Save one edited string; it shows on the next page load and survives a restart."""
    if locale not in translation_edits.editable_locales():
        abort(404)
    msgid = request.form.get("msgid", "")
    texts = request.form.getlist("text")
    try:
        translation_edits.save(_data_dir(), locale, msgid, texts)
    except translation_edits.TranslationError as exc:
        flash(_refusal(exc), "error")
        return _render(locale, 400)
    forget_loaded_translations()
    flash(_("The translation was saved."))
    return redirect(url_for("facilitator_translations.translate", locale=locale,
                            q=request.form.get("q") or None,
                            page=request.form.get("page") or None), 303)


def _refusal(exc: translation_edits.TranslationError) -> str:
    """Say in plain words what to change in a refused translation."""
    if exc.why.startswith("placeholder"):
        return _("Keep the parts that start with a percent sign exactly as they are in "
                 "English: the hub fills them in.")
    if exc.why == "empty or too long":
        return ngettext("Write a translation of %(num)s character or fewer.",
                        "Write a translation of %(num)s characters or fewer.",
                        translation_edits.MAX_TEXT)
    if exc.why == "markup":
        return _("Write plain text: the signs < and > cannot be used.")
    if exc.why == "plural forms":
        return _("Fill in every form of the word.")
    return _("This string is not in the catalog. Open the page again and try once more.")
