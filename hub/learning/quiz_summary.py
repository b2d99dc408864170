"""The end of an exercise: what a learner got right, what they tried, what to try again.

No Flask here. Read from the learner's own `answered` events (data.question), so the summary
is the same with and without JavaScript and after the learner comes back another day.
"""
from __future__ import annotations

from sqlite_utils import Database

from hub.learning.progress import event_time_sql


def summary(db: Database, actor: str, pack_id: str, resource_id: str,
            questions: list[dict]) -> dict:
    """{"rows": [{question..., "tries", "right", "last_right"}], "right", "tried", "total",
    "again": [items to try again]} for one actor and exercise, questions in their order."""
    rows = db.execute(
        f"SELECT json_extract(data, '$.question'), score FROM events WHERE actor = ? "
        f"AND pack_id = ? AND resource_id = ? AND verb = 'answered' ORDER BY {event_time_sql()}",
        [actor, pack_id, resource_id]).fetchall()
    seen: dict[str, dict] = {}
    for question_id, score in rows:
        item = seen.setdefault(str(question_id), {"tries": 0, "right": False, "last_right": False})
        item["tries"] += 1
        item["last_right"] = (score or 0) >= 1
        item["right"] = item["right"] or item["last_right"]
    items = []
    for q in questions:
        found = seen.get(q["id"], {"tries": 0, "right": False, "last_right": False})
        items.append({**q, **found})
    return {"rows": items, "total": len(items),
            "right": sum(1 for i in items if i["last_right"]),
            "tried": sum(1 for i in items if i["tries"]),
            "again": [i for i in items if not i["last_right"]]}


def last_results(db: Database, actor: str, keys: list[str]) -> dict[str, dict]:
    """For question keys 'pack/resource/question': {"tries", "last_right"} of one actor."""
    found: dict[str, dict] = {}
    for key in keys:
        pack_id, resource_id, question_id = key.split("/", 2)
        rows = db.execute(
            f"SELECT score FROM events WHERE actor = ? AND pack_id = ? AND resource_id = ? "
            f"AND verb = 'answered' AND json_extract(data, '$.question') = ? "
            f"ORDER BY {event_time_sql()}", [actor, pack_id, resource_id, question_id]).fetchall()
        found[key] = {"tries": len(rows), "last_right": bool(rows) and (rows[-1][0] or 0) >= 1}
    return found
