"""Progress per learner and resource (table progress), kept by hub.learning.activity, read by pages.

No Flask here. `apply` runs inside activity.record's transaction; the rest are read queries
for the learner's own pages and the facilitator console.
"""
from __future__ import annotations

import json

from sqlite_utils import Database

DEFAULT_MASTERY = (4, 5)   # right answers among the latest answers
RECENT_SCORES_KEPT = 50    # enough for any sensible mastery window
_COLUMNS = ("actor", "pack_id", "resource_id", "started_at", "updated_at", "progress",
            "completed_at", "time_spent_s", "position_s", "best_score", "attempts",
            "recent_scores", "mastered_at")


def is_mastered(scores: list[float], rule: tuple[int, int] | None) -> bool:
    """True when at least `correct` of the latest `of` scores are right (score 1)."""
    correct, of = rule or DEFAULT_MASTERY
    return sum(1 for s in scores[-of:] if s >= 1) >= correct


def apply(db: Database, actor: str, pack_id: str, resource_id: str, events: list) -> None:
    """Fold newly stored (event, when) pairs of one resource into its progress row.

    Runs inside activity.record's transaction: one read and one write per resource and batch.
    """
    key = [actor, pack_id, resource_id]
    cursor = db.conn.execute(f"SELECT {', '.join(_COLUMNS)} FROM progress "
                             "WHERE actor = ? AND pack_id = ? AND resource_id = ?", key)
    found = cursor.fetchone()
    first_when = events[0][1]
    row = dict(zip(_COLUMNS, found)) if found else dict(
        zip(_COLUMNS, key + [first_when, first_when, 0.0, None, 0.0, None, None, 0, "[]", None]))
    scores = json.loads(row["recent_scores"])
    for event, when in events:
        _fold(row, scores, event, when)
    row["recent_scores"] = json.dumps(scores[-RECENT_SCORES_KEPT:])
    db.conn.execute(f"INSERT OR REPLACE INTO progress ({', '.join(_COLUMNS)}) "
                    f"VALUES ({', '.join('?' for _ in _COLUMNS)})", [row[c] for c in _COLUMNS])


def _fold(row: dict, scores: list, event, when: str) -> None:
    # A batch retried late (kept offline, sent again) must not move the resume point back.
    newest = when >= row["updated_at"]
    row["started_at"] = min(row["started_at"], when)
    row["updated_at"] = max(row["updated_at"], when)
    row["time_spent_s"] += event.duration_s
    if event.progress is not None:
        row["progress"] = max(row["progress"], event.progress)
    position = event.data.get("position_s")
    if position is not None and newest:
        row["position_s"] = float(position)
    if event.name == "completed":
        row["progress"] = 1.0
        row["completed_at"] = row["completed_at"] or when
    if event.name == "answered":
        scores.append(event.score)
        row["attempts"] += 1
        row["best_score"] = max(row["best_score"] or 0.0, event.score)
        if not row["mastered_at"] and is_mastered(scores, getattr(event, "mastery", None)):
            row["mastered_at"] = when
        if row["mastered_at"]:  # mastering an exercise is finishing it
            row["progress"] = 1.0
            row["completed_at"] = row["completed_at"] or when


def _rows(cursor) -> list[dict]:
    names = [d[0] for d in cursor.description]
    rows = []
    for values in cursor.fetchall():
        row = dict(zip(names, values))
        if "recent_scores" in row:
            row["recent_scores"] = json.loads(row["recent_scores"])
        if row.get("pack_title"):
            row["pack_title"] = json.loads(row["pack_title"])
        rows.append(row)
    return rows


# Titles come from the catalog's tables; a resource whose pack was removed keeps its ids.
_WITH_TITLES = ("SELECT p.*, r.title AS title, r.kind AS kind, r.language AS language, "
                "k.title AS pack_title FROM progress p "
                "LEFT JOIN resources r ON r.pack_id = p.pack_id AND r.id = p.resource_id "
                "LEFT JOIN packs k ON k.id = p.pack_id ")


def learner_progress(db: Database, actor: str) -> list[dict]:
    """Every progress row of one actor, newest activity first, with titles where known."""
    return _rows(db.execute(_WITH_TITLES + "WHERE p.actor = ? ORDER BY p.updated_at DESC, "
                            "p.pack_id, p.resource_id", [actor]))


def resource_progress(db: Database, actor: str, pack_id: str, resource_id: str) -> dict | None:
    """One actor's progress on one resource, or None when not started."""
    rows = _rows(db.execute(_WITH_TITLES + "WHERE p.actor = ? AND p.pack_id = ? AND "
                            "p.resource_id = ?", [actor, pack_id, resource_id]))
    return rows[0] if rows else None


def continue_items(db: Database, actor: str, limit: int = 3) -> list[dict]:
    """Resources started and not finished, most recent first (for 'continue')."""
    return _rows(db.execute(_WITH_TITLES + "WHERE p.actor = ? AND p.completed_at IS NULL "
                            "AND r.id IS NOT NULL ORDER BY p.updated_at DESC LIMIT ?",
                            [actor, limit]))


def group_progress(db: Database, group_id: int) -> list[dict]:
    """Per member of a group: started, completed, mastered, time spent, last seen."""
    return _rows(db.execute(
        "SELECT l.id AS learner_id, l.id AS id, l.name AS name, l.avatar AS avatar, l.actor AS actor, "
        "count(p.resource_id) AS started, count(p.completed_at) AS completed, "
        "count(p.mastered_at) AS mastered, coalesce(sum(p.time_spent_s), 0) AS time_spent_s, "
        "l.last_seen_at AS last_seen_at "
        "FROM group_members m JOIN learners l ON l.id = m.learner_id "
        "LEFT JOIN progress p ON p.actor = l.actor "
        "WHERE m.group_id = ? GROUP BY l.id ORDER BY l.name COLLATE NOCASE", [group_id]))


def time_spent_since(db: Database, actor: str, since_iso: str) -> float:
    """Seconds of learning an actor's events report since a moment (ISO, UTC)."""

    row = db.execute(f"SELECT coalesce(sum(duration_s), 0) FROM events WHERE actor = ? "
                     f"AND {event_time_sql()} >= ?", [actor, since_iso]).fetchone()
    return float(row[0])


def checked_in_since(db: Database, actor: str, since_iso: str) -> bool:
    """True when the actor checked in at or after a moment (ISO, UTC)."""
    row = db.execute("SELECT 1 FROM events WHERE actor = ? AND verb = 'checked_in' "
                     "AND received_at >= ? LIMIT 1", [actor, since_iso]).fetchone()
    return row is not None


def event_time_sql(table: str = "events") -> str:
    """SQL for the time an event counts at (client time unless its clock was far off)."""
    return (f"CASE WHEN {table}.clock_skew_s IS NULL THEN {table}.client_ts "
            f"ELSE {table}.received_at END")


def forget(db: Database, actor: str) -> None:
    """Drop a learner's progress rows (their profile is being deleted)."""
    db.execute("DELETE FROM progress WHERE actor = ?", [actor])
