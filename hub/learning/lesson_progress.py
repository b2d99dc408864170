"""How far learners are with a lesson's items, and the next thing a learner should do.

No Flask here; read only. States come from the progress table (kept by hub.activity) and the
`answered` events the hub's exercise checker recorded (hub.exercises.answer):
- a resource: not started, started (a progress row), done (completed), mastered (exercise);
- a ZIM article: done once the learner opened it (reading it is the whole of it);
- a quiz: started once a question was tried, done when every question was tried, mastered
  when every question was answered right at least once.
"""
from __future__ import annotations

from sqlite_utils import Database

from hub.learning import lessons

STATES = ("not_started", "started", "done", "mastered")
DONE = ("done", "mastered")


def _blank() -> dict:
    return {"status": "not_started", "time_s": 0.0, "right": 0, "tried": 0}


def _marks(actors) -> str:
    return ",".join("?" * len(actors))


def _resource_states(db: Database, item: dict, actors: list[str]) -> dict[str, dict]:
    states = {actor: _blank() for actor in actors}
    key = [item["pack_id"], item["resource_id"]]
    for actor, completed, mastered, spent in db.execute(
            "SELECT actor, completed_at, mastered_at, time_spent_s FROM progress WHERE pack_id = ? "
            f"AND resource_id = ? AND actor IN ({_marks(actors)})", key + actors):
        states[actor].update(status="mastered" if mastered else "done" if completed else "started",
                             time_s=spent or 0.0)
    for actor, tried, right in db.execute(
            "SELECT actor, count(*), sum(score >= 1) FROM events WHERE pack_id = ? AND resource_id = ? "
            f"AND verb = 'answered' AND actor IN ({_marks(actors)}) GROUP BY actor", key + actors):
        states[actor].update(tried=tried, right=right or 0)
    return states


def _article_states(db: Database, item: dict, actors: list[str]) -> dict[str, dict]:
    states = {actor: _blank() for actor in actors}
    for (actor,) in db.execute(
            "SELECT DISTINCT actor FROM events WHERE pack_id = ? AND resource_id = ? "
            f"AND json_extract(data, '$.path') = ? AND actor IN ({_marks(actors)})",
            [item["pack_id"], item["resource_id"], item["path"]] + actors):
        states[actor]["status"] = "done"
    return states


def _quiz_states(db: Database, item: dict, actors: list[str]) -> dict[str, dict]:
    states = {actor: _blank() for actor in actors}
    wanted = {tuple(q) for q in item["questions"]}
    tried: dict[str, set] = {a: set() for a in actors}
    right: dict[str, set] = {a: set() for a in actors}
    for pack_id, resource_id in sorted({(q[0], q[1]) for q in wanted}):
        for actor, question, score, spent in db.execute(
                "SELECT actor, json_extract(data, '$.question'), score, duration_s FROM events "
                "WHERE pack_id = ? AND resource_id = ? AND verb = 'answered' "
                f"AND actor IN ({_marks(actors)})", [pack_id, resource_id] + actors):
            if (pack_id, resource_id, question) not in wanted:
                continue
            state = states[actor]
            state["tried"] += 1
            state["right"] += 1 if (score or 0) >= 1 else 0
            state["time_s"] += spent or 0.0
            tried[actor].add((pack_id, resource_id, question))
            if (score or 0) >= 1:
                right[actor].add((pack_id, resource_id, question))
    for actor, state in states.items():
        if right[actor] >= wanted:
            state["status"] = "mastered"
        elif tried[actor] >= wanted:
            state["status"] = "done"
        elif tried[actor]:
            state["status"] = "started"
    return states


def item_states(db: Database, item: dict, actors: list[str]) -> dict[str, dict]:
    """{actor: {status, time_s, right, tried}} for one lesson item."""
    if not actors:
        return {}
    reader = {"article": _article_states, "quiz": _quiz_states}.get(item["kind"], _resource_states)
    return reader(db, item, list(actors))


SORTS = ("name", "done", "time")


def table(db: Database, lesson: dict, sort: str = "name") -> list[dict]:
    """One row per assigned learner: {learner, cells (one per item), done, time_s}, sorted
    by name, by items done (most first), or by time spent (most first)."""
    people = lessons.assigned_learners(db, lesson["id"])
    actors = [p["actor"] for p in people]
    columns = [item_states(db, item, actors) for item in lesson["items"]]
    rows = []
    for person in people:
        cells = [column[person["actor"]] for column in columns]
        rows.append({"learner": {k: person[k] for k in ("id", "name", "avatar")}, "cells": cells,
                     "done": sum(1 for c in cells if c["status"] in DONE),
                     "time_s": sum(c["time_s"] for c in cells)})
    if sort == "done":
        rows.sort(key=lambda r: -r["done"])
    elif sort == "time":
        rows.sort(key=lambda r: -r["time_s"])
    return rows


def for_learner(db: Database, learner: dict) -> list[dict]:
    """The learner's lessons with each item's `done`, and the lesson's `next` item (or None)."""
    found = lessons.for_learner(db, learner["id"])
    for lesson in found:
        for item in lesson["items"]:
            state = item_states(db, item, [learner["actor"]])[learner["actor"]]
            item["status"] = state["status"]
            item["done"] = state["status"] in DONE
        lesson["next"] = next((i for i in lesson["items"] if not i["done"]), None)
        lesson["finished"] = bool(lesson["items"]) and lesson["next"] is None
    # Lessons still to do first; newest first within each.
    found.sort(key=lambda lesson: lesson["finished"])
    return found


def _contains(item: dict, pack_id: str, resource_id: str) -> bool:
    if item["kind"] == "quiz":
        return any(q[0] == pack_id and q[1] == resource_id for q in item["questions"])
    return item["kind"] == "resource" and (item["pack_id"], item["resource_id"]) == (pack_id, resource_id)


def next_in_lessons(db: Database, learner: dict, pack_id: str, resource_id: str) -> str | None:
    """The next not-done item after this resource in a lesson of the learner's, else the
    first not-done item of their lessons; its address, or None."""
    mine = for_learner(db, learner)
    for lesson in mine:
        positions = [n for n, item in enumerate(lesson["items"]) if _contains(item, pack_id, resource_id)]
        if positions:
            after = [i for i in lesson["items"][positions[0] + 1:] if not i["done"]]
            before = [i for i in lesson["items"] if not i["done"] and not _contains(i, pack_id, resource_id)]
            chosen = (after or before or [None])[0]
            if chosen:
                return chosen["url"]
    for lesson in mine:
        if lesson["next"] and not _contains(lesson["next"], pack_id, resource_id):
            return lesson["next"]["url"]
    return None


def next_in_topic(db: Database, pack_id: str, resource_id: str) -> str | None:
    """The resource after this one in its topic (enabled packs only), as /packs/... or None."""
    row = db.execute(
        "SELECT r.id FROM topic_resources here JOIN topic_resources tr ON tr.pack_id = here.pack_id "
        "AND tr.topic_id = here.topic_id AND tr.position > here.position "
        "JOIN resources r ON r.pack_id = tr.pack_id AND r.id = tr.resource_id "
        "JOIN packs p ON p.id = r.pack_id AND p.enabled = 1 "
        "WHERE here.pack_id = ? AND here.resource_id = ? ORDER BY tr.position LIMIT 1",
        [pack_id, resource_id]).fetchone()
    return f"/packs/{pack_id}/{row[0]}" if row else None


def suggestion(db: Database, actor: str, pack_id: str, resource_id: str) -> str | None:
    """Something not yet started: in the same pack first (its order), else in another pack."""
    row = db.execute(
        "SELECT r.pack_id, r.id FROM resources r JOIN packs p ON p.id = r.pack_id AND p.enabled = 1 "
        "WHERE NOT (r.pack_id = ? AND r.id = ?) AND r.kind != 'zim' AND NOT EXISTS "
        "(SELECT 1 FROM progress g WHERE g.actor = ? AND g.pack_id = r.pack_id AND g.resource_id = r.id) "
        "ORDER BY r.pack_id != ?, r.pack_id, r.position LIMIT 1",
        [pack_id, resource_id, actor, pack_id]).fetchone()
    return f"/packs/{row[0]}/{row[1]}" if row else None


def next_step(db: Database, actor: str, learner: dict | None, pack_id: str, resource_id: str) -> str | None:
    """After finishing a resource: the lesson's next item, else the topic's next resource,
    else a suggestion; None when there is nothing left at all."""
    found = next_in_lessons(db, learner, pack_id, resource_id) if learner else None
    return found or next_in_topic(db, pack_id, resource_id) or suggestion(db, actor, pack_id, resource_id)


def session_lessons(db: Database, learner: dict | None) -> list[dict]:
    """The lessons part of GET /api/v1/session: [{id, title, resources: [{pack_id, id, title,
    url, done}]}]."""
    if learner is None:
        return []
    return [{"id": lesson["id"], "title": lesson["title"],
             "resources": [{"pack_id": i["pack_id"], "id": i["resource_id"] if i["kind"] != "quiz"
                            else f"quiz-{i['id']}", "title": i["title"], "url": i["url"],
                            "done": i["done"]} for i in lesson["items"]]}
            for lesson in for_learner(db, learner)]


def lesson_csv_rows(db: Database, lesson: dict, sort: str = "name"):
    """(learner name, [status per item], done, minutes) per learner, for the CSV."""
    for row in table(db, lesson, sort):
        yield row["learner"]["name"], [c["status"] for c in row["cells"]], row["done"], \
            round(row["time_s"] / 60)
