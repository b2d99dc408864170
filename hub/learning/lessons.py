"""Lessons: a title, a note, an ordered list of items, assigned to groups and learners.

Tables lessons, lesson_items and lesson_assignments (migration 0700); this module is their
one owner. No Flask here: every function takes a sqlite_utils.Database. Refusals raise
LessonError (a ValueError) with `field` and an English `why`; views say it in the reader's
language. Everything a request asks for is checked before anything is written.

An item is one of:
- a catalog resource of any kind (`pack_id/resource_id`), exercises included;
- an article inside a ZIM archive (`pack_id/home/<entry path>`, the pack's home resource);
- a quiz: chosen questions from one or more exercises (`pack_id/resource_id/question_id`).
"""
from __future__ import annotations

import json
from urllib.parse import quote, unquote

from sqlite_utils import Database

from hub.core import clock
from hub.learning import activity, learners
from hub.catalog import store as catalog

TITLE_MAX = 80
NOTE_MAX = 500
MAX_ITEMS = 40        # a morning's work, many times over
MAX_QUESTIONS = 30    # in one quiz


class LessonError(ValueError):
    """A refused change: `field` (title, note, resource, group, learner, question) and why."""

    def __init__(self, field: str, why: str, value: str = ""):
        super().__init__(f"{field}: {why}")
        self.field, self.why, self.value = field, why, value


def _clean_text(value, field: str, limit: int, required: bool) -> str:
    try:
        text = learners.clean_name(value, limit) if (value or "").strip() or required else ""
    except learners.LearnerError as exc:
        raise LessonError(field, str(exc).partition(": ")[2]) from None
    return text


def _clean_note(value) -> str:
    # A note may have line breaks (a short message to the children), nothing else unusual.
    lines = [" ".join(line.split()) for line in str(value or "").replace("\r", "").split("\n")]
    note = "\n".join(lines).strip()
    if len(note) > NOTE_MAX:
        raise LessonError("note", f"must be at most {NOTE_MAX} characters")
    return note


def parse_item(db: Database, value: str) -> dict:
    """An item from a form value: `pack/resource`, `pack/home/<ZIM path>`; or LessonError."""
    from hub.catalog.zim import store as zim_store
    from hub.catalog.zim.search import HOME_RESOURCE

    parts = str(value or "").split("/", 2)
    if len(parts) < 2 or not all(parts[:2]):
        raise LessonError("resource", "must be pack_id/resource_id", str(value))
    pack_id, resource_id = parts[0], parts[1]
    if len(parts) == 3:
        path = unquote(parts[2])
        if resource_id != HOME_RESOURCE or not path or zim_store.get(db, pack_id, enabled_only=False) is None:
            raise LessonError("resource", "no such article on this hub", str(value))
        title = path.rsplit("/", 1)[-1].replace("_", " ") or path
        return {"kind": "article", "pack_id": pack_id, "resource_id": resource_id, "path": path,
                "questions": [], "title": title[:200]}
    resource = catalog.get_resource(db, pack_id, resource_id)
    if resource is None:
        raise LessonError("resource", "no such resource on this hub", str(value))
    return {"kind": "resource", "pack_id": pack_id, "resource_id": resource_id, "path": "",
            "questions": [], "title": resource["title"]}


def parse_quiz(db: Database, values: list[str], title) -> dict:
    """A quiz item from `pack/exercise/question` values (each question known); or LessonError."""
    from hub.learning import exercises

    title = _clean_text(title, "title", TITLE_MAX, required=True)
    questions, seen = [], set()
    for value in values:
        parts = str(value).split("/")
        if len(parts) != 3 or not all(parts):
            raise LessonError("question", "must be pack_id/resource_id/question_id", str(value))
        resource = catalog.get_resource(db, parts[0], parts[1])
        try:
            if resource is None or resource["kind"] != "exercise":
                raise exercises.ExerciseError("not an exercise")
            exercises.question(exercises.load(db, resource), parts[2])
        except exercises.ExerciseError:
            raise LessonError("question", "no such question on this hub", str(value)) from None
        if tuple(parts) not in seen:
            seen.add(tuple(parts))
            questions.append(parts)
    if not questions:
        raise LessonError("question", "choose at least one question")
    if len(questions) > MAX_QUESTIONS:
        raise LessonError("question", f"a quiz holds at most {MAX_QUESTIONS} questions")
    first = questions[0]
    return {"kind": "quiz", "pack_id": first[0], "resource_id": first[1], "path": "",
            "questions": questions, "title": title}


def _check_targets(db: Database, groups, chosen) -> tuple[list[int], list[int]]:
    def ids(values, table, field):
        found = []
        for value in values or []:
            try:
                number = int(value)
            except (TypeError, ValueError):
                raise LessonError(field, f"no such {field}", str(value)) from None
            if not 0 < number < 2**63 or db.execute(
                    f"SELECT 1 FROM {table} WHERE id = ?", [number]).fetchone() is None:
                raise LessonError(field, f"no such {field}", str(value))
            if number not in found:
                found.append(number)
        return found

    return ids(groups, "groups", "group"), ids(chosen, "learners", "learner")


def _write_targets(db: Database, lesson_id: int, groups: list[int], chosen: list[int]) -> None:
    db.execute("DELETE FROM lesson_assignments WHERE lesson_id = ?", [lesson_id])
    for group_id in groups:
        db.execute("INSERT INTO lesson_assignments (lesson_id, group_id) VALUES (?, ?)",
                   [lesson_id, group_id])
    for learner_id in chosen:
        db.execute("INSERT INTO lesson_assignments (lesson_id, learner_id) VALUES (?, ?)",
                   [lesson_id, learner_id])


def _append_items(db: Database, lesson_id: int, items: list[dict]) -> None:
    count, top = db.execute("SELECT count(*), coalesce(max(position), 0) FROM lesson_items "
                            "WHERE lesson_id = ?", [lesson_id]).fetchone()
    if count + len(items) > MAX_ITEMS:
        raise LessonError("resource", f"a lesson holds at most {MAX_ITEMS} items")
    for offset, item in enumerate(items, start=1):
        db.execute("INSERT INTO lesson_items (lesson_id, position, kind, pack_id, resource_id, path, "
                   "questions, title) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                   [lesson_id, top + offset, item["kind"], item["pack_id"], item["resource_id"],
                    item["path"], json.dumps(item["questions"]), item["title"]])


def _touch(db: Database, lesson_id: int) -> None:
    db.execute("UPDATE lessons SET updated_at = ? WHERE id = ?",
               [clock.iso(clock.now()), lesson_id])


def _dedupe(values) -> list[str]:
    return list(dict.fromkeys(v for v in (values or []) if v))


def create(db: Database, title, *, note="", resources=(), groups=(), chosen=()) -> int:
    """Make a lesson (items in the order given, assigned to groups and chosen learners)."""
    title = _clean_text(title, "title", TITLE_MAX, required=True)
    note = _clean_note(note)
    items = [parse_item(db, value) for value in _dedupe(resources)]
    group_ids, learner_ids = _check_targets(db, groups, chosen)
    if len(items) > MAX_ITEMS:
        raise LessonError("resource", f"a lesson holds at most {MAX_ITEMS} items")
    now = clock.iso(clock.now())
    with db.atomic():
        cursor = db.execute("INSERT INTO lessons (title, note, created_at, updated_at) "
                            "VALUES (?, ?, ?, ?)", [title, note, now, now])
        lesson_id = cursor.lastrowid
        _append_items(db, lesson_id, items)
        _write_targets(db, lesson_id, group_ids, learner_ids)
    return lesson_id


def update(db: Database, lesson_id: int, title, *, note="", groups=(), chosen=()) -> None:
    """Change a lesson's title, note and who it is for."""
    title = _clean_text(title, "title", TITLE_MAX, required=True)
    note = _clean_note(note)
    group_ids, learner_ids = _check_targets(db, groups, chosen)
    with db.atomic():
        db.execute("UPDATE lessons SET title = ?, note = ? WHERE id = ?", [title, note, lesson_id])
        _write_targets(db, lesson_id, group_ids, learner_ids)
        _touch(db, lesson_id)


def add_items(db: Database, lesson_id: int, resources) -> int:
    """Add resources (form values) at the end of a lesson; return how many were added."""
    known = {(i["pack_id"], i["resource_id"], i["path"]) for i in items(db, lesson_id)
             if i["kind"] != "quiz"}
    new = [item for item in (parse_item(db, v) for v in _dedupe(resources))
           if (item["pack_id"], item["resource_id"], item["path"]) not in known]
    with db.atomic():
        _append_items(db, lesson_id, new)
        _touch(db, lesson_id)
    return len(new)


def add_quiz(db: Database, lesson_id: int, title, questions) -> None:
    """Add a quiz of chosen exercise questions at the end of a lesson."""
    item = parse_quiz(db, _dedupe(questions), title)
    with db.atomic():
        _append_items(db, lesson_id, [item])
        _touch(db, lesson_id)


def move_item(db: Database, lesson_id: int, item_id: int, step: int) -> None:
    """Move an item one place up (step -1) or down (+1); at either end nothing moves."""
    order = [i["id"] for i in items(db, lesson_id)]
    if item_id not in order or step not in (-1, 1):
        return
    at = order.index(item_id)
    other = at + step
    if not 0 <= other < len(order):
        return
    order[at], order[other] = order[other], order[at]
    with db.atomic():
        for position, each in enumerate(order, start=1):
            db.execute("UPDATE lesson_items SET position = ? WHERE id = ?", [position, each])
        _touch(db, lesson_id)


def _sqlite_int(value) -> bool:
    # SQLite integers are 64-bit: a longer id in a URL is no row (not an OverflowError).
    return isinstance(value, int) and -2**63 <= value < 2**63


def remove_item(db: Database, lesson_id: int, item_id: int) -> None:
    """Take an item out of a lesson."""
    if not (_sqlite_int(lesson_id) and _sqlite_int(item_id)):
        return
    db.execute("DELETE FROM lesson_items WHERE lesson_id = ? AND id = ?", [lesson_id, item_id])


def set_state(db: Database, lesson_id: int, *, hidden: bool | None = None,
              archived: bool | None = None) -> None:
    """Hide a lesson from learners (or show it), archive it (or bring it back)."""
    if hidden is not None:
        db.execute("UPDATE lessons SET hidden = ? WHERE id = ?", [int(hidden), lesson_id])
    if archived is not None:
        db.execute("UPDATE lessons SET archived = ? WHERE id = ?", [int(archived), lesson_id])


def delete(db: Database, lesson_id: int) -> None:
    """Remove a lesson with its items and assignments (the learners' progress stays)."""
    db.execute("DELETE FROM lessons WHERE id = ?", [lesson_id])


def item_url(lesson_id: int, item: dict) -> str:
    """Where a learner opens an item: the resource page, the ZIM article, or the quiz."""
    if item["kind"] == "article":
        return f"/content/{quote(item['pack_id'])}/{quote(item['path'])}"
    if item["kind"] == "quiz":
        return f"/lessons/{lesson_id}/quiz/{item['id']}"
    return f"/packs/{quote(item['pack_id'])}/{quote(item['resource_id'])}"


def items(db: Database, lesson_id: int) -> list[dict]:
    """A lesson's items in order, each with its learner `url`."""
    rows = db.execute("SELECT id, position, kind, pack_id, resource_id, path, questions, title "
                      "FROM lesson_items WHERE lesson_id = ? ORDER BY position, id", [lesson_id])
    names = [d[0] for d in rows.description]
    found = []
    for row in rows.fetchall():
        item = dict(zip(names, row))
        item["questions"] = [tuple(q) for q in json.loads(item["questions"])]
        item["url"] = item_url(lesson_id, item)
        found.append(item)
    return found


_LESSON = "SELECT id, title, note, hidden, archived, created_at, updated_at FROM lessons"


def _lesson(names, row) -> dict:
    lesson = dict(zip(names, row))
    lesson["hidden"], lesson["archived"] = bool(lesson["hidden"]), bool(lesson["archived"])
    return lesson


def get(db: Database, lesson_id) -> dict | None:
    """One lesson with its items, groups [{id, name}] and chosen learners [{id, name}], or None."""
    if not _sqlite_int(lesson_id):
        return None
    cursor = db.execute(_LESSON + " WHERE id = ?", [lesson_id])
    row = cursor.fetchone()
    if row is None:
        return None
    lesson = _lesson([d[0] for d in cursor.description], row)
    lesson["items"] = items(db, lesson["id"])
    lesson["groups"] = [{"id": i, "name": n} for i, n in db.execute(
        "SELECT g.id, g.name FROM lesson_assignments a JOIN groups g ON g.id = a.group_id "
        "WHERE a.lesson_id = ? ORDER BY g.name COLLATE NOCASE", [lesson["id"]])]
    lesson["learners"] = [{"id": i, "name": n} for i, n in db.execute(
        "SELECT l.id, l.name FROM lesson_assignments a JOIN learners l ON l.id = a.learner_id "
        "WHERE a.lesson_id = ? ORDER BY l.name COLLATE NOCASE", [lesson["id"]])]
    return lesson


def list_lessons(db: Database, *, archived: bool = False) -> list[dict]:
    """Lessons, newest first (archived ones apart), each with item and learner counts."""
    cursor = db.execute(_LESSON + " WHERE archived = ? ORDER BY id DESC", [int(archived)])
    names = [d[0] for d in cursor.description]
    found = [_lesson(names, row) for row in cursor.fetchall()]
    for lesson in found:
        lesson["item_count"] = db.execute("SELECT count(*) FROM lesson_items WHERE lesson_id = ?",
                                          [lesson["id"]]).fetchone()[0]
        lesson["learner_count"] = len(assigned_learners(db, lesson["id"]))
    return found


_ASSIGNED = ("SELECT DISTINCT l.id FROM lesson_assignments a "
             "LEFT JOIN group_members m ON m.group_id = a.group_id "
             "JOIN learners l ON l.id = coalesce(a.learner_id, m.learner_id) WHERE a.lesson_id = ?")


def assigned_learners(db: Database, lesson_id: int) -> list[dict]:
    """Everyone a lesson is for (its groups' members and its chosen learners), by name."""
    cursor = db.execute("SELECT id, name, avatar, actor FROM learners WHERE id IN "
                        f"({_ASSIGNED}) ORDER BY name COLLATE NOCASE, id", [lesson_id])
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row)) for row in cursor.fetchall()]


def for_learner(db: Database, learner_id: int) -> list[dict]:
    """The lessons a learner sees (theirs directly or through a group; not hidden or archived),
    newest first, each with its items."""
    cursor = db.execute(
        _LESSON + " WHERE hidden = 0 AND archived = 0 AND id IN ("
        "SELECT a.lesson_id FROM lesson_assignments a WHERE a.learner_id = ? OR a.group_id IN "
        "(SELECT group_id FROM group_members WHERE learner_id = ?)) ORDER BY id DESC",
        [learner_id, learner_id])
    names = [d[0] for d in cursor.description]
    found = [_lesson(names, row) for row in cursor.fetchall()]
    for lesson in found:
        lesson["items"] = items(db, lesson["id"])
    return found


def is_for(db: Database, lesson_id: int, learner_id: int) -> bool:
    """True when the learner may open the lesson (assigned, not hidden, not archived)."""
    return any(lesson["id"] == lesson_id for lesson in for_learner(db, learner_id))
