"""The search page's result cards, built in Python with the markup of the resource_item macro.

Rendering 30 cards through the Jinja macro (learn/_macros.html) took 8-10 ms of a search page,
three times the search itself (issue 22): per card a macro call, a route built, translated
labels looked up and an icon address made. Here what is the same for every card of a page (the
kind labels and icons, the address pattern, the "in another language" line per language) is
made once, and each card is one string. tests/web/test_search_cards.py holds both renderings
equal, card for card.
"""
from __future__ import annotations

from flask import current_app, url_for
from flask_babel import gettext
from jinja2.filters import do_truncate
from markupsafe import Markup, escape

from hub.core import i18n
from hub.web.views.api import file_url, resource_address


def cards(results: list[dict], pack_titles: dict, kind_names: dict, lang: str,
          language_name) -> list[Markup]:
    """Each result as the resource_item macro renders it with its pack's title."""
    icons = url_for("static", filename="icons.svg")
    labels: dict[str, Markup] = {}
    others: dict[str, Markup] = {}
    env = current_app.jinja_env
    made = []
    for res in results:
        kind, tag = res["kind"], res["language"]
        if kind not in labels:
            name = kind if kind in kind_names else "article"
            href = escape(icons + "#kind-" + name)
            labels[kind] = Markup(
                f'<svg class="kind-icon" aria-hidden="true" width="28" height="28" '
                f'viewBox="0 0 24 24"><use href="{href}"/></svg>') + escape(kind_names.get(kind, kind))
        image = (f'<img class="card-image" src="{escape(file_url(res))}" alt="" loading="lazy">'
                 if kind == "image" and res.get("file") else "")
        description = (f'<span class="muted resource-desc">'
                       f'{escape(do_truncate(env, res["description"], 140))}</span>'
                       if res.get("description") else "")
        other = ""
        if tag and i18n.base_language(tag) != i18n.base_language(lang):
            if tag not in others:
                others[tag] = Markup('<span class="other-language" lang="%s">%s</span>') % (
                    lang, Markup(gettext("In another language: %(language)s")) % {
                        "language": language_name(tag)})
            other = others[tag]
        title = pack_titles.get(res.get("pack_id"))
        pack = f'<span class="muted resource-pack">{escape(title)}</span>' if title else ""
        # f-strings with escape() on every text: Markup.format took most of the time.
        made.append(Markup(
            f'<li class="card resource-card kind-{escape(kind)}" lang="{escape(tag)}" '
            f'dir="{i18n.text_direction(tag)}">\n'
            f'  <a class="stretch" href="{escape(_href(res))}">\n'
            f'    {image}\n'
            f'    <span class="badge">{labels[kind]}</span>\n'
            f'    <strong class="resource-title">{escape(res["title"])}</strong>\n'
            f'    <span class="mark-slot" data-rid="{escape(res["id"])}"></span>\n'
            f'    {description}\n'
            f'    {other}\n'
            f'    {pack}\n'
            '  </a>\n'
            '</li>'))
    return made


def _href(res: dict) -> str:
    return res["url"] if res.get("source") == "zim" else resource_address(res)
