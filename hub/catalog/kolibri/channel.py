"""Read one Kolibri channel database (its content_* tables) by column name, never by position.

Kolibri's content schema has changed over the years (versions 1 to 5 so far, written in
content_channelmetadata.min_schema_version); the columns the hub needs have kept their
names, so any known version is read through them. An unknown version is refused: its
meaning may have changed, and a wrong reading would be worse than none.
"""
from __future__ import annotations

import json
import sqlite3
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from hub.catalog.packs.errors import PackRefused, Problem
from hub.catalog.packs.manifest import BCP47

KNOWN_SCHEMAS = ("1", "2", "3", "4", "5")
REQUIRED_COLUMNS = {
    "content_channelmetadata": {"id", "name", "version", "root_id", "min_schema_version"},
    "content_contentnode": {"id", "title", "kind", "parent_id", "lft"},
    "content_file": {"contentnode_id", "local_file_id", "preset", "supplementary", "thumbnail"},
    "content_localfile": {"id", "extension"},
}


@dataclass(frozen=True)
class StoredFile:
    """One file of a node: its MD5 (the storage name), extension, preset and size."""
    md5: str
    extension: str
    preset: str
    supplementary: bool
    priority: int
    size: int | None


@dataclass
class Node:
    """A content node: a topic or a resource, with what the catalog shows of it."""
    id: str
    parent_id: str | None
    kind: str
    title: str
    description: str
    language: str | None
    duration: int | None
    license: str
    author: str
    files: list[StoredFile] = field(default_factory=list)
    children: list["Node"] = field(default_factory=list)


@dataclass
class Channel:
    """A channel: its metadata, the tree under its root, and exercise metadata by node id."""
    id: str
    name: str
    description: str
    author: str
    version: int
    schema: str
    root: Node
    language: str
    assessments: dict[str, dict] = field(default_factory=dict)


def language_tag(value) -> str | None:
    """A Kolibri language id ('en', 'es-419', 'pt_BR') as a BCP 47 tag, or None."""
    if not isinstance(value, str) or not value.strip():
        return None
    tag = value.strip().replace("_", "-")
    return tag if BCP47.fullmatch(tag) else None


def _rows(cursor) -> list[dict]:
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row)) for row in cursor.fetchall()]


def _columns(conn, table: str) -> set[str]:
    return {row[1] for row in conn.execute(f"PRAGMA table_info({table})")}


def _check_schema(conn, where: str) -> None:
    problems = []
    for table, needed in REQUIRED_COLUMNS.items():
        missing = needed - _columns(conn, table)
        if missing:
            problems.append(Problem(where, f"table {table} lacks {', '.join(sorted(missing))}: "
                                           "not a Kolibri channel database this hub can read"))
    if problems:
        raise PackRefused(problems)


def _files(conn) -> dict[str, list[StoredFile]]:
    local_cols = _columns(conn, "content_localfile")
    # Columns some schema versions lack: a literal expression either way, never a value.
    optional_size = "l.file_size" if "file_size" in local_cols else "NULL"
    optional_priority = "f.priority" if "priority" in _columns(conn, "content_file") else "0"
    by_node: dict[str, list[StoredFile]] = {}
    for row in _rows(conn.execute(
            "SELECT f.contentnode_id AS node, l.id AS md5, l.extension AS ext, f.preset AS preset, "
            f"f.supplementary AS supp, f.thumbnail AS thumb, {optional_priority} AS priority, "
            f"{optional_size} AS size FROM content_file f JOIN content_localfile l ON l.id = f.local_file_id")):
        if row["thumb"]:
            continue  # thumbnails are decoration; the catalog shows none
        by_node.setdefault(row["node"], []).append(StoredFile(
            str(row["md5"]).lower(), str(row["ext"] or "").lower(), str(row["preset"] or ""),
            bool(row["supp"]), int(row["priority"] or 0), row["size"]))
    return by_node


def _assessments(conn) -> dict[str, dict]:
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    if "content_assessmentmetadata" not in tables:
        return {}
    found = {}
    for row in _rows(conn.execute("SELECT * FROM content_assessmentmetadata")):
        try:
            items = json.loads(row.get("assessment_item_ids") or "[]")
            mastery = json.loads(row.get("mastery_model") or "{}")
        except (TypeError, ValueError):
            items, mastery = [], {}
        found[row["contentnode_id"]] = {"items": items if isinstance(items, list) else [],
                                        "mastery": mastery if isinstance(mastery, dict) else {}}
    return found


def _node(row: dict, files: dict) -> Node:
    duration = row.get("duration")
    return Node(id=row["id"], parent_id=row.get("parent_id"), kind=str(row.get("kind") or ""),
                title=str(row.get("title") or "").strip() or row["id"],
                description=str(row.get("description") or "").strip(),
                language=language_tag(row.get("lang_id")),
                duration=duration if isinstance(duration, int) and duration >= 0 else None,
                license=str(row.get("license_name") or ""),
                author=str(row.get("author") or row.get("license_owner") or ""),
                files=files.get(row["id"], []))


def _tree(conn, root_id: str, files: dict) -> Node:
    nodes = {}
    node_order = "lft, sort_order" if "sort_order" in _columns(conn, "content_contentnode") else "lft"
    for row in _rows(conn.execute(f"SELECT * FROM content_contentnode ORDER BY {node_order}")):
        nodes[row["id"]] = _node(row, files)
    if root_id not in nodes:
        raise PackRefused([Problem(root_id, "the channel's root node is missing from its database")])
    for node in nodes.values():  # in Kolibri's order (lft), so children come out ordered
        parent = nodes.get(node.parent_id) if node.parent_id else None
        if parent is not None and node.id != root_id:
            parent.children.append(node)
    return nodes[root_id]


def read(path: Path, channel_id: str) -> Channel:
    """The channel in database `path` (named by `channel_id`); PackRefused when unreadable."""
    where = f"content/databases/{channel_id}.sqlite3"
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro&immutable=1", uri=True)
    except sqlite3.Error as exc:
        raise PackRefused([Problem(where, f"cannot be opened ({exc})")]) from None
    try:
        _check_schema(conn, where)
        meta = _rows(conn.execute("SELECT * FROM content_channelmetadata WHERE id = ?", [channel_id]))
        if not meta:
            raise PackRefused([Problem(where, f"holds no metadata for channel {channel_id}")])
        meta = meta[0]
        schema = str(meta.get("min_schema_version") or "")
        if schema not in KNOWN_SCHEMAS:
            raise PackRefused([Problem(where, f"content schema version {schema!r} is not one this hub "
                                              f"reads ({', '.join(KNOWN_SCHEMAS)}); export the "
                                              "channel again with a current Kolibri")])
        try:
            version = int(meta.get("version") or 0)
        except (TypeError, ValueError):
            raise PackRefused([Problem(where, f"channel version {meta.get('version')!r} is not a number")]) from None
        files = _files(conn)
        root = _tree(conn, meta["root_id"], files)
        assessments = _assessments(conn)
    except sqlite3.DatabaseError as exc:
        raise PackRefused([Problem(where, f"is not a readable channel database ({exc})")]) from None
    finally:
        conn.close()
    return Channel(id=channel_id, name=str(meta.get("name") or channel_id),
                   description=str(meta.get("description") or meta.get("tagline") or ""),
                   author=str(meta.get("author") or ""), version=version,
                   schema=schema, root=root, language=_main_language(root),
                   assessments=assessments)


def _main_language(root: Node) -> str:
    if root.language:
        return root.language
    counts = Counter()
    stack = [root]
    while stack:
        node = stack.pop()
        if node.language:
            counts[node.language] += 1
        stack.extend(node.children)
    return counts.most_common(1)[0][0] if counts else "und"


def summary(path: Path, channel_id: str) -> dict:
    """A channel's name, version and language, read from its metadata alone (for USB listings).

    Raises ValueError with a short reason when the database cannot be read.
    """
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro&immutable=1", uri=True)
        try:
            meta = _rows(conn.execute("SELECT * FROM content_channelmetadata WHERE id = ?", [channel_id]))
            lang = None
            if meta:
                root = _rows(conn.execute("SELECT * FROM content_contentnode WHERE id = ?", [meta[0].get("root_id")]))
                lang = language_tag(root[0].get("lang_id")) if root else None
        finally:
            conn.close()
    except sqlite3.Error as exc:
        raise ValueError(f"not a readable channel database ({exc})") from None
    if not meta:
        raise ValueError("no channel metadata")
    return {"name": str(meta[0].get("name") or channel_id), "version": int(meta[0].get("version") or 0),
            "language": lang or "und"}
