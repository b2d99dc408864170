"""pack.json, format 1: parse it and check its schema (fields, types, ids, versions, languages).

Only the manifest itself is checked here; files, sizes and hashes are checked by
hub.catalog.packs.validate, exercise files by hub.catalog.packs.exercise.
"""
from __future__ import annotations

import json
import re

from hub.catalog.packs.errors import Problem

FORMAT = 1
MAX_MANIFEST_BYTES = 32 * 1024 * 1024
PACK_ID = re.compile(r"[a-z0-9][a-z0-9.-]{2,63}")
# Resource and topic ids end up in URLs and in events ("pack_id/resource_id"): no slashes.
ITEM_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,127}")
SHA256 = re.compile(r"[0-9a-f]{64}")
SEMVER = re.compile(r"(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)"
                    r"(?:-((?:0|[1-9]\d*|\d*[A-Za-z-][0-9A-Za-z-]*)"
                    r"(?:\.(?:0|[1-9]\d*|\d*[A-Za-z-][0-9A-Za-z-]*))*))?"
                    r"(?:\+([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?")
# BCP 47 (RFC 5646) language tags as packs use them: language, script, region, variants.
BCP47 = re.compile(r"[A-Za-z]{2,3}(-[A-Za-z]{4})?(-(?:[A-Za-z]{2}|\d{3}))?"
                   r"(-(?:[A-Za-z0-9]{5,8}|\d[A-Za-z0-9]{3}))*")

# The file name endings each kind accepts (lower case), so a video is not listed as a PDF.
KINDS = {
    "article": (".md", ".markdown"),
    "video": (".mp4", ".m4v", ".webm", ".ogv"),
    "audio": (".mp3", ".m4a", ".ogg", ".oga", ".opus", ".wav", ".webm", ".flac"),
    "document": (".pdf",),
    "image": (".png", ".jpg", ".jpeg", ".gif", ".webp", ".svg"),
    "html5": (".zip",),
    "exercise": (".json",),
    "h5p": (".h5p",),
}
TOP_FIELDS = {"format", "id", "version", "title", "description", "publisher", "license",
              "languages", "topics", "resources"}
TOP_REQUIRED = ("format", "id", "version", "title", "languages", "resources")
RESOURCE_FIELDS = {"id", "kind", "language", "group", "title", "description", "tags", "file",
                   "sha256", "size", "duration", "license", "author"}
RESOURCE_REQUIRED = ("id", "kind", "language", "title", "file", "sha256", "size")
TOPIC_FIELDS = {"id", "title", "resources", "topics"}
RESERVED_FILES = {"pack.json", "pack.sig"}
MAX_TOPIC_DEPTH = 8


def parse(raw: bytes, where: str = "pack.json") -> tuple[dict | None, list[Problem]]:
    """Decode pack.json bytes into a dict, or return the problem that stops reading it."""
    if len(raw) > MAX_MANIFEST_BYTES:
        return None, [Problem(where, f"is larger than {MAX_MANIFEST_BYTES} bytes")]
    try:
        data = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        return None, [Problem(where, "is not UTF-8 text")]
    except json.JSONDecodeError as exc:
        return None, [Problem(where, f"is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})")]
    if not isinstance(data, dict):
        return None, [Problem(where, "must be a JSON object")]
    return data, []


def is_safe_relative_path(name: str) -> bool:
    """True for a plain relative POSIX path that stays inside the pack ('a/b.md')."""
    if not name or len(name) > 255 or name.startswith("/") or "\\" in name:
        return False
    if re.match(r"[A-Za-z]:", name) or any(ord(c) < 32 or ord(c) == 127 for c in name):
        return False
    return all(part not in ("", ".", "..") for part in name.split("/"))


def check_text_map(where: str, value, *, required: bool = True) -> list[Problem]:
    """A map from language tag to non-empty text, e.g. {"en": "Numbers", "fr": "Les nombres"}."""
    if not isinstance(value, dict) or (required and not value):
        return [Problem(where, "must be a map from language tag to text, e.g. {\"en\": \"...\"}")]
    problems = []
    for lang, text in value.items():
        if not BCP47.fullmatch(lang):
            problems.append(Problem(f"{where}.{lang}", "is not a BCP 47 language tag"))
        elif not isinstance(text, str) or not text.strip():
            problems.append(Problem(f"{where}.{lang}", "must be non-empty text"))
    return problems


def check_id(where: str, value, seen: set, noun: str) -> list[Problem]:
    """An item id (resource, topic, question, choice): well formed and unique among `seen`."""
    if not (isinstance(value, str) and ITEM_ID.fullmatch(value)):
        return [Problem(where, "must be letters, digits, '.', '_' or '-' (at most 128)")]
    if value in seen:
        return [Problem(where, f"{value} is used by another {noun}")]
    seen.add(value)
    return []


def _unknown(where: str, data: dict, allowed: set) -> list[Problem]:
    return [Problem(f"{where}.{key}" if where else key, "is not a known field (check the spelling)")
            for key in data if key not in allowed]


def _missing(where: str, data: dict, required) -> list[Problem]:
    return [Problem(f"{where}.{key}" if where else key, "is required") for key in required
            if key not in data]


def _check_resource(index: int, res, languages: list) -> list[Problem]:
    where = f"resources[{index}]"
    if not isinstance(res, dict):
        return [Problem(where, "must be an object")]
    problems = _unknown(where, res, RESOURCE_FIELDS) + _missing(where, res, RESOURCE_REQUIRED)
    if "id" in res and not (isinstance(res["id"], str) and ITEM_ID.fullmatch(res["id"])):
        problems.append(Problem(f"{where}.id", "must be letters, digits, '.', '_' or '-' (at most 128)"))
    if "group" in res and not (isinstance(res["group"], str) and ITEM_ID.fullmatch(res["group"])):
        problems.append(Problem(f"{where}.group", "must be letters, digits, '.', '_' or '-' (at most 128)"))
    kind = res.get("kind")
    known_kind = isinstance(kind, str) and kind in KINDS  # a list or object here is not hashable
    if "kind" in res and not known_kind:
        problems.append(Problem(f"{where}.kind", f"{kind!r} is not a known kind ({', '.join(KINDS)})"))
    lang = res.get("language")
    if "language" in res:
        if not isinstance(lang, str) or not BCP47.fullmatch(lang):
            problems.append(Problem(f"{where}.language", f"{lang!r} is not a BCP 47 language tag"))
        elif isinstance(languages, list) and languages and lang not in languages:
            problems.append(Problem(f"{where}.language", f"{lang} is not one of the pack's languages"))
    for key in ("title", "description", "license", "author"):
        if key in res and not isinstance(res[key], str):
            problems.append(Problem(f"{where}.{key}", "must be text"))
    if "title" in res and isinstance(res["title"], str) and not res["title"].strip():
        problems.append(Problem(f"{where}.title", "must not be empty"))
    if "tags" in res and not (isinstance(res["tags"], list) and all(isinstance(t, str) for t in res["tags"])):
        problems.append(Problem(f"{where}.tags", "must be a list of text"))
    file = res.get("file")
    if "file" in res:
        if not isinstance(file, str) or not is_safe_relative_path(file):
            problems.append(Problem(f"{where}.file", f"{file!r} is not a relative path inside the pack"))
        elif file in RESERVED_FILES:
            problems.append(Problem(f"{where}.file", f"{file} is reserved for the pack itself"))
        elif known_kind and not file.lower().endswith(KINDS[kind]):
            problems.append(Problem(f"{where}.file", f"{file}: a {kind} file must end in "
                                                   f"{' or '.join(KINDS[kind])}"))
    if "sha256" in res and not (isinstance(res["sha256"], str) and SHA256.fullmatch(res["sha256"])):
        problems.append(Problem(f"{where}.sha256", "must be 64 lower-case hex digits (run `hub packs build`)"))
    size = res.get("size")
    if "size" in res and (isinstance(size, bool) or not isinstance(size, int) or size < 0):
        problems.append(Problem(f"{where}.size", "must be a whole number of bytes, 0 or more"))
    if "duration" in res and (isinstance(res["duration"], bool)
                              or not isinstance(res["duration"], (int, float)) or res["duration"] < 0):
        problems.append(Problem(f"{where}.duration", "must be a number of seconds, 0 or more"))
    return problems


def _check_topics(where: str, topics, resource_ids: set, seen: set, depth: int) -> list[Problem]:
    if not isinstance(topics, list):
        return [Problem(where, "must be a list of topics")]
    if depth > MAX_TOPIC_DEPTH:
        return [Problem(where, f"topics nest deeper than {MAX_TOPIC_DEPTH} levels")]
    problems = []
    for i, topic in enumerate(topics):
        here = f"{where}[{i}]"
        if not isinstance(topic, dict):
            problems.append(Problem(here, "must be an object"))
            continue
        problems += _unknown(here, topic, TOPIC_FIELDS) + _missing(here, topic, ("id", "title"))
        if "id" in topic:
            problems += check_id(f"{here}.id", topic["id"], seen, "topic")
        if "title" in topic:
            problems += check_text_map(f"{here}.title", topic["title"])
        refs = topic.get("resources", [])
        if not isinstance(refs, list):
            problems.append(Problem(f"{here}.resources", "must be a list of resource ids"))
        else:
            for j, ref in enumerate(refs):
                if not isinstance(ref, str) or ref not in resource_ids:  # a list is not hashable
                    problems.append(Problem(f"{here}.resources[{j}]", f"{ref} is not a resource of this pack"))
        if "topics" in topic:
            problems += _check_topics(f"{here}.topics", topic["topics"], resource_ids, seen, depth + 1)
    return problems


def check(data: dict) -> list[Problem]:
    """Every schema problem of a decoded pack.json (empty when it is well formed)."""
    problems = _unknown("", data, TOP_FIELDS) + _missing("", data, TOP_REQUIRED)
    if "format" in data and (data["format"] != FORMAT or isinstance(data["format"], bool)):
        problems.append(Problem("format", f"{data['format']!r} is not a known format (this hub reads format {FORMAT})"))
    if "id" in data and not (isinstance(data["id"], str) and PACK_ID.fullmatch(data["id"])):
        problems.append(Problem("id", f"{data['id']!r} must be 3 to 64 of a-z, 0-9, '.', '-' "
                                      "starting with a letter or digit"))
    if "version" in data and not (isinstance(data["version"], str) and SEMVER.fullmatch(data["version"])):
        problems.append(Problem("version", f"{data['version']!r} is not a semantic version like 1.2.0"))
    if "title" in data:
        problems += check_text_map("title", data["title"])
    if "description" in data:
        problems += check_text_map("description", data["description"], required=False)
    for key in ("publisher", "license"):
        if key in data and not isinstance(data[key], str):
            problems.append(Problem(key, "must be text"))
    languages = data.get("languages")
    if "languages" in data:
        if not isinstance(languages, list) or not languages:
            problems.append(Problem("languages", "must be a non-empty list of BCP 47 tags"))
            languages = []
        else:
            for i, lang in enumerate(languages):
                if not isinstance(lang, str) or not BCP47.fullmatch(lang):
                    problems.append(Problem(f"languages[{i}]", f"{lang!r} is not a BCP 47 language tag"))
                elif languages.index(lang) != i:
                    problems.append(Problem(f"languages[{i}]", f"{lang} is listed twice"))
    resources = data.get("resources", [])
    ids: set = set()
    if not isinstance(resources, list):
        problems.append(Problem("resources", "must be a list"))
        resources = []
    for i, res in enumerate(resources):
        problems += _check_resource(i, res, languages)
        rid = res.get("id") if isinstance(res, dict) else None
        if isinstance(rid, str):
            if rid in ids:
                problems.append(Problem(f"resources[{i}].id", f"{rid} is used by another resource"))
            ids.add(rid)
    if "topics" in data:
        problems += _check_topics("topics", data["topics"], ids, set(), 1)
    return problems
