"""A group's class at a glance, adding a whole roster at once, and printable sign-in cards."""
from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, render_template, request
from flask_babel import get_locale, ngettext
from flask_babel import gettext as _

from hub.learning import class_glance, roster
from hub.learning import learners as learners_api
from hub.web.db import get_db
from hub.web.guard import guarded
from sync import metrics

bp = guarded(Blueprint("facilitator_groups", __name__, url_prefix="/facilitator"))

MAX_ROSTER_BYTES = 64 * 1024


def _group_or_404(group_id: int) -> dict:
    for group in learners_api.list_groups(get_db()):
        if group["id"] == group_id:
            return group
    abort(404)


@bp.get("/groups/<int:group_id>/glance")
def glance(group_id: int):
    """Who came, who was not seen for N days, who is stuck, hard questions, well-being counts."""
    group = _group_or_404(group_id)
    db = get_db()
    days = request.args.get("days", class_glance.NOT_SEEN_DAYS, type=int)
    days = min(max(days or class_glance.NOT_SEEN_DAYS, 1), 365)
    tz = metrics.hub_timezone(db, current_app.config)
    stuck = class_glance.stuck(db, group_id)
    # A long list helps no one at first sight (and costs the page): the first ones, then a link.
    shown = stuck if request.args.get("stuck") == "all" else stuck[:class_glance.STUCK_SHOWN]
    return render_template(
        "facilitator/groups/glance.html", group=group, days=days,
        seen=class_glance.attendance(db, group_id, tz, days),
        stuck=shown, stuck_total=len(stuck),
        difficult=class_glance.difficult(db, group_id, str(get_locale())),
        moods=class_glance.checkins(db, group_id, tz, int(current_app.config["HUB_K_THRESHOLD"])),
        stuck_tries=class_glance.STUCK_WRONG_TRIES, abandoned_days=class_glance.ABANDONED_DAYS)


def _problem_text(number: int, field: str, why: str) -> str:
    if field == "pin":
        return ngettext("Line %(line)s: a PIN is %(num)s digit.", "Line %(line)s: a PIN is %(num)s digits.",
                        learners_api.PIN_LENGTH, line=number)
    if "taken" in why:
        return _("Line %(line)s: that name is on the hub already. Add a letter or a number to tell them apart.",
                 line=number)
    if "also on line" in why:
        return _("Line %(line)s: the same name is on another line.", line=number)
    if "at most" in why:
        return ngettext("At most %(num)s name at once, please.", "At most %(num)s names at once, please.",
                        roster.MAX_LINES)
    if "no names" in why:
        return _("There are no names to add. Write one name on each line.")
    if field == "line":
        return _("Line %(line)s: write a name, and a PIN after a comma if you like.", line=number)
    return ngettext("Line %(line)s: a name has %(min)s to %(num)s character.",
                    "Line %(line)s: a name has %(min)s to %(num)s characters.", learners_api.NAME_MAX,
                    line=number, min=1)


def _roster_text() -> str | None:
    upload = request.files.get("file")
    if upload and upload.filename:
        raw = upload.read(MAX_ROSTER_BYTES + 1)
        if len(raw) > MAX_ROSTER_BYTES:
            return None
        for encoding in ("utf-8-sig", "cp1252"):  # spreadsheets save either
            try:
                return raw.decode(encoding)
            except UnicodeDecodeError:
                continue
        return None
    return request.form.get("names", "")


@bp.route("/groups/<int:group_id>/roster", methods=["GET", "POST"])
def add_roster(group_id: int):
    """Paste names or upload a CSV (name, PIN); all are added, or none when a line is wrong."""
    group = _group_or_404(group_id)
    if request.method == "GET":
        return render_template("facilitator/groups/roster.html", group=group, names="", problems=[])
    text = _roster_text()
    if text is None:
        problems = [_("This file cannot be read. Save it as CSV (UTF-8) and try again.")]
        return render_template("facilitator/groups/roster.html", group=group, names="",
                               problems=problems), 400
    try:
        made = roster.add_to_group(get_db(), group_id, text)
    except roster.RosterError as exc:
        problems = [_problem_text(*p) for p in exc.problems]
        return render_template("facilitator/groups/roster.html", group=group, names=text,
                               problems=problems), 400
    flash(ngettext("%(num)s learner was added to the group.", "%(num)s learners were added to the group.",
                   len(made)))
    return render_template("facilitator/groups/cards.html", group=group, people=made, fresh=True)


@bp.get("/groups/<int:group_id>/cards")
def cards(group_id: int):
    """Sign-in cards to print: name and picture (PINs are stored hashed and cannot be shown)."""
    group = _group_or_404(group_id)
    people = [{"id": p["id"], "name": p["name"], "avatar": p["avatar"], "pin": None,
               "has_pin": p["has_pin"]} for p in learners_api.list_learners(get_db(), group_id=group_id)]
    return render_template("facilitator/groups/cards.html", group=group, people=people, fresh=False)
