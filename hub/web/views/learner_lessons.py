"""Lessons on the learner side: "For you" on the home page, a lesson's page, its quizzes,
GET /api/v1/session, and the rel="next" link a page shows once something is finished.

Quiz answers go through hub.exercises.answer, the one checker of every answer on the hub.
"""
from __future__ import annotations

import uuid

from flask import Blueprint, abort, flash, g, jsonify, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _

from hub.learning import quiz_summary
from hub.learning import answers
from hub.learning import activity, exercises
from hub.catalog import store as catalog
from hub.learning import lesson_progress, lessons
from hub.web.db import get_db
from hub.web.views.learners import current_actor, require_learner

bp = Blueprint("learner_lessons", __name__)


@bp.get("/api/v1/session")
def session_info():
    """Who is signed in here, with their lessons: {"learner": {...} | null, "lessons": [...]}."""
    learner = g.get("learner")
    return jsonify({
        "learner": {k: learner[k] for k in ("id", "name", "avatar")} if learner else None,
        "lessons": lesson_progress.session_lessons(get_db(), learner)})


def _mine_or_404(lesson_id: int) -> dict:
    require_learner()
    if not lessons.is_for(get_db(), lesson_id, g.learner["id"]):
        abort(404)  # someone else's lesson, hidden or archived: as if it did not exist
    return next(x for x in lesson_progress.for_learner(get_db(), g.learner) if x["id"] == lesson_id)


@bp.get("/lessons/<int:lesson_id>")
def lesson(lesson_id: int):
    """One of my lessons: the note, the items in order, done ticked, the next one first."""
    return render_template("learners/lesson.html", lesson=_mine_or_404(lesson_id))


def _quiz_questions(item: dict, language: str) -> list[dict]:
    db, shown = get_db(), []
    for pack_id, resource_id, question_id in item["questions"]:
        resource = catalog.get_resource(db, pack_id, resource_id)
        try:
            exercise = exercises.load(db, resource) if resource else None
        except exercises.ExerciseError:
            exercise = None
        public = {q["id"]: q for q in exercises.public_questions(exercise, language)} if exercise else {}
        if question_id in public:
            shown.append({**public[question_id], "key": f"{pack_id}/{resource_id}/{question_id}",
                          "resource": resource, "attempt": activity.new_id()})
    return shown


@bp.route("/lessons/<int:lesson_id>/quiz/<int:item_id>", methods=["GET", "POST"])
def quiz(lesson_id: int, item_id: int):
    """A quiz of a lesson: its questions on one page; each answer checked by the hub."""
    mine = _mine_or_404(lesson_id)
    item = next((i for i in mine["items"] if i["id"] == item_id and i["kind"] == "quiz"), None)
    if item is None:
        abort(404)
    language = str(get_locale())
    questions = _quiz_questions(item, language)
    results, status = {}, 200
    if request.method == "POST":
        key = request.form.get("question", "")
        q = next((x for x in questions if x["key"] == key), None)
        if q is None:
            abort(400)
        given = (request.form.getlist("answer") if q["type"] == "multiple_choice"
                 else request.form.get("answer", "").strip())
        if not given:
            flash(_("Choose or write an answer first."), "error")
        elif q["type"] == "numeric" and exercises.parse_number(given) is None:
            flash(_("Please write a number, such as 12."), "error")
        else:
            try:
                attempt = str(uuid.UUID(request.form.get("attempt", "")))
            except ValueError:
                attempt = activity.new_id()
            results[key] = answers.answer(get_db(), current_actor(), q["resource"], q["id"], given,
                                            language=language, event_id=attempt)
            results[key]["given"] = given
        mine = _mine_or_404(lesson_id)
        item = next(i for i in mine["items"] if i["id"] == item_id)
    state = lesson_progress.item_states(get_db(), item, [g.learner["actor"]])[g.learner["actor"]]
    next_url = None
    if state["status"] in lesson_progress.DONE:
        next_url = next((i["url"] for i in mine["items"] if not i["done"]), None)
    # The end of a quiz is a summary, not every question blank again.
    done = quiz_summary.last_results(get_db(), g.learner["actor"], [q["key"] for q in questions])
    return render_template("learners/quiz.html", lesson=mine, item=item, questions=questions,
                           results=results, state=state, next_url=next_url, done=done,
                           right=sum(1 for d in done.values() if d["last_right"])), status


@bp.app_context_processor
def lesson_helpers():
    """For you (home page) and the next step after a finished resource (rel="next")."""
    def for_you() -> list[dict]:
        if not g.get("learner"):
            return []
        return lesson_progress.for_learner(get_db(), g.learner)

    def next_step(resource) -> str | None:
        pack_id = resource["pack_id"] if isinstance(resource, dict) else resource.pack_id
        resource_id = resource["id"] if isinstance(resource, dict) else resource.id
        return lesson_progress.next_step(get_db(), current_actor(), g.get("learner"), pack_id, resource_id)

    def lesson_url(lesson_id: int) -> str:
        return url_for("learner_lessons.lesson", lesson_id=lesson_id)

    return {"for_you": for_you, "next_step": next_step, "lesson_url": lesson_url}
