"""Learner pages: home (pack cards), search, pack (topic tree), resource (one page per kind)."""
from __future__ import annotations

import threading

from babel import Locale
from flask import Blueprint, abort, current_app, g, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from markupsafe import Markup, escape

from hub.catalog import search_suggest
from hub.catalog import store as catalog
from hub.learning import progress
from hub.core import i18n
from hub.core import settings as hub_settings
from hub.catalog import markdown as markdown_render
from hub.web import search_cards
from hub.web.db import get_db
from hub.web.settings import catalog_version
from hub.web.views.api import file_url, launch_url

bp = Blueprint("learn", __name__)

KIND_NAMES = {"article": _l("Article"), "video": _l("Video"), "audio": _l("Audio"),
              "document": _l("Document"), "image": _l("Picture"), "html5": _l("Activity"),
              "exercise": _l("Exercise"), "zim": _l("Library"), "h5p": _l("Interactive")}
RESULTS = 30


def _lang() -> str:
    return str(get_locale())


def _reads() -> list[str]:
    """The signed-in learner's languages in their order (after the page's language)."""
    learner = g.get("learner")
    return list(learner.get("reads") or []) if learner else []


@bp.app_template_filter("language_name")
def language_name(tag: str) -> str:
    """A language tag's own name ('fr' -> 'français'), or the tag when Babel does not know it."""
    if i18n.base_language(tag) in i18n.LOCALES and "-" not in tag:
        return i18n.LOCALES[i18n.base_language(tag)]
    try:
        return Locale.parse(tag.replace("-", "_")).get_display_name() or tag
    except (ValueError, LookupError):
        return tag


@bp.app_context_processor
def learn_context():
    """Kind labels and file addresses for every learner template."""
    def kind_icon(kind: str) -> Markup:
        # A picture for each kind, for children who cannot read the word yet.
        name = kind if kind in KIND_NAMES else "article"
        href = escape(url_for("static", filename="icons.svg") + "#kind-" + name)
        return Markup(f'<svg class="kind-icon" aria-hidden="true" width="28" height="28" '
                      f'viewBox="0 0 24 24"><use href="{href}"/></svg>')

    def other_language(tag: str | None) -> bool:
        # True when content in `tag` is shown to a child whose language is another one.
        return bool(tag) and i18n.base_language(tag) != i18n.base_language(_lang())

    return {"kind_names": KIND_NAMES, "language_dir": i18n.text_direction,
            "kind_icon": kind_icon, "other_language": other_language, "content_url": file_url}


def _enabled_pack(pack_id: str) -> dict:
    pack = catalog.get_pack(get_db(), pack_id, enabled_only=True, manifest=False)
    if pack is None:
        abort(404)
    return pack


# Rendered pack cards by (locale, each enabled pack's id, version, install time and size):
# the cards were a third of the home page's time, and change only when packs do.
_CARDS: dict[tuple, Markup] = {}


def _pack_cards(packs: list[dict]) -> Markup:
    key = (_lang(), tuple((p["id"], p["version"], p["installed_at"], p["resource_count"])
                          for p in packs))
    cards = _CARDS.get(key)
    if cards is None:
        cards = Markup(render_template("learn/_pack_cards.html", packs=packs))
        if len(_CARDS) >= 64:  # locales x catalog states: keep it small
            _CARDS.clear()
        _CARDS[key] = cards
    return cards


@bp.get("/")
def home():
    """The learner home page: the enabled packs as cards, titles in the learner's language."""
    packs = catalog.list_packs(get_db())
    # A child sees one version of each resource (in their language where there is one), so
    # a card counts those, not every language's copy.
    seen = catalog.group_counts(get_db())
    for found in packs:
        found["shown_count"] = seen.get(found["id"], found["resource_count"])
    preparing = hub_settings.get(get_db(), "bundled_packs_preparing")  # hub.ops.bundled
    return render_template("learn/home.html", packs=packs, pack_cards=_pack_cards(packs),
                           preparing=preparing)


@bp.get("/search")
def search():
    """Search the catalog (GET form: q, language, kind)."""
    query = request.args.get("q", "").strip()[:200]
    language = request.args.get("language") or None
    kind = request.args.get("kind") or None
    if kind not in KIND_NAMES:
        kind = None
    packs, languages, titles = _search_packs()
    if language not in languages:
        language = None
    results, corrected, suggestions = [], None, []
    if query or language or kind:
        results = catalog.search(get_db(), query, lang=_lang(), language=language, kind=kind,
                                 limit=RESULTS, reads=_reads())
    if query and not results:
        # A short query with a typo ("mangose") shows what its nearest words find; a query
        # that still finds nothing offers near words and the packs to browse.
        corrected = search_suggest.corrected(get_db(), query)
        if corrected:
            results = catalog.search(get_db(), corrected, lang=_lang(), language=language,
                                     kind=kind, limit=RESULTS, reads=_reads())
        if not results:
            corrected, suggestions = None, search_suggest.suggestions(get_db(), query)
    cards = search_cards.cards(results, titles, KIND_NAMES, _lang(), language_name)
    return render_template("learn/search.html", query=query, results=results, language=language,
                           kind=kind, languages=languages, pack_titles=titles, packs=packs,
                           corrected=corrected, suggestions=suggestions, cards=cards)


def _search_packs() -> tuple[list[dict], list[str], dict[str, str]]:
    """The packs, their languages and their titles in this locale, made once per catalog version.

    Decoding every pack's row took more of a search page than the search (issue 22)."""
    version, lang = catalog_version(), _lang()
    kept = current_app.extensions.get("search_packs")
    if kept is None or kept[0] != version:
        kept = current_app.extensions["search_packs"] = (version, {})
    found = kept[1].get(lang)
    if found is None:
        packs = catalog.list_packs(get_db())
        found = kept[1][lang] = (
            packs, sorted({tag for p in packs for tag in p["languages"]}),
            {p["id"]: i18n.pick_text(p["title"], lang, p["languages"]) for p in packs})
    return found


@bp.get("/packs/<pack_id>")
def pack(pack_id: str):
    """A pack's page: its description and topic tree (or one topic with all its resources)."""
    found = _enabled_pack(pack_id)
    topic = request.args.get("topic")
    # installed_at has whole seconds: the folder and resource count tell apart two installs
    # of one version within a second (a re-release without a version bump).
    key = (pack_id, found["version"], found["installed_at"], found["storage_dir"],
           found["resource_count"], _lang(), topic, tuple(_reads()))
    tree_html = _TREES.get(key)
    if tree_html is None:
        with _TREE_LOCK:  # one render at a time: a large pack's tree holds thousands of rows
            tree_html = _TREES.get(key) or _render_tree(key, found, topic)
    return render_template("learn/pack.html", pack=found, tree_html=_with_marks(pack_id, tree_html),
                           topic=topic)


def _with_marks(pack_id: str, tree_html: Markup) -> Markup:
    """The shared, cached tree with the signed-in child's started/finished/mastered marks."""
    if not g.get("learner"):
        return tree_html
    rows = [r for r in progress.learner_progress(get_db(), g.learner["actor"])
            if r["pack_id"] == pack_id]
    if not rows:
        return tree_html
    html = str(tree_html)
    for row in rows:
        slot = f'<span class="mark-slot" data-rid="{escape(row["resource_id"])}"></span>'
        if slot in html:
            html = html.replace(slot, render_template("learn/_mark.html", row=row))
    return Markup(html)


# Rendered topic trees by (pack, version, install, locale, topic), newest last, at most
# TREE_CACHE_BYTES in all. A 25,000-resource pack's page took 0.7 s and tens of MB for each
# request in flight; once rendered it costs what the home page does (docs/performance.md).
TREE_CACHE_BYTES = 8 * 1024 * 1024
# A pack's overview shows a phone screen or two per topic, then "see all": a 25,000-resource
# pack at 60 cards a topic made a 1 MB page and took peak memory to 178 MB under load (79 MB
# at 12); a topic's own page lists everything.
OVERVIEW_PER_TOPIC = 12
TOPIC_PAGE_PER_TOPIC = 1000
_TREES: dict[tuple, Markup] = {}
_TREE_LOCK = threading.Lock()


def _render_tree(key: tuple, found: dict, topic: str | None) -> Markup:
    per_topic = TOPIC_PAGE_PER_TOPIC if topic else OVERVIEW_PER_TOPIC
    tree = catalog.topic_tree(get_db(), found, _lang(), per_topic=per_topic, reads=_reads())
    if topic:
        tree = {"topics": [t for t in _flatten(tree["topics"]) if t["id"] == topic], "loose": []}
        if not tree["topics"]:
            abort(404)
    html = Markup(render_template("learn/_topic_tree.html", pack=found, tree=tree, topic=topic))
    _TREES[key] = html
    while sum(len(v) for v in _TREES.values()) > TREE_CACHE_BYTES and len(_TREES) > 1:
        del _TREES[next(iter(_TREES))]
    return html


def _flatten(topics):
    for node in topics:
        yield node
        yield from _flatten(node["topics"])


@bp.get("/packs/<pack_id>/<resource_id>")
def resource(pack_id: str, resource_id: str):
    """One resource, shown the way its kind needs (article, player, PDF, picture, app)."""
    found = _enabled_pack(pack_id)
    res = catalog.get_resource(get_db(), pack_id, resource_id)
    if res is None:
        abort(404)
    article = None
    if res["kind"] == "article" and res["path"] is not None and res["path"].is_file():
        article = markdown_render.render_file(res["path"], pack_id=pack_id, file=res["file"])
    res["url"] = request.path  # what the "keep on this phone" button keeps
    others = [v for v in catalog.versions(get_db(), pack_id, res["group"]) if v["id"] != res["id"]]
    return render_template("learn/resource.html", pack=found, resource=res, article=article,
                           versions=others, file_url=file_url(res), launch_url=launch_url(res))
