"""One Kolibri channel -> one pack folder (pack.json and its files), every file checked on the way.

Each storage file is streamed once: its MD5 must match its name (Kolibri names files by
their MD5) while its SHA-256 and size are counted for pack.json. A mismatch refuses the
whole install; a node that cannot be played is listed with its reason, never dropped silently.
"""
from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path

from hub.catalog.kolibri import perseus
from hub.catalog.kolibri.channel import Channel, Node, StoredFile
from hub.catalog.packs.errors import PackRefused, Problem
from hub.catalog.packs.manifest import KINDS, MAX_TOPIC_DEPTH

CHUNK = 1024 * 1024
MAX_DEPTH = 64   # Kolibri trees are a handful of levels; a deeper one is broken or hostile
# Kolibri kind -> (the hub's kind, the presets that play it, best first). Phones and a small
# hub do better with the smaller video, so low_res comes first.
PLAYABLE = {
    "video": ("video", ("low_res_video", "high_res_video", "video")),
    "audio": ("audio", ("audio",)),
    "document": ("document", ("document",)),
    "html5": ("html5", ("html5_zip",)),
    "h5p": ("h5p", ("h5p",)),
    "exercise": ("exercise", ("exercise",)),
}
REASONS = {
    "slideshow": "slideshows are not played by this hub",
    "zim": "a ZIM inside a channel is not played; add the .zim file itself",
    "quiz": "quizzes are not played by this hub",
}


@dataclass
class Converted:
    """A channel written as a pack folder: its manifest and the nodes left out, with reasons."""
    folder: Path
    manifest: dict
    skipped: list[dict] = field(default_factory=list)


def pack_id_for(channel_id: str) -> str:
    """The pack id of a channel ('kolibri.<channel id>')."""
    return f"kolibri.{channel_id}"


def _copy_checked(export, stored: StoredFile, target: Path) -> tuple[str, int] | None:
    """Stream a storage file to `target`, checking its MD5; (sha256, size), or None if absent."""
    stream = export.open_file(stored.md5, stored.extension)
    if stream is None:
        return None
    md5, sha, size = hashlib.md5(usedforsecurity=False), hashlib.sha256(), 0
    target.parent.mkdir(parents=True, exist_ok=True)
    with stream, open(target, "wb") as out:
        while chunk := stream.read(CHUNK):
            md5.update(chunk)
            sha.update(chunk)
            size += len(chunk)
            out.write(chunk)
        out.flush()
        os.fsync(out.fileno())
    if md5.hexdigest() != stored.md5:
        raise PackRefused([Problem(f"content/storage/{stored.md5}.{stored.extension}",
                                   f"its MD5 is {md5.hexdigest()}, not the one it is named by: the file "
                                   "is damaged; copy the export again")])
    return sha.hexdigest(), size


def _pick(node: Node, presets: tuple) -> StoredFile | None:
    ranked = [f for f in node.files if not f.supplementary and f.preset in presets]
    ranked.sort(key=lambda f: (presets.index(f.preset), f.priority))
    return ranked[0] if ranked else None


class _Writer:
    """Writes one channel's resources into a pack folder; remembers what it left out."""

    def __init__(self, channel: Channel, export, folder: Path, scratch: Path):
        self.channel, self.export, self.folder, self.scratch = channel, export, folder, scratch
        self.resources: list[dict] = []
        self.copied: dict[str, tuple[str, int]] = {}
        self.skipped: list[dict] = []
        self.languages: list[str] = [channel.language]

    def skip(self, node: Node, reason: str) -> None:
        self.skipped.append({"channel": self.channel.id, "node": node.id, "title": node.title,
                             "kind": node.kind, "reason": reason})

    def _file(self, stored: StoredFile) -> tuple[str, str, int] | None:
        name = f"files/{stored.md5}.{stored.extension}"
        if stored.md5 not in self.copied:
            found = _copy_checked(self.export, stored, self.folder / name)
            if found is None:
                return None
            self.copied[stored.md5] = found
        return (name, *self.copied[stored.md5])

    def _exercise(self, node: Node, stored: StoredFile) -> tuple[str, str, int]:
        meta = self.channel.assessments.get(node.id)
        if not meta or not meta["items"]:
            raise perseus.Unsupported("the exercise lists no questions")
        holder = self.scratch / f"{stored.md5}.perseus"
        try:
            if _copy_checked(self.export, stored, holder) is None:
                raise FileNotFoundError(holder.name)
            data = perseus.convert(holder, meta["items"], meta["mastery"])
        finally:
            holder.unlink(missing_ok=True)
        raw = json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8")
        name = f"exercises/{node.id}.json"
        (self.folder / "exercises").mkdir(exist_ok=True)
        (self.folder / name).write_bytes(raw)
        return name, hashlib.sha256(raw).hexdigest(), len(raw)

    def resource(self, node: Node) -> str | None:
        """Add a playable node as a resource and return its id; None (and a reason) if it is not."""
        if node.kind not in PLAYABLE:
            self.skip(node, REASONS.get(node.kind, f"{node.kind or 'this'} content is not played by this hub"))
            return None
        kind, presets = PLAYABLE[node.kind]
        stored = _pick(node, presets)
        if stored is None:
            epub = node.kind == "document" and any(f.preset == "epub" for f in node.files)
            self.skip(node, "EPUB books need a reader this hub does not ship" if epub
                      else "it has no file this hub can play")
            return None
        if kind != "exercise" and not f".{stored.extension}".endswith(KINDS[kind]):
            self.skip(node, f"a .{stored.extension} file is not played as {kind}")
            return None
        try:
            found = self._exercise(node, stored) if kind == "exercise" else self._file(stored)
        except perseus.Unsupported as why:
            self.skip(node, str(why))
            return None
        except FileNotFoundError:
            found = None
        if found is None:
            self.skip(node, f"its file {stored.md5}.{stored.extension} is missing from content/storage")
            return None
        language = node.language or self.channel.language
        if language not in self.languages:
            self.languages.append(language)
        res = {"id": node.id, "kind": kind, "language": language, "title": node.title[:200],
               "file": found[0], "sha256": found[1], "size": found[2]}
        if node.description:
            res["description"] = node.description
        if node.duration is not None:
            res["duration"] = node.duration
        if node.license:
            res["license"] = node.license
        if node.author:
            res["author"] = node.author
        self.resources.append(res)
        return node.id

    def topics(self, children: list[Node], depth: int = 1) -> tuple[list[dict], list[str]]:
        """The topics and loose resource ids under a node, in Kolibri's order."""
        topics, loose = [], []
        for node in children:
            if node.kind != "topic":
                rid = self.resource(node)
                if rid:
                    loose.append(rid)
                continue
            if depth > MAX_DEPTH:
                self.skip(node, f"topics nest deeper than {MAX_DEPTH} levels")
                continue
            sub, resources = self.topics(node.children, depth + 1)
            if depth >= MAX_TOPIC_DEPTH:  # deeper than a pack may nest: fold into this level
                loose += resources + [r for t in _flatten(sub) for r in t]
                continue
            if sub or resources:
                topic = {"id": node.id, "title": {node.language or self.channel.language: node.title},
                         "resources": resources}
                if sub:
                    topic["topics"] = sub
                topics.append(topic)
        return topics, loose


def _flatten(topics: list[dict]):
    for topic in topics:
        yield topic.get("resources", [])
        yield from _flatten(topic.get("topics", []))


def convert(channel: Channel, export, folder: Path, scratch: Path) -> Converted:
    """Write `channel` as a pack folder in `folder` (empty; `scratch` for exercise files on their
    way); PackRefused on a damaged file."""
    writer = _Writer(channel, export, folder, scratch)
    topics, loose = writer.topics(channel.root.children)
    if not writer.resources:
        raise PackRefused([Problem(channel.name, "the channel has nothing this hub can play"
                                                 + _why(writer.skipped))])
    if loose and topics:
        topics.append({"id": f"{channel.id}-more", "title": {channel.language: channel.name},
                       "resources": loose})
    manifest = {"format": 1, "id": pack_id_for(channel.id), "version": f"{max(channel.version, 0)}.0.0",
                "title": {channel.language: channel.name[:200]},
                "publisher": channel.author, "license": "", "languages": writer.languages,
                "topics": topics, "resources": writer.resources}
    if channel.description:
        manifest["description"] = {channel.language: channel.description}
    (folder / "pack.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
    return Converted(folder, manifest, writer.skipped)


def _why(skipped: list[dict]) -> str:
    reasons = sorted({s["reason"] for s in skipped})
    return f" ({'; '.join(reasons[:3])})" if reasons else ""
