"""The catalog of installed packs: topics and resources in SQLite, language fallback, search.

Owns the tables packs, topics, topic_resources, resources and resource_search. Writes run
inside the caller's transaction (hub.catalog.packs.install wraps them in `with db.atomic():`).
Reads return plain dicts with JSON columns decoded; a resource's `group` ties translations
together, and learner-facing reads show one version per group, in the best language.
"""
from __future__ import annotations

import json
import os
from pathlib import Path

from sqlite_utils import Database

from hub.core import clock, i18n
from hub.catalog import search as fts

_PACK_JSON = ("title", "description", "languages")
_LIST_COLUMNS = ("id, version, title, description, publisher, license, languages, enabled, "
                 "signed_by, source, storage_dir, size, resource_count, installed_at")
_RESOURCE_COLUMNS = ("pack_id, id, kind, language, group_id, title, description, tags, file, "
                     "sha256, size, duration, position")


def _rows(cursor) -> list[dict]:
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row)) for row in cursor.fetchall()]


def _walk_topics(topics: list[dict], parent: str | None = None):
    """Yield (topic, parent_id, position) for a nested topic list, depth first."""
    for position, topic in enumerate(topics or []):
        yield topic, parent, position
        yield from _walk_topics(topic.get("topics") or [], topic["id"])


def _article_text(storage_dir: str, file: str) -> str:
    path = resource_file_path(storage_dir, file)
    if path is None or not path.is_file():
        return ""
    with open(path, encoding="utf-8", errors="replace") as handle:
        return handle.read(fts.BODY_LIMIT)


def replace_pack(db: Database, manifest: dict, *, storage_dir: str, signed_by: str | None,
                 source: str, size: int) -> None:
    """Replace a pack's catalog rows and search index with `manifest` (caller's transaction)."""
    pack_id = manifest["id"]
    resources = manifest.get("resources") or []
    remove_pack(db, pack_id)
    db.execute(
        "INSERT INTO packs (id, version, title, description, publisher, license, languages, "
        "enabled, signed_by, source, storage_dir, size, resource_count, installed_at, manifest) "
        "VALUES (?,?,?,?,?,?,?,1,?,?,?,?,?,?,?)",
        [pack_id, manifest["version"], json.dumps(manifest.get("title") or {}, ensure_ascii=False),
         json.dumps(manifest.get("description") or {}, ensure_ascii=False),
         manifest.get("publisher", ""), manifest.get("license", ""),
         json.dumps(manifest.get("languages") or [], ensure_ascii=False), signed_by, source,
         str(storage_dir), int(size), len(resources), clock.iso(),
         json.dumps(manifest, ensure_ascii=False)])
    db.conn.executemany(
        f"INSERT INTO resources ({_RESOURCE_COLUMNS}) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
        [(pack_id, r["id"], r["kind"], r["language"], r.get("group") or r["id"], r.get("title", ""),
          r.get("description", ""), json.dumps(r.get("tags") or [], ensure_ascii=False),
          r.get("file", ""), r.get("sha256", ""), int(r.get("size") or 0), r.get("duration"), i)
         for i, r in enumerate(resources)])
    topic_rows, link_rows = [], []
    for topic, parent, position in _walk_topics(manifest.get("topics") or []):
        topic_rows.append((pack_id, topic["id"], parent, position,
                           json.dumps(topic.get("title") or {}, ensure_ascii=False)))
        link_rows += [(pack_id, topic["id"], rid, i) for i, rid in enumerate(topic.get("resources") or [])]
    db.conn.executemany("INSERT INTO topics (pack_id, id, parent_id, position, title) "
                        "VALUES (?,?,?,?,?)", topic_rows)
    db.conn.executemany("INSERT OR IGNORE INTO topic_resources (pack_id, topic_id, resource_id, "
                        "position) VALUES (?,?,?,?)", link_rows)
    bodies = {r["id"]: _article_text(str(storage_dir), r.get("file", ""))
              for r in resources if r["kind"] == "article"}
    fts.add(db, fts.index_rows(pack_id, resources), fts.text_rows(pack_id, resources, bodies))


def reindex(db: Database) -> int:
    """Rebuild every installed pack's search rows (after the indexed word forms changed).

    Returns how many packs were indexed. The hub calls it once at start when the index was
    built by an older rule (fts.INDEX_VERSION); installed files are read again for articles.
    """
    packs = _rows(db.execute("SELECT id, storage_dir, manifest FROM packs"))
    with db.atomic():
        for pack in packs:
            manifest = json.loads(pack["manifest"] or "{}")
            resources = manifest.get("resources") or []
            bodies = {r["id"]: _article_text(pack["storage_dir"], r.get("file", ""))
                      for r in resources if r["kind"] == "article"}
            fts.remove(db, pack["id"])
            fts.add(db, fts.index_rows(pack["id"], resources),
                    fts.text_rows(pack["id"], resources, bodies))
    fts.forget_results()  # the packs' rows did not change, the index did
    return len(packs)


def remove_pack(db: Database, pack_id: str) -> None:
    """Delete a pack's catalog rows and index entries (caller's transaction; files stay)."""
    fts.remove(db, pack_id)
    for table in ("topic_resources", "topics", "resources"):
        db.execute(f"DELETE FROM {table} WHERE pack_id = ?", [pack_id])
    db.execute("DELETE FROM packs WHERE id = ?", [pack_id])


def set_enabled(db: Database, pack_id: str, enabled: bool) -> None:
    """Show a pack to learners or hide it (its rows and files stay)."""
    db.execute("UPDATE packs SET enabled = ? WHERE id = ?", [1 if enabled else 0, pack_id])


def _decode_pack(row: dict) -> dict:
    for key in _PACK_JSON:
        row[key] = json.loads(row[key]) if row.get(key) else ({} if key != "languages" else [])
    row["enabled"] = bool(row["enabled"])
    return row


def get_pack(db: Database, pack_id: str, *, enabled_only: bool = False,
             manifest: bool = True) -> dict | None:
    """One pack (title/description/languages decoded; `manifest` parsed unless False), or None.

    Pages pass manifest=False: a 25,000-resource pack's manifest is 10 MB of JSON, and
    parsing it on every page took 130 ms and tens of MB per request in flight.
    """
    sql = f"SELECT {_LIST_COLUMNS}{', manifest' if manifest else ''} FROM packs WHERE id = ?"
    rows = _rows(db.execute(sql + (" AND enabled = 1" if enabled_only else ""), [pack_id]))
    if not rows:
        return None
    pack = _decode_pack(rows[0])
    if manifest:
        pack["manifest"] = json.loads(pack["manifest"])
    return pack


def list_packs(db: Database, *, enabled_only: bool = True) -> list[dict]:
    """Installed packs (only those learners may see, unless enabled_only=False), by id."""
    sql = f"SELECT {_LIST_COLUMNS} FROM packs"
    sql += " WHERE enabled = 1 ORDER BY id" if enabled_only else " ORDER BY id"
    return [_decode_pack(row) for row in _rows(db.execute(sql))]


def resource_file_path(storage_dir: str, file: str) -> Path | None:
    """The absolute path of a pack file, or None if it would leave the pack's folder."""
    if not file or "\x00" in file or "\\" in file or os.path.isabs(file):
        return None
    root = os.path.realpath(storage_dir)
    path = os.path.realpath(os.path.join(root, file))
    if os.path.commonpath([root, path]) != root or path == root:
        return None  # '..' or a symlink pointing outside the pack
    return Path(path)


def _decode_resource(row: dict, storage_dir: str | None = None) -> dict:
    row["group"] = row.pop("group_id")
    row["tags"] = json.loads(row["tags"]) if row.get("tags") else []
    if storage_dir is not None:
        row["path"] = resource_file_path(storage_dir, row["file"])
    return row


def get_resource(db: Database, pack_id: str, resource_id: str) -> dict | None:
    """One resource with its absolute file `path`, `pack_enabled` and `storage_dir`; or None."""
    rows = _rows(db.execute(
        f"SELECT {', '.join('r.' + c.strip() for c in _RESOURCE_COLUMNS.split(','))}, "
        "p.storage_dir, p.enabled AS pack_enabled FROM resources r JOIN packs p ON p.id = r.pack_id "
        "WHERE r.pack_id = ? AND r.id = ?", [pack_id, resource_id]))
    if not rows:
        return None
    row = rows[0]
    row["pack_enabled"] = bool(row["pack_enabled"])
    return _decode_resource(row, row["storage_dir"])


def resource_by_file(db: Database, pack_id: str, file: str) -> dict | None:
    """The resource whose file is `file` in an enabled pack (for serving), or None."""
    rows = _rows(db.execute(
        f"SELECT r.id, r.kind, r.file, r.sha256, r.size, p.storage_dir, p.installed_at, "
        "p.version FROM resources r JOIN packs p ON p.id = r.pack_id AND p.enabled = 1 "
        "WHERE r.pack_id = ? AND r.file = ? LIMIT 1", [pack_id, file]))
    return rows[0] if rows else None


def versions(db: Database, pack_id: str, group: str) -> list[dict]:
    """Every language version of one resource group, in manifest order."""
    # `+position`: sort the few rows of the group (index resources_group) rather than walk
    # the whole pack in position order (6 ms -> 0.02 ms in a 25,000-resource pack).
    return [_decode_resource(r) for r in _rows(db.execute(
        f"SELECT {_RESOURCE_COLUMNS} FROM resources WHERE pack_id = ? AND group_id = ? "
        "ORDER BY +position", [pack_id, group]))]


def _pack_languages(db: Database, pack_ids) -> dict[str, list[str]]:
    ids = sorted(set(pack_ids))
    if not ids:
        return {}
    marks = ",".join("?" * len(ids))
    return {row[0]: json.loads(row[1]) for row in
            db.execute(f"SELECT id, languages FROM packs WHERE id IN ({marks})", ids).fetchall()}


def pick_version(candidates: list[dict], lang: str, pack_languages: list[str],
                 reads: list[str] | None = None) -> dict:
    """The version a learner should see: exact tag, base language, then the pack's order.

    `reads` is the learner's own order of languages ("Kannada, then English"): after `lang`
    it comes before the pack's order.
    """
    if len(candidates) == 1:
        return candidates[0]
    order = i18n.fallback_chain(lang, list(pack_languages) + [c["language"] for c in candidates],
                                also=reads)
    return min(candidates, key=lambda c: (order.index(c["language"]), c["position"]))


def _read_versions(db: Database, found: dict, column: str, keys: list[tuple[str, str]],
                   clause: str, extra: list) -> None:
    """Add the resources whose (pack_id, `column`: "id" or "group_id") is in `keys` to `found`."""
    for start in range(0, len(keys), 200):  # stay far below SQLite's variable limit
        chunk = keys[start:start + 200]
        if column == "id":
            pairs = " OR ".join("(pack_id = ? AND id = ?)" for _ in chunk)
        else:
            pairs = " OR ".join("(pack_id = ? AND group_id = ?)" for _ in chunk)
        params = [v for key in chunk for v in key]
        for row in _rows(db.execute(f"SELECT {_RESOURCE_COLUMNS} FROM resources WHERE ({pairs})"
                                    f"{clause}", params + extra)):
            found.setdefault((row["pack_id"], row["group_id"]), []).append(_decode_resource(row))


def best_versions(db: Database, keys: list[tuple[str, str]], lang: str,
                  language: str | None = None, *, reads: list[str] | None = None,
                  matched: dict[tuple[str, str], set[str]] | None = None) -> list[dict]:
    """For each (pack_id, group) in order, the version in the best language (`language` filters).

    `matched` (a search's hits) narrows each group to the versions that hold the words: a
    query that matches only the Arabic version of an English page shows the Arabic one.
    """
    if not keys:
        return []
    clause, extra = fts.language_clause("language", language)
    found: dict[tuple[str, str], list[dict]] = {}
    if matched:
        # The hits name the versions that hold the words: read those rows by key, not every
        # language of each group (a fifth of the rows and their decoding, issue 22).
        _read_versions(db, found, "id", [(key[0], rid) for key in keys
                                         for rid in sorted(matched.get(key, ()))], clause, extra)
    _read_versions(db, found, "group_id", [key for key in keys if key not in found], clause, extra)
    languages = _pack_languages(db, [k[0] for k in keys])
    chosen = []
    for key in keys:
        candidates = found.get(key)
        if not candidates:
            continue
        hits = [c for c in candidates if matched and c["id"] in matched.get(key, ())]
        chosen.append(pick_version(hits or candidates, lang, languages.get(key[0], []), reads))
    return chosen


def search(db: Database, q: str, *, lang: str, pack: str | None = None, kind: str | None = None,
           language: str | None = None, limit: int = 20,
           reads: list[str] | None = None) -> list[dict]:
    """Ranked resources matching `q` in enabled packs, one per group, in the learner's `lang`.

    `language` keeps only resources in that language (tag or base); without `q`, lists. Of
    a group, the version shown is one that holds the words, in the best language of those.
    """
    limit = max(1, min(int(limit), 200))
    # Kept per catalog version and normalized query (fts.cached_results): never stale.
    key = ("search", bool((q or "").strip()), fts.normalized(q), lang, pack, kind, language, limit,
           tuple(reads or ()))
    version = fts.catalog_version(db)
    return fts.cached_results(db, key, lambda: _search(db, q, lang=lang, pack=pack, kind=kind,
                                                      language=language, limit=limit, reads=reads,
                                                      version=version), version=version)


def _search(db: Database, q: str, *, lang: str, pack: str | None, kind: str | None,
            language: str | None, limit: int, reads: list[str] | None, version: str) -> list[dict]:
    if not (q or "").strip():
        return list_resources(db, lang=lang, pack=pack, kind=kind, language=language, limit=limit,
                              reads=reads)
    hits = fts.matching_versions(db, q, language=language, pack=pack, kind=kind, limit=limit,
                                 version=version)
    keys = [(hit[0], hit[1]) for hit in hits]
    found = best_versions(db, keys, lang, language, reads=reads,
                          matched={(hit[0], hit[1]): hit[2] for hit in hits})
    if kind in (None, "zim"):
        # Articles inside ZIM archives, from each archive's own indexes (hub.catalog.zim, docs/zim.md);
        # they fill what is left and keep at least a quarter of the list when they match.
        from hub.catalog.zim.search import search_all

        zim = search_all(db, q, language, limit, pack=pack, prefer=lang)
        room = max(limit - len(found), min(len(zim), limit // 4))
        found = found[:limit - room] + zim[:room]
    return found


def list_resources(db: Database, *, lang: str, pack: str | None = None, kind: str | None = None,
                   language: str | None = None, limit: int = 20, offset: int = 0,
                   reads: list[str] | None = None) -> list[dict]:
    """Resources of enabled packs in manifest order, one per group, in the learner's `lang`."""
    sql = ("SELECT r.pack_id, r.group_id, min(r.position) AS first FROM resources r "
           "JOIN packs p ON p.id = r.pack_id AND p.enabled = 1 WHERE 1 = 1")
    params: list = []
    if pack:
        sql += " AND r.pack_id = ?"
        params.append(pack)
    if kind:
        sql += " AND r.kind = ?"
        params.append(kind)
    clause, extra = fts.language_clause("r.language", language)
    sql += clause + " GROUP BY r.pack_id, r.group_id ORDER BY r.pack_id, first LIMIT ? OFFSET ?"
    keys = [(row[0], row[1]) for row in
            db.execute(sql, params + extra + [int(limit), int(offset)]).fetchall()]
    return best_versions(db, keys, lang, language, reads=reads)


def group_counts(db: Database) -> dict[str, int]:
    """Per pack id, how many resources a learner sees: one per language group."""
    return dict(db.execute("SELECT pack_id, count(DISTINCT group_id) FROM resources "
                           "GROUP BY pack_id").fetchall())


def topic_tree(db: Database, pack: dict, lang: str, per_topic: int = 100,
               reads: list[str] | None = None) -> dict:
    """A pack's topics nested with their resources (best language, one per group).

    Returns {"topics": [{"id", "title", "resources", "more", "topics"}], "loose": [...]},
    `loose` holding up to `per_topic` resources no topic lists.
    """
    pack_id = pack["id"]
    topics = _rows(db.execute("SELECT id, parent_id, title FROM topics WHERE pack_id = ? "
                              "ORDER BY parent_id, position", [pack_id]))
    links = db.execute(
        "SELECT tr.topic_id, r.group_id FROM topic_resources tr JOIN resources r "
        "ON r.pack_id = tr.pack_id AND r.id = tr.resource_id WHERE tr.pack_id = ? "
        "ORDER BY tr.topic_id, tr.position", [pack_id]).fetchall()
    ordered: dict[str, dict[str, None]] = {}  # topic -> its groups, first mention first
    for topic_id, group in links:
        ordered.setdefault(topic_id, {})[group] = None
    groups = {topic_id: list(listed) for topic_id, listed in ordered.items()}
    wanted = {g for listed in groups.values() for g in listed[:per_topic]}
    linked = {group for _topic, group in links}
    loose_groups = []
    for (group,) in db.execute("SELECT group_id FROM resources WHERE pack_id = ? "
                               "GROUP BY group_id ORDER BY min(position)", [pack_id]):
        if group not in linked:
            loose_groups.append(group)
            if len(loose_groups) == per_topic:
                break
    chosen = {r["group"]: r for r in best_versions(
        db, [(pack_id, g) for g in sorted(wanted | set(loose_groups))], lang, reads=reads)}
    nodes = {}
    for topic in topics:
        listed = groups.get(topic["id"], [])
        nodes[topic["id"]] = {
            "id": topic["id"], "parent_id": topic["parent_id"], "topics": [],
            "title": i18n.pick_text(json.loads(topic["title"] or "{}"), lang, pack["languages"]),
            "resources": [chosen[g] for g in listed[:per_topic] if g in chosen],
            "more": max(0, len(listed) - per_topic)}
    roots = []
    for topic in topics:  # ordered by parent then position, so children keep their order
        node = nodes[topic["id"]]
        parent = nodes.get(topic["parent_id"]) if topic["parent_id"] else None
        (parent["topics"] if parent else roots).append(node)
    return {"topics": roots, "loose": [chosen[g] for g in loose_groups if g in chosen]}
