"""Turn a pack spec into a complete pack folder: media, exercise files, pack.json with hashes."""
from __future__ import annotations

import hashlib
import json
from pathlib import Path


class L(dict):
    """A text in several languages: {"en": "...", "ar": "..."}."""


def loc(value, lang: str):
    """Pick one language out of every L inside value (recursively); leave the rest as is."""
    if isinstance(value, L):
        return value[lang]
    if isinstance(value, dict):
        return {key: loc(item, lang) for key, item in value.items()}
    if isinstance(value, list):
        return [loc(item, lang) for item in value]
    return value


def resource_id(group: str, lang: str) -> str:
    """The id of one language version of a resource group."""
    return f"{group}-{lang}"


def file_facts(path: Path) -> tuple[str, int]:
    """sha256 hex digest and size in bytes of a file."""
    data = path.read_bytes()
    return hashlib.sha256(data).hexdigest(), len(data)


def _topic(spec: dict, languages: list[str], groups: dict) -> dict:
    """A pack.json topic from a spec topic, each group expanded to its language versions."""
    topic = {"id": spec["id"], "title": dict(spec["title"])}
    topic["resources"] = [resource_id(g, lang) for g in spec.get("groups", [])
                          for lang in languages if lang in group_languages(groups[g], languages)]
    if spec.get("topics"):
        topic["topics"] = [_topic(child, languages, groups) for child in spec["topics"]]
    return topic


def group_languages(res: dict, languages: list[str]) -> list[str]:
    """The languages a group has: its own list (a few groups carry newer languages), else the pack's."""
    return res.get("languages") or languages


def build_pack(spec: dict, root: Path, media: bool = True) -> dict:
    """Write every generated file of one pack under root/<id> and return its pack.json dict.

    Articles are written by hand and only read here. With media=False, existing audio is kept.
    """
    folder = root / spec["id"]
    languages = spec["languages"]
    resources = []
    for group, res in spec["groups"].items():
        for lang in group_languages(res, languages):
            rel = res["file"].format(lang=lang)
            path = folder / rel
            duration = None
            if res["kind"] == "exercise":
                path.parent.mkdir(parents=True, exist_ok=True)
                # A newer language may have its own, shorter exercise (packgen.new_languages).
                exercise = res.get("exercises", {}).get(lang, res.get("exercise"))
                body = json.dumps(loc(exercise, lang), ensure_ascii=False, indent=2)
                path.write_text(body + "\n", encoding="utf-8")
            elif "make" in res:
                path.parent.mkdir(parents=True, exist_ok=True)
                duration = res["make"](lang, path, media)
            if not path.is_file():
                raise SystemExit(f"{spec['id']}: {rel} is missing (write it first)")
            sha256, size = file_facts(path)
            entry = {
                "id": resource_id(group, lang), "kind": res["kind"], "language": lang,
                "group": group, "title": res["title"][lang],
                "description": res["description"][lang], "tags": list(res["tags"][lang]),
                "file": rel, "sha256": sha256, "size": size,
            }
            if duration is not None:
                entry["duration"] = int(round(duration))
            resources.append(entry)
    manifest = {
        "format": 1,
        "id": spec["id"],
        "version": spec["version"],
        "title": {lang: spec["title"][lang] for lang in languages},
        "description": {lang: spec["description"][lang] for lang in languages},
        "publisher": "Community Learning Hub",
        "license": "CC-BY-SA-4.0",
        "languages": languages,
        "topics": [_topic(t, languages, spec["groups"]) for t in spec["topics"]],
        "resources": resources,
    }
    text = json.dumps(manifest, ensure_ascii=False, indent=2) + "\n"
    (folder / "pack.json").write_text(text, encoding="utf-8")
    return manifest
