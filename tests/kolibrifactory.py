"""Test helper: Kolibri channel exports written from Kolibri's published content schema.

The tables are those of content schema version 5 (kolibri/core/content/contentschema/
versions/content_schema_5.py), typed here from that description in its own column order,
which differs from the newest schema's: the hub must read by column name. Files go to
content/storage/<a>/<b>/<md5>.<ext>, named by their MD5 as Kolibri names them.
"""
from __future__ import annotations

import hashlib
import io
import json
import sqlite3
import uuid
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

SCHEMA_5 = """
CREATE TABLE content_contenttag (id CHAR(32) PRIMARY KEY, tag_name VARCHAR(30) NOT NULL);
CREATE TABLE content_language (id VARCHAR(14) PRIMARY KEY, lang_code VARCHAR(3) NOT NULL,
    lang_subcode VARCHAR(10), lang_name VARCHAR(100), lang_direction VARCHAR(3) NOT NULL);
CREATE TABLE content_localfile (id VARCHAR(32) PRIMARY KEY, extension VARCHAR(40) NOT NULL,
    available BOOLEAN NOT NULL, file_size INTEGER);
CREATE TABLE content_contentnode (id CHAR(32) PRIMARY KEY, license_name VARCHAR(50),
    license_description TEXT, title VARCHAR(200) NOT NULL, coach_content BOOLEAN NOT NULL,
    content_id CHAR(32) NOT NULL, channel_id CHAR(32) NOT NULL, description TEXT, sort_order FLOAT,
    license_owner VARCHAR(200) NOT NULL, author VARCHAR(200) NOT NULL, kind VARCHAR(200) NOT NULL,
    available BOOLEAN NOT NULL, options TEXT, grade_levels TEXT, resource_types TEXT,
    learning_activities TEXT, accessibility_labels TEXT, categories TEXT, learner_needs TEXT,
    duration INTEGER, lft INTEGER NOT NULL, rght INTEGER NOT NULL, tree_id INTEGER NOT NULL,
    level INTEGER NOT NULL, lang_id VARCHAR(14) REFERENCES content_language (id),
    parent_id CHAR(32) REFERENCES content_contentnode (id));
CREATE TABLE content_assessmentmetadata (id CHAR(32) PRIMARY KEY, assessment_item_ids TEXT NOT NULL,
    number_of_assessments INTEGER NOT NULL, mastery_model TEXT NOT NULL, randomize BOOLEAN NOT NULL,
    is_manipulable BOOLEAN NOT NULL,
    contentnode_id CHAR(32) NOT NULL REFERENCES content_contentnode (id));
CREATE TABLE content_channelmetadata (id CHAR(32) PRIMARY KEY, name VARCHAR(200) NOT NULL,
    description VARCHAR(400) NOT NULL, tagline VARCHAR(150), author VARCHAR(400) NOT NULL,
    version INTEGER NOT NULL, thumbnail TEXT NOT NULL, last_updated VARCHAR,
    min_schema_version VARCHAR(50) NOT NULL,
    root_id CHAR(32) NOT NULL REFERENCES content_contentnode (id));
CREATE TABLE content_file (id CHAR(32) PRIMARY KEY, preset VARCHAR(150) NOT NULL,
    supplementary BOOLEAN NOT NULL, thumbnail BOOLEAN NOT NULL, priority INTEGER,
    contentnode_id CHAR(32) NOT NULL REFERENCES content_contentnode (id),
    lang_id VARCHAR(14) REFERENCES content_language (id),
    local_file_id VARCHAR(32) NOT NULL REFERENCES content_localfile (id));
"""


def hexid() -> str:
    """A 32-hex-digit id, as Kolibri's UUID fields are stored."""
    return uuid.uuid4().hex


@dataclass
class Node:
    """A content node being built."""
    id: str
    kind: str
    title: str
    lang: str | None = "en"
    description: str = ""
    duration: int | None = None
    files: list = field(default_factory=list)     # (preset, extension, bytes, supplementary)
    children: list = field(default_factory=list)
    assessment: dict | None = None


class ChannelExport:
    """One channel: build a tree, then write() it into an export folder."""

    def __init__(self, name="Science for all", version=1, channel_id=None, lang="en"):
        self.id = channel_id or hexid()
        self.name, self.version, self.lang = name, version, lang
        self.root = Node(self.id, "topic", name, lang)
        self.schema = "5"

    def topic(self, parent: Node | None, title: str) -> Node:
        """Add a topic under `parent` (None: the root)."""
        node = Node(hexid(), "topic", title, self.lang)
        (parent or self.root).children.append(node)
        return node

    def resource(self, parent: Node | None, kind: str, title: str, files=(), **extra) -> Node:
        """Add a resource node: files are (preset, extension, bytes) or with supplementary=True."""
        node = Node(hexid(), kind, title, extra.pop("lang", self.lang), **extra)
        node.files = [tuple(f) + (False,) if len(f) == 3 else tuple(f) for f in files]
        (parent or self.root).children.append(node)
        return node

    def exercise(self, parent: Node | None, title: str, items: dict, mastery=None) -> Node:
        """Add an exercise node whose .perseus zip holds `items` (assessment id -> Perseus item)."""
        node = self.resource(parent, "exercise", title, [("exercise", "perseus", perseus_zip(items))])
        node.assessment = {"items": list(items), "mastery": mastery or {"type": "m_of_n", "m": 1, "n": 1}}
        return node

    def write(self, export: Path) -> Path:
        """Write content/databases/<id>.sqlite3 and the storage files into `export`; return it."""
        databases = export / "content" / "databases"
        databases.mkdir(parents=True, exist_ok=True)
        db_file = databases / f"{self.id}.sqlite3"
        db_file.unlink(missing_ok=True)
        conn = sqlite3.connect(db_file)
        conn.executescript(SCHEMA_5)
        conn.execute("INSERT INTO content_language VALUES (?,?,?,?,?)", [self.lang, self.lang, None, self.lang, "ltr"])
        counter = [1]
        self._write_node(conn, export, self.root, None, 0, counter)
        conn.execute("INSERT INTO content_channelmetadata VALUES (?,?,?,?,?,?,?,?,?,?)",
                     [self.id, self.name, f"{self.name}, exported for tests", "", "Test Foundation",
                      self.version, "", "2026-01-01", self.schema, self.id])
        conn.commit()
        conn.close()
        return export

    def _write_node(self, conn, export, node: Node, parent: str | None, level: int, counter) -> None:
        lft = counter[0]
        counter[0] += 1
        for child in node.children:
            self._write_node(conn, export, child, node.id, level + 1, counter)
        rght = counter[0]
        counter[0] += 1
        conn.execute(
            "INSERT INTO content_contentnode (id, license_name, title, coach_content, content_id, "
            "channel_id, description, sort_order, license_owner, author, kind, available, duration, "
            "lft, rght, tree_id, level, lang_id, parent_id) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            [node.id, "CC BY", node.title, 0, hexid(), self.id, node.description, float(lft),
             "Test Foundation", "A. Teacher", node.kind, 1, node.duration, lft, rght, 1, level,
             node.lang, parent])
        for preset, ext, data, supplementary in node.files:
            md5 = hashlib.md5(data).hexdigest()
            path = export / "content" / "storage" / md5[0] / md5[1] / f"{md5}.{ext}"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
            conn.execute("INSERT OR IGNORE INTO content_localfile VALUES (?,?,?,?)", [md5, ext, 1, len(data)])
            conn.execute("INSERT INTO content_file VALUES (?,?,?,?,?,?,?,?)",
                         [hexid(), preset, int(supplementary), 0, 1, node.id, node.lang, md5])
        if node.assessment:
            conn.execute("INSERT INTO content_assessmentmetadata VALUES (?,?,?,?,?,?,?)",
                         [hexid(), json.dumps(node.assessment["items"]), len(node.assessment["items"]),
                          json.dumps(node.assessment["mastery"]), 0, 0, node.id])


def perseus_zip(items: dict) -> bytes:
    """A .perseus file: exercise.json and one <assessment id>.json per item."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("exercise.json", json.dumps({"all_assessment_items": list(items)}))
        for item_id, item in items.items():
            archive.writestr(f"{item_id}.json", json.dumps(item))
    return buffer.getvalue()


def radio_item(prompt: str, choices: list[tuple[str, bool]], multiple=False) -> dict:
    """A Perseus radio item."""
    return {"question": {"content": f"{prompt}\n\n[[☃ radio 1]]", "images": {}, "widgets": {
        "radio 1": {"type": "radio", "options": {"choices": [{"content": c, "correct": ok} for c, ok in choices],
                                                 "multipleSelect": multiple}}}},
            "hints": [{"content": "Think about it."}], "answerArea": {}}


def numeric_item(prompt: str, value) -> dict:
    """A Perseus numeric-input item."""
    return {"question": {"content": f"{prompt} [[☃ numeric-input 1]]", "widgets": {
        "numeric-input 1": {"type": "numeric-input", "options": {"answers": [
            {"value": value, "status": "correct", "maxError": None}]}}}}, "hints": []}


def html5_zip(text="Hello from an app") -> bytes:
    """An html5 app zip with index.html at its root."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("index.html", f"<!doctype html><title>App</title><p>{text}</p>")
    return buffer.getvalue()


MINI_PDF = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[3 0 R]"
            b"/Count 1>>endobj 3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\n"
            b"trailer<</Root 1 0 R>>\n%%EOF\n")


def sample_channel(**kwargs) -> tuple[ChannelExport, dict]:
    """The channel of the issue's test: a topic tree, a video, a PDF, an html5 zip, a radio
    exercise and a slideshow. Returns the channel and its nodes by role."""
    channel = ChannelExport(**kwargs)
    physics = channel.topic(None, "Physics")
    light = channel.topic(physics, "Light")
    nodes = {
        "video": channel.resource(light, "video", "How light travels", [
            ("high_res_video", "mp4", b"\x00\x00\x00\x18ftypmp42" + bytes(range(256)) * 40),
            ("video_subtitle", "vtt", b"WEBVTT\n", True)], duration=95),
        "pdf": channel.resource(light, "document", "Light and shadow (notes)", [("document", "pdf", MINI_PDF)]),
        "app": channel.resource(physics, "html5", "Mirror game", [("html5_zip", "zip", html5_zip())]),
        "exercise": channel.exercise(physics, "Check: light", {
            hexid(): radio_item("Which travels fastest?", [("Light", True), ("Sound", False)]),
            hexid(): numeric_item("How many colours has a rainbow?", 7)},
            mastery={"type": "m_of_n", "m": 2, "n": 2}),
        "slideshow": channel.resource(physics, "slideshow", "Pictures of light", [
            ("slideshow_image", "png", b"\x89PNG\r\n\x1a\n")]),
    }
    return channel, nodes
