"""A learner's path through each pack, for the facilitator console (read-only, no Flask).

Built from hub.learning.progress rows: per pack, the resources in the order the learner started
them, with counts of started, completed and mastered, and the time spent.
"""
from __future__ import annotations

from sqlite_utils import Database

from hub.catalog import store as catalog
from hub.learning import progress


def learner_paths(db: Database, actor: str) -> list[dict]:
    """Per pack the learner touched (most recent first): totals and the steps in order."""
    packs: dict[str, dict] = {}
    for row in progress.learner_progress(db, actor):
        pack = packs.get(row["pack_id"])
        if pack is None:
            installed = catalog.get_pack(db, row["pack_id"], manifest=False)
            pack = packs[row["pack_id"]] = {
                "pack_id": row["pack_id"],
                "title": row.get("pack_title") or row["pack_id"],
                "languages": installed["languages"] if installed else [],
                "resource_count": installed["resource_count"] if installed else None,
                "installed": installed is not None,
                "started": 0, "completed": 0, "mastered": 0, "time_spent_s": 0.0,
                "last_activity": row["updated_at"], "steps": []}
        pack["started"] += 1
        pack["completed"] += 1 if row["completed_at"] else 0
        pack["mastered"] += 1 if row["mastered_at"] else 0
        pack["time_spent_s"] += row["time_spent_s"] or 0.0
        pack["last_activity"] = max(pack["last_activity"], row["updated_at"])
        pack["steps"].append(row)
    for pack in packs.values():
        pack["steps"].sort(key=lambda r: (r["started_at"], r["resource_id"]))
    return sorted(packs.values(), key=lambda p: p["last_activity"], reverse=True)


def totals(paths: list[dict]) -> dict:
    """Started, completed and mastered resources and time spent over every pack."""
    return {key: sum(p[key] for p in paths)
            for key in ("started", "completed", "mastered", "time_spent_s")}
