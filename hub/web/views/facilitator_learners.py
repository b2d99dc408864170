"""Learners and groups: profiles, PINs, membership, progress, life-skills observations."""
from __future__ import annotations


from flask import (Blueprint, Response, abort, flash, g, redirect, render_template, request,
                   url_for)
from flask_babel import format_decimal, ngettext
from flask_babel import gettext as _

import datetime as dt

from hub.core import clock
from hub.core import settings
from hub.web import csv_export
from hub.web import fragments
from hub.web import settings as web_settings
from hub.accounts import facilitators, observations
from hub.learning import care
from hub.learning import learning_time
from hub.learning import path as learner_path
from hub.learning import progress
from hub.learning import learners as learners_api
from hub.web.db import get_db
from hub.web.guard import guarded

bp = guarded(Blueprint("facilitator_learners", __name__, url_prefix="/facilitator"))


def _learner_or_404(learner_id: int) -> dict:
    learner = learners_api.get_learner(get_db(), learner_id)
    if learner is None:
        abort(404)
    return learner


def _group_or_404(group_id: int) -> dict:
    group = learners_api.get_group(get_db(), group_id)
    if group is None:
        abort(404)
    return group


def _refused(exc: learners_api.LearnerError, name_max: int = learners_api.NAME_MAX) -> None:
    # hub.learning.learners says `field: why` in English; say it plainly in the reader's language.
    field, _sep, why = str(exc).partition(":")
    if field == "pin":
        flash(ngettext("A PIN is %(num)s digit. Please try again.", "A PIN is %(num)s digits. Please try again.",
                       learners_api.PIN_LENGTH), "error")
    elif "taken" in why or "exists" in why:
        flash(_("That name is taken already. Add a letter or a number to tell them apart."), "error")
    else:
        flash(ngettext("Please give a name of %(min)s to %(num)s character.",
                       "Please give a name of %(min)s to %(num)s characters.", name_max,
                       min=1), "error")


@bp.route("/learners", methods=["GET", "POST"])
def learners():
    """All learners (search, filter by group) and a form to add one."""
    api, db = learners_api, get_db()
    if request.method == "POST":
        try:
            learner = api.create_learner(db, request.form.get("name", "").strip(),
                                         pin=request.form.get("pin") or None)
        except learners_api.LearnerError as exc:
            _refused(exc)
        else:
            flash(_("%(name)s was added.", name=learner["name"]))
        return redirect(url_for("facilitator_learners.learners"))
    group_id = request.args.get("group", type=int)
    query = request.args.get("q", "").strip()
    found = api.list_learners(db, group_id=group_id, q=query or None)
    # Rendering 600 names, pictures and dates was most of the page: kept per list's content.
    rows = [(r["id"], r["name"], r["avatar"], r.get("last_seen_at")) for r in found]
    listed = fragments.kept("learner list", fragments.digest(rows),
                            lambda: render_template("facilitator/_learner_list.html", learners=found))
    return render_template("facilitator/learners.html", learner_list=listed,
                           groups=api.list_groups(db), group_id=group_id, query=query)


@bp.get("/learners/<int:learner_id>")
def learner(learner_id: int):
    """One learner: progress, path through each pack, groups, observations, actions."""
    learner = _learner_or_404(learner_id)
    db = get_db()
    paths = learner_path.learner_paths(db, learner["actor"])
    groups = learners_api.groups_of(db, learner_id)
    totals = learner_path.totals(paths)
    # The same measure as the child's own "My learning" page, so the two always agree.
    totals["time_spent_s"] = learning_time.learning_time(db, learner["actor"])["seconds"]
    week = learning_time.learning_time(db, learner["actor"], _week_start())
    very_sad = (care.repeated_very_sad(db, learner["actor"])
                if settings.get(db, "show_very_sad_checkins") else [])
    return render_template("facilitator/learner.html", learner=learner, paths=paths,
                           totals=totals, groups=groups, very_sad=very_sad,
                           week_minutes=learning_time.minutes(week["seconds"]),
                           week_estimated=week["estimated"],
                           observations=observations.observations(db, learner_id),
                           rubric=observations.RUBRIC, today=clock.local_today(web_settings.hub_timezone()).isoformat())


def _week_start() -> str:
    now = clock.local_now(web_settings.hub_timezone())
    start = (now - dt.timedelta(days=now.weekday())).replace(hour=0, minute=0, second=0,
                                                            microsecond=0)
    return clock.iso(start)


def _group_rows(db, group_id: int) -> list[dict]:
    rows = progress.group_progress(db, group_id)
    for row in rows:  # the same minutes as each child's own page
        row["time_spent_s"] = learning_time.learning_time(db, row["actor"])["seconds"]
    return rows


@bp.post("/learners/<int:learner_id>/rename")
def rename(learner_id: int):
    """Change a learner's name."""
    _learner_or_404(learner_id)
    try:
        learners_api.rename_learner(get_db(), learner_id, request.form.get("name", "").strip())
    except learners_api.LearnerError as exc:
        _refused(exc)
    else:
        flash(_("The name was changed."))
    return redirect(url_for("facilitator_learners.learner", learner_id=learner_id))


@bp.post("/learners/<int:learner_id>/pin")
def reset_pin(learner_id: int):
    """Set a new PIN, or remove it (empty field)."""
    _learner_or_404(learner_id)
    pin = request.form.get("pin", "").strip() or None
    try:
        learners_api.set_pin(get_db(), learner_id, pin)
    except learners_api.LearnerError as exc:
        _refused(exc)
    else:
        flash(_("The new PIN is set.") if pin else _("The PIN was removed."))
    return redirect(url_for("facilitator_learners.learner", learner_id=learner_id))


@bp.route("/learners/<int:learner_id>/remove", methods=["GET", "POST"])
def remove(learner_id: int):
    """Ask first (GET), then remove a learner and their personal data (POST)."""
    learner = _learner_or_404(learner_id)
    if request.method == "GET":
        return render_template("facilitator/remove_learner.html", learner=learner)
    learners_api.delete_learner(get_db(), learner_id)
    flash(_("%(name)s was removed, with their personal data.", name=learner["name"]))
    return redirect(url_for("facilitator_learners.learners"))


@bp.post("/learners/<int:learner_id>/observations")
def observe(learner_id: int):
    """Record a life-skills observation for one day."""
    _learner_or_404(learner_id)
    try:
        observations.record_observation(
            get_db(), learner_id, request.form.get("observed_on", ""),
            {name: request.form.get(name) for name in observations.RUBRIC}, g.facilitator["id"])
    except facilitators.FacilitatorError:
        flash(_("Choose a date and at least one score from %(low)s to %(high)s.",
                low=format_decimal(observations.SCORE_MIN), high=format_decimal(observations.SCORE_MAX)), "error")
    else:
        flash(_("The observation was saved."))
    return redirect(url_for("facilitator_learners.learner", learner_id=learner_id) + "#observations")


@bp.route("/groups", methods=["GET", "POST"])
def groups():
    """Groups (classes, clubs) and a form to add one."""
    api, db = learners_api, get_db()
    if request.method == "POST":
        try:
            made = api.create_group(db, request.form.get("name", "").strip())
        except learners_api.LearnerError as exc:
            _refused(exc, learners_api.GROUP_NAME_MAX)
            return redirect(url_for("facilitator_learners.groups"))
        flash(_("The group was added."))
        return redirect(url_for("facilitator_learners.group", group_id=made["id"]), 303)
    return render_template("facilitator/groups.html", groups=api.list_groups(db))


@bp.get("/groups/<int:group_id>")
def group(group_id: int):
    """One group: members, progress, membership and rename forms."""
    api, db = learners_api, get_db()
    group = _group_or_404(group_id)
    members = api.list_learners(db, group_id=group_id)
    member_ids = {m["id"] for m in members}
    others = [x for x in api.list_learners(db) if x["id"] not in member_ids]
    return render_template("facilitator/group.html", group=group, members=members, others=others,
                           progress=_group_rows(db, group_id))


@bp.post("/groups/<int:group_id>/rename")
def rename_group(group_id: int):
    """Rename a group."""
    _group_or_404(group_id)
    try:
        learners_api.rename_group(get_db(), group_id, request.form.get("name", "").strip())
    except learners_api.LearnerError as exc:
        _refused(exc, learners_api.GROUP_NAME_MAX)
    else:
        flash(_("The name was changed."))
    return redirect(url_for("facilitator_learners.group", group_id=group_id))


@bp.post("/groups/<int:group_id>/members")
def add_member(group_id: int):
    """Add learners to a group."""
    _group_or_404(group_id)
    for learner_id in request.form.getlist("learner", type=int):
        _learner_or_404(learner_id)
        learners_api.add_to_group(get_db(), group_id, learner_id)
    return redirect(url_for("facilitator_learners.group", group_id=group_id))


@bp.post("/groups/<int:group_id>/members/<int:learner_id>/remove")
def remove_member(group_id: int, learner_id: int):
    """Take a learner out of a group (the learner stays on the hub)."""
    _group_or_404(group_id)
    learners_api.remove_from_group(get_db(), group_id, learner_id)
    return redirect(url_for("facilitator_learners.group", group_id=group_id))


@bp.route("/groups/<int:group_id>/remove", methods=["GET", "POST"])
def remove_group(group_id: int):
    """Ask first, then remove a group (its learners stay)."""
    group = _group_or_404(group_id)
    if request.method == "GET":
        return render_template("facilitator/remove_group.html", group=group)
    learners_api.delete_group(get_db(), group_id)
    flash(_("The group was removed. Its learners are still on the hub."))
    return redirect(url_for("facilitator_learners.groups"))


@bp.get("/groups/<int:group_id>/progress.csv")
def group_csv(group_id: int):
    """A group's progress as CSV, one row per learner (the same numbers as the page)."""
    group = _group_or_404(group_id)
    header = [_("Learner"), _("Started"), _("Completed"), _("Mastered"), _("Minutes"), _("Last seen")]
    rows = ([row["name"], row["started"], row["completed"], row["mastered"],
             round((row["time_spent_s"] or 0) / 60), row["last_seen_at"] or ""]
            for row in _group_rows(get_db(), group_id))
    filename = f"group-{group['id']}-progress.csv"
    return Response(csv_export.to_csv(header, rows), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})
