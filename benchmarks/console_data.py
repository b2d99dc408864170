"""What a teacher's console pages need on top of a year of events: learners, classes, lessons.

benchmarks.rollup.generate writes events for 600 learner keys (L00000000...) and 60 visitors;
this gives those keys learner profiles, puts them in 20 classes of 30, derives each one's
progress rows from their events (as ingest would have kept them), adds a few lessons for the
first class and switches the public community page on. Run once on a data dir (idempotent).
"""
from __future__ import annotations

CLASSES = 20
LESSONS = 3


def add_console_data(db) -> dict:
    """Learners, classes, progress, lessons and the community page on a generated hub."""
    from hub.core import settings
    from hub.learning import lessons

    if db.execute("SELECT count(*) FROM learners").fetchone()[0]:
        return _ids(db)
    actors = [row[0] for row in db.execute(
        "SELECT DISTINCT actor FROM events WHERE anonymous = 0 ORDER BY actor").fetchall()]
    with db.atomic():
        db.conn.executemany(
            "INSERT INTO learners (actor, name, avatar, created_at, last_seen_at) "
            "VALUES (?, ?, 'owl', '2025-01-01T00:00:00Z', NULL)",
            [(actor, f"Learner {n:03d}") for n, actor in enumerate(actors)])
        db.conn.executemany("INSERT INTO groups (name) VALUES (?)",
                            [(f"Class {n + 1}",) for n in range(CLASSES)])
        db.execute("INSERT INTO group_members (group_id, learner_id) "
                   f"SELECT (id - 1) % {CLASSES} + 1, id FROM learners")
        db.execute("UPDATE learners SET last_seen_at = (SELECT max(received_at) FROM events e "
                   "WHERE e.actor = learners.actor)")
        # Progress as ingest keeps it: one row per learner and resource they opened.
        db.execute(
            "INSERT INTO progress (actor, pack_id, resource_id, started_at, updated_at, progress, "
            "completed_at, time_spent_s, best_score, attempts) "
            "SELECT actor, pack_id, resource_id, min(client_ts), max(client_ts), max(progress), "
            "max(CASE WHEN verb = 'completed' THEN client_ts END), sum(duration_s), max(score), "
            "sum(verb = 'answered') FROM events WHERE anonymous = 0 AND pack_id != '' "
            "GROUP BY actor, pack_id, resource_id")
    settings.set(db, "community_page", True)
    resources = [f"{row[0]}/{row[1]}" for row in db.execute(
        "SELECT pack_id, id FROM resources ORDER BY pack_id, position LIMIT 12").fetchall()]
    for n in range(LESSONS):
        lessons.create(db, f"Lesson {n + 1}", resources=resources[n * 4:(n + 1) * 4], groups=[1])
    return _ids(db)


def _ids(db) -> dict:
    return {"learners": db.execute("SELECT count(*) FROM learners").fetchone()[0],
            "first_group": db.execute("SELECT min(id) FROM groups").fetchone()[0],
            "first_lesson": db.execute("SELECT min(id) FROM lessons").fetchone()[0]}
