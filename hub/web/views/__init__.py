"""Thin blueprints: parse the request, call a module, render. One module per area."""
from __future__ import annotations

import importlib

# Each module defines `bp`; the order only matters for URL rules that overlap (none do).
BLUEPRINTS = [
    "system",         # /healthz, language switcher, error pages
    "learn",          # learner pages: home, search, pack, resource
    "content",        # /content/<pack_id>/<path>: pack files
    "h5p",            # /h5p/play/...: the H5P player page; /h5p/libraries/...: shared libraries
    "api",            # /api/v1/packs, /api/v1/resources
    "packs_peer",     # /api/v1/catalog, /api/v1/packs/<id>.zip: packs for other hubs
    "learners",       # learner sign-up/in/out, my learning, check-ins (HTML)
    "learner_resources",  # a learner's resource pages and exercises (routes on learners.bp)
    "learner_languages",  # /me/languages: the languages a learner reads, in order (learners.bp)
    "api_activity",   # /api/v1/learners, /api/v1/session, /api/v1/events
    "api_answers",    # /api/v1/answers: exercise answers, checked on the hub
    "setup",          # /setup, first run only
    "facilitator",    # /facilitator/login, /facilitator/logout
    "facilitator_accounts",   # /facilitator/accounts (routes on facilitator.bp)
    "facilitator_backups",    # /facilitator/backups/usb (routes on facilitator.bp)
    "facilitator_reports",    # /facilitator/: overview, CSV, sharing, settings
    "facilitator_content",    # /facilitator/content, uploads, USB, install jobs
    "facilitator_updates",    # /facilitator/content/updates: packs from the centre and hubs nearby
    "facilitator_learners",   # /facilitator/learners, /facilitator/groups
    "facilitator_community",  # /community: the public monthly totals
    "facilitator_lessons",    # /facilitator/lessons: build, assign and follow lessons
    "facilitator_groups",     # /facilitator/groups/<id>: class at a glance, roster, sign-in cards
    "learner_lessons",        # For you, /lessons/<id>, GET /api/v1/session, rel="next"
    "facilitator_translations",  # /facilitator/translations: fix a word in any language
    "offline",        # /sw.js, /manifest.webmanifest, /offline: keeping resources on the phone
]


def limits() -> dict:
    """The lengths and ranges forms enforce, so hints and messages quote the real constants."""
    from hub.accounts import facilitators
    from hub.accounts import observations
    from hub.learning import learners
    from hub.core import settings

    return {"pin_length": learners.PIN_LENGTH, "name_max": learners.NAME_MAX,
            "password_min": facilitators.MIN_PASSWORD, "hub_name_max": settings.HUB_NAME_MAX,
            "score_min": observations.SCORE_MIN, "score_max": observations.SCORE_MAX}


def register(app) -> None:
    """Register every blueprint on the app, and what every template needs."""
    from hub.web import settings as web_settings
    from hub.web.url_rules import LazyBuilderRule

    app.url_rule_class = LazyBuilderRule  # URL builders made on first use (start-up time)

    @app.context_processor
    def hub_context():
        return {"hub_name": web_settings.current()["hub_name"], "limits": limits()}

    # Every module first (some add routes to another's blueprint), then each blueprint once.
    modules = [importlib.import_module(f"hub.web.views.{name}") for name in BLUEPRINTS]
    for module in modules:
        if module.bp.name not in app.blueprints:
            app.register_blueprint(module.bp)
