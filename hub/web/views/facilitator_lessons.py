"""Lessons in the console: build one from search or browsing, assign it, follow it (table, CSV).

Every page works without JavaScript on a phone: searching is a GET form, picking is
checkboxes inside the POST form, ordering is one button per move.
"""
from __future__ import annotations

from flask import Blueprint, Response, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import get_locale, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from hub.catalog import store as catalog
from hub.web import csv_export
from hub.web import fragments
from hub.learning import exercises
from hub.core import i18n
from hub.learning import lesson_progress, lessons
from hub.learning import learners as learners_api
from hub.web.db import get_db
from hub.web.guard import guarded
from hub.web.views.learn import KIND_NAMES

bp = guarded(Blueprint("facilitator_lessons", __name__, url_prefix="/facilitator"))

RESULTS = 30
BROWSE_PER_TOPIC = 25  # browsing a pack: this many of each topic (search finds the rest)
STATUS_NAMES = {"not_started": _l("Not started"), "started": _l("Started"),
                "done": _l("Done"), "mastered": _l("Mastered")}


@bp.app_context_processor
def lesson_words():
    """Status labels for the lesson templates."""
    return {"status_names": STATUS_NAMES}


def _lesson_or_404(lesson_id: int) -> dict:
    lesson = lessons.get(get_db(), lesson_id)
    if lesson is None:
        abort(404)
    return lesson


def _error_text(exc: lessons.LessonError) -> str:
    """Say what is wrong with a lesson form, plainly, in the reader's language."""
    if exc.field == "title":
        return ngettext("Please give the lesson a title of %(min)s to %(num)s character.",
                        "Please give the lesson a title of %(min)s to %(num)s characters.",
                        lessons.TITLE_MAX, min=1)
    if exc.field == "note":
        return ngettext("The note for learners can be at most %(num)s character long.",
                        "The note for learners can be at most %(num)s characters long.", lessons.NOTE_MAX)
    if exc.field == "resource" and "at most" in exc.why:
        return ngettext("A lesson holds at most %(num)s item.", "A lesson holds at most %(num)s items.",
                        lessons.MAX_ITEMS)
    if exc.field == "resource":
        return _("Something you chose is not on this hub any more. Please search and choose again.")
    if exc.field in ("group", "learner"):
        return _("A group or learner you chose is not on this hub any more. Please choose again.")
    if "at least" in exc.why:
        return _("Choose at least one question for the quiz.")
    if "at most" in exc.why:
        return ngettext("A quiz holds at most %(num)s question.", "A quiz holds at most %(num)s questions.",
                        lessons.MAX_QUESTIONS)
    return _("A question you chose is not on this hub any more. Please choose again.")


def item_value(resource: dict) -> str:
    """The form value that picks a search result: pack/resource, or pack/home/<ZIM path>."""
    from urllib.parse import quote

    if resource.get("source") == "zim":
        return f"{resource['pack_id']}/{resource['id']}/{quote(resource['path'], safe='/')}"
    return f"{resource['pack_id']}/{resource['id']}"


def _finder() -> dict:
    """Search or browse the catalog from the query string (q, pack, kind)."""
    db, lang = get_db(), str(get_locale())
    query = request.args.get("q", "").strip()[:200]
    packs = catalog.list_packs(db)
    pack = request.args.get("pack") or None
    if pack not in {p["id"] for p in packs}:
        pack = None
    kind = request.args.get("kind") or None
    if kind not in KIND_NAMES:
        kind = None
    sections = []
    if pack and not query and not kind:
        sections = _browse(next(p for p in packs if p["id"] == pack), lang)
    elif query or pack or kind:
        sections = [{"title": None, "results": catalog.search(db, query, lang=lang, pack=pack,
                                                              kind=kind, limit=RESULTS)}]
    sections = [section for section in sections if section["results"]]
    results = [result for section in sections for result in section["results"]]
    for result in results:
        result["value"] = item_value(result)
    titles = {p["id"]: i18n.pick_text(p["title"], lang, p["languages"]) for p in packs}
    return {"query": query, "pack": pack, "kind": kind, "results": results, "sections": sections,
            "packs": packs, "pack_titles": titles, "searched": bool(query or pack or kind)}


def _browse(pack: dict, lang: str) -> list[dict]:
    """A pack's topics in order, each with its resources (a phone screen or two of each)."""
    tree = catalog.topic_tree(get_db(), pack, lang, per_topic=BROWSE_PER_TOPIC)
    sections = []

    def walk(topics):
        for topic in topics:
            if topic["resources"]:
                sections.append({"title": topic["title"], "results": topic["resources"]})
            walk(topic["topics"])

    walk(tree["topics"])
    if tree["loose"]:
        sections.append({"title": None, "results": tree["loose"]})
    return sections


def _people() -> dict:
    db = get_db()
    return {"groups": learners_api.list_groups(db), "everyone": learners_api.list_learners(db)}


@bp.get("/lessons")
def lessons_page():
    """Every lesson (or the archived ones), newest first."""
    archived = request.args.get("archived") == "1"
    return render_template("facilitator/lessons/list.html", archived=archived,
                           lessons=lessons.list_lessons(get_db(), archived=archived))


@bp.get("/lessons/new")
def new_lesson():
    """The lesson builder: search or browse, tick resources, name it, choose who it is for."""
    form = {"title": request.args.get("title", ""), "note": "", "group": request.args.getlist("group"),
            "learner": [], "resource": []}
    return render_template("facilitator/lessons/new.html", form=form, **_finder(), **_people())


@bp.post("/lessons")
def create_lesson():
    """Make a lesson from the builder's form -> 303 to its page."""
    form = {"title": request.form.get("title", ""), "note": request.form.get("note", ""),
            "group": request.form.getlist("group"), "learner": request.form.getlist("learner"),
            "resource": request.form.getlist("resource")}
    try:
        lesson_id = lessons.create(get_db(), form["title"], note=form["note"], resources=form["resource"],
                                   groups=form["group"], chosen=form["learner"])
    except lessons.LessonError as exc:
        flash(_error_text(exc), "error")
        return render_template("facilitator/lessons/new.html", form=form, **_finder(), **_people()), 400
    flash(_("The lesson was made."))
    return redirect(url_for("facilitator_lessons.lesson", lesson_id=lesson_id), 303)


@bp.get("/lessons/<int:lesson_id>")
def lesson(lesson_id: int):
    """Learners x items: where each learner is, sortable by name, items done or time."""
    found = _lesson_or_404(lesson_id)
    sort = request.args.get("sort", "name")
    if sort not in lesson_progress.SORTS:
        sort = "name"
    rows = lesson_progress.table(get_db(), found, sort)
    # Rendering a class's table (learners x items, each cell's numbers in words) was most of a
    # view: the page is kept under what it shows (hub.web.fragments), the form token put in.
    who = g.facilitator
    key = (who["id"], who["username"], who["role"], sort, fragments.digest((found, rows)))
    return fragments.kept_page("lesson table", key, lambda token: render_template(
        "facilitator/lessons/table.html", lesson=found, sort=sort, rows=rows, csrf_token=token))


@bp.get("/lessons/<int:lesson_id>.csv")
def lesson_csv(lesson_id: int):
    """The lesson's table as CSV: one row per learner, one column per item."""
    found = _lesson_or_404(lesson_id)
    header = [_("Learner")] + [item["title"] for item in found["items"]] + [_("Items done"), _("Minutes")]
    rows = ([name] + [str(STATUS_NAMES[s]) for s in states] + [done, minutes]
            for name, states, done, minutes in lesson_progress.lesson_csv_rows(get_db(), found))
    return Response(csv_export.to_csv(header, rows), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="lesson-{lesson_id}.csv"'})


@bp.get("/lessons/<int:lesson_id>/edit")
def edit(lesson_id: int):
    """Change a lesson: details and who it is for, items (add, move, remove), hide, archive."""
    found = _lesson_or_404(lesson_id)
    form = {"title": found["title"], "note": found["note"],
            "group": [str(g["id"]) for g in found["groups"]],
            "learner": [str(x["id"]) for x in found["learners"]]}
    return render_template("facilitator/lessons/edit.html", lesson=found, form=form,
                           **_finder(), **_people())


@bp.post("/lessons/<int:lesson_id>")
def update(lesson_id: int):
    """Save a lesson's title, note, groups and learners."""
    _lesson_or_404(lesson_id)
    try:
        lessons.update(get_db(), lesson_id, request.form.get("title", ""), note=request.form.get("note", ""),
                       groups=request.form.getlist("group"), chosen=request.form.getlist("learner"))
    except lessons.LessonError as exc:
        flash(_error_text(exc), "error")
    else:
        flash(_("The lesson was saved."))
    return redirect(url_for("facilitator_lessons.edit", lesson_id=lesson_id), 303)


@bp.post("/lessons/<int:lesson_id>/items")
def add_items(lesson_id: int):
    """Add the ticked resources at the end of the lesson."""
    _lesson_or_404(lesson_id)
    try:
        added = lessons.add_items(get_db(), lesson_id, request.form.getlist("resource"))
    except lessons.LessonError as exc:
        flash(_error_text(exc), "error")
    else:
        flash(ngettext("%(num)s item was added.", "%(num)s items were added.", added))
    return redirect(url_for("facilitator_lessons.edit", lesson_id=lesson_id) + "#items", 303)


@bp.post("/lessons/<int:lesson_id>/items/<int:item_id>/move")
def move_item(lesson_id: int, item_id: int):
    """Move an item one place up or down (direction=up|down)."""
    _lesson_or_404(lesson_id)
    step = -1 if request.form.get("direction") == "up" else 1
    lessons.move_item(get_db(), lesson_id, item_id, step)
    return redirect(url_for("facilitator_lessons.edit", lesson_id=lesson_id) + "#items", 303)


@bp.post("/lessons/<int:lesson_id>/items/<int:item_id>/remove")
def remove_item(lesson_id: int, item_id: int):
    """Take an item out of the lesson."""
    _lesson_or_404(lesson_id)
    lessons.remove_item(get_db(), lesson_id, item_id)
    return redirect(url_for("facilitator_lessons.edit", lesson_id=lesson_id) + "#items", 303)


_STATES = {"hide": {"hidden": True}, "show": {"hidden": False},
           "archive": {"archived": True}, "restore": {"archived": False}}


@bp.post("/lessons/<int:lesson_id>/state")
def change_state(lesson_id: int):
    """Hide from learners, show again, archive, or bring back from the archive."""
    _lesson_or_404(lesson_id)
    action = request.form.get("action", "")
    if action not in _STATES:
        abort(400)
    lessons.set_state(get_db(), lesson_id, **_STATES[action])
    flash({"hide": _("Learners no longer see this lesson."), "show": _("Learners see this lesson again."),
           "archive": _("The lesson was archived."), "restore": _("The lesson is back from the archive.")}[action])
    return redirect(url_for("facilitator_lessons.edit", lesson_id=lesson_id), 303)


@bp.route("/lessons/<int:lesson_id>/quiz", methods=["GET", "POST"])
def quiz(lesson_id: int):
    """Make a quiz: search exercises, tick questions from one or several, name it."""
    found = _lesson_or_404(lesson_id)
    db = get_db()
    if request.method == "POST":
        try:
            lessons.add_quiz(db, lesson_id, request.form.get("title", ""), request.form.getlist("question"))
        except lessons.LessonError as exc:
            flash(_error_text(exc), "error")
            return redirect(url_for("facilitator_lessons.quiz", lesson_id=lesson_id,
                                    q=request.form.get("q", "")), 303)
        flash(_("The quiz was added."))
        return redirect(url_for("facilitator_lessons.edit", lesson_id=lesson_id) + "#items", 303)
    query = request.args.get("q", "").strip()[:200]
    lang = str(get_locale())
    found_exercises = []
    for result in catalog.search(db, query, lang=lang, kind="exercise", limit=RESULTS):
        resource = catalog.get_resource(db, result["pack_id"], result["id"])
        try:
            questions = exercises.public_questions(exercises.load(db, resource), lang)
        except exercises.ExerciseError:
            continue
        for q in questions:
            q["value"] = f"{result['pack_id']}/{result['id']}/{q['id']}"
        found_exercises.append({"resource": result, "questions": questions})
    return render_template("facilitator/lessons/quiz.html", lesson=found, query=query,
                           found=found_exercises)
