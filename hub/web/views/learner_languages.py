"""/me/languages: a learner orders the languages they read ("Kannada, then English").

Resources then come in the first of them that a pack has (hub.catalog.store.pick_version),
after the language of the pages. Routes sit on the learners blueprint.
"""
from __future__ import annotations

from flask import flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _

from hub.catalog import store as catalog
from hub.core import i18n
from hub.learning import learners
from hub.web.db import get_db
from hub.web.views.learners import bp, require_learner


def reads() -> list[str]:
    """The signed-in learner's languages in their order ([] for anyone else)."""
    learner = g.get("learner")
    return list(learner.get("reads") or []) if learner else []


def _choices() -> list[str]:
    """Languages to choose from: the shipped ones, then any other an installed pack has."""
    found = list(i18n.LOCALES)
    for pack in catalog.list_packs(get_db()):
        found += [tag for tag in pack["languages"] if tag not in found]
    return found


@bp.route("/me/languages", methods=["GET", "POST"])
def my_languages():
    """Choose up to four languages in order; blanks are skipped, repeats count once."""
    require_learner()
    choices = _choices()
    chosen = reads()
    status = 200
    if request.method == "POST":
        wanted = [request.form.get(f"read{n}", "") for n in range(1, learners.MAX_READS + 1)]
        if any(tag and tag not in choices for tag in wanted):
            flash(_("Choose languages from the list."), "error")
            status = 400
        else:
            g.learner["reads"] = learners.set_reads(get_db(), g.learner["id"], wanted)
            flash(_("Your languages were saved."))
            return redirect(url_for("learners.my_learning"), 303)
    return render_template("learners/languages.html", choices=choices, chosen=chosen,
                           slots=learners.MAX_READS), status
