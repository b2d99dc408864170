"""Learner routes on resources (blueprint `learners`): exercise questions, "I finished this",
and the helpers the catalog's resource page includes (progress, exercise panel, continue).
"""
from __future__ import annotations

import logging
import sqlite3
import uuid

from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from werkzeug.routing import BuildError

from hub.learning import activity
from hub.learning import answers
from hub.learning import exercises
from hub.learning import progress
from hub.learning import quiz_summary
from hub.web import page_tokens
from hub.web.db import get_db
from hub.web.views.learners import bp, current_actor, page_actor, refuse_another_learners_form


def _key(resource) -> tuple[str, str]:
    if isinstance(resource, dict):
        return resource["pack_id"], resource["id"]
    return resource.pack_id, resource.id


def resource_url(pack_id: str, resource_id: str) -> str:
    """The learner page of a resource (the catalog's), or its exercise's first question."""
    try:
        return url_for("learn.resource", pack_id=pack_id, resource_id=resource_id)
    except BuildError:
        return f"/packs/{pack_id}/{resource_id}"


def _resource_or_404(pack_id: str, resource_id: str, kind: str | None = None) -> dict:
    resource = activity.find_resource(get_db(), pack_id, resource_id)
    if (resource is None or not resource.get("pack_enabled", True)
            or (kind and resource.get("kind") != kind)):
        abort(404)  # hidden packs are hidden here too
    return resource


def _exercise_or_404(resource: dict) -> dict:
    try:
        return exercises.load(get_db(), resource)
    except exercises.ExerciseError:
        abort(404)


def _attempt_id(value: str | None) -> str:
    # The form carries the event id, so a form posted twice counts once.
    try:
        return str(uuid.UUID(value or ""))
    except ValueError:
        return activity.new_id()


@bp.route("/packs/<pack_id>/<resource_id>/question/<question_id>", methods=["GET", "POST"])
def question(pack_id: str, resource_id: str, question_id: str):
    """One exercise question; POST checks the answer on the hub and shows kind feedback."""
    resource = _resource_or_404(pack_id, resource_id, "exercise")
    exercise = _exercise_or_404(resource)
    language = str(get_locale())
    shown = {q["id"]: q for q in exercises.public_questions(exercise, language)}
    if question_id not in shown:
        abort(404)
    q = shown[question_id]
    result, given, status = None, None, 200
    if request.method == "POST":
        refuse_another_learners_form()
        given = (request.form.getlist("answer") if q["type"] == "multiple_choice"
                 else request.form.get("answer", "").strip())
        if not given:
            flash(_("Choose or write an answer first."), "error")
        elif q["type"] == "numeric" and exercises.parse_number(given) is None:
            flash(_("Please write a number, such as 12."), "error")
        else:
            result = answers.answer(get_db(), current_actor(), resource, question_id, given,
                                      language=language, event_id=_attempt_id(request.form.get("attempt")))
    ids = list(shown)
    state = progress.resource_progress(get_db(), current_actor(), pack_id, resource_id)
    return render_template("learners/question.html", resource=resource, question=q,
                           number=ids.index(question_id) + 1, total=len(ids), result=result,
                           given=given, attempt=activity.new_id(), state=state,
                           mastery=exercises.mastery_rule(get_db(), resource),
                           back_url=resource_url(pack_id, resource_id)), status


@bp.get("/packs/<pack_id>/<resource_id>/summary")
def summary(pack_id: str, resource_id: str):
    """The end of an exercise: right, tried, mastered, and what to try again."""
    resource = _resource_or_404(pack_id, resource_id, "exercise")
    exercise = _exercise_or_404(resource)
    db, actor = get_db(), current_actor()
    questions = exercises.public_questions(exercise, str(get_locale()))
    result = quiz_summary.summary(db, actor, pack_id, resource_id, questions)
    for item in result["rows"]:
        item["url"] = url_for("learners.question", pack_id=pack_id, resource_id=resource_id,
                              question_id=item["id"])
    return render_template("learners/summary.html", resource=resource, summary=result,
                           state=progress.resource_progress(db, actor, pack_id, resource_id),
                           back_url=resource_url(pack_id, resource_id))


@bp.post("/packs/<pack_id>/<resource_id>/done")
def done(pack_id: str, resource_id: str):
    """'I finished this': record `completed` without JavaScript."""
    resource = _resource_or_404(pack_id, resource_id)
    refuse_another_learners_form()
    if resource.get("kind") == "exercise":
        abort(400, description=_("An exercise is finished by answering its questions."))
    activity.record_one(get_db(), current_actor(), "completed", pack_id, resource_id,
                        id=_attempt_id(request.form.get("attempt")), progress=1.0)
    flash(_("Well done! You finished it."))
    return redirect(resource_url(pack_id, resource_id))


@bp.app_context_processor
def resource_context():
    """Helpers for learners/resource_progress.html, exercise_panel.html and continue.html."""
    def learner_resource(resource) -> dict:
        # Opening a resource page is the `started` event for pages without JavaScript;
        # recorded once per learner (or anonymous session) and resource.
        pack_id, resource_id = _key(resource)
        db, actor = get_db(), page_actor()
        state = actor and progress.resource_progress(db, actor, pack_id, resource_id)
        if actor and state is None and request.method == "GET":
            g.page_wrote = True  # this rendering is not kept: the next one shows `started`
            try:
                activity.record_one(db, actor, "started", pack_id, resource_id)
            except sqlite3.Error:
                # The page is still worth showing when the event cannot be written (disk full).
                logging.getLogger(__name__).exception("could not record started %s/%s", pack_id, resource_id)
            state = progress.resource_progress(db, actor, pack_id, resource_id)
        return {"state": state, "attempt": page_tokens.one_time_id(activity.new_id),
                "resource_key": f"{pack_id}/{resource_id}",
                "done_url": url_for("learners.done", pack_id=pack_id, resource_id=resource_id)}

    def exercise_panel(resource) -> dict | None:
        pack_id, resource_id = _key(resource)
        try:
            found = activity.find_resource(get_db(), pack_id, resource_id)
            exercise = exercises.load(get_db(), found) if found else None
        except exercises.ExerciseError:
            exercise = None
        if exercise is None:
            return None
        questions = exercises.public_questions(exercise, str(get_locale()))
        for q in questions:
            q["attempt"] = page_tokens.one_time_id(activity.new_id)
            q["url"] = url_for("learners.question", pack_id=pack_id, resource_id=resource_id,
                               question_id=q["id"])
        state = progress.resource_progress(get_db(), current_actor(), pack_id, resource_id)
        correct, of = exercises.mastery_rule(get_db(), found)
        return {"questions": questions, "state": state, "correct": correct, "of": of,
                "attempt": page_tokens.one_time_id(activity.new_id)}

    def continue_items(limit: int = 3) -> list[dict]:
        if not g.get("learner"):
            return []
        rows = progress.continue_items(get_db(), g.learner["actor"], limit)
        for row in rows:
            row["url"] = resource_url(row["pack_id"], row["resource_id"])
        return rows

    return {"learner_resource": learner_resource, "exercise_panel": exercise_panel,
            "continue_items": continue_items, "resource_url": resource_url}
