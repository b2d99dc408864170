"""Kolibri exercises (Perseus items in a .perseus zip) as the hub's question sets, where they fit.

A Perseus item is Markdown with widget placeholders (`[[☃ radio 1]]`). An item whose one
widget is `radio` becomes a single or multiple choice question, and `numeric-input` or
`input-number` a numeric one; the hub's checker then marks them like any exercise. Any
other widget (expressions, graphs, drag and drop), several widgets in one item, or images
the hub cannot carry over make the whole exercise unplayable here, with the reason said.
"""
from __future__ import annotations

import hashlib
import json
import re
import zipfile

from hub.catalog.packs import exercise
from hub.catalog.packs.manifest import ITEM_ID

PLACEHOLDER = re.compile(r"\[\[\s*☃\s*([^\]]+?)\s*\]\]")
IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)|web\+graphie:|\$\{☣ LOCALPATH\}")
MAX_ITEM_BYTES = 512 * 1024
CHOICE_IDS = "abcdefghijklmnopqrstuvwxyz"


class Unsupported(Exception):
    """An exercise the hub cannot hold; str() is the reason shown in the install report."""


def _text(value) -> str:
    return value.strip() if isinstance(value, str) else ""


def _hints(item: dict) -> list[str]:
    hints = []
    for hint in item.get("hints") or []:
        content = _text(hint.get("content") if isinstance(hint, dict) else None)
        if content and not IMAGE.search(content):
            hints.append(content)
    return hints


def _radio(options: dict) -> dict:
    choices = options.get("choices") or []
    if not 2 <= len(choices) <= len(CHOICE_IDS):
        raise Unsupported("a choice question without 2 to 26 choices")
    listed, correct = [], []
    for index, choice in enumerate(choices):
        text = _text(choice.get("content") if isinstance(choice, dict) else None)
        if not text or IMAGE.search(text):
            raise Unsupported("a choice that is empty or an image")
        listed.append({"id": CHOICE_IDS[index], "text": text})
        if choice.get("correct"):
            correct.append(CHOICE_IDS[index])
    if not correct:
        raise Unsupported("a choice question with no correct choice")
    if options.get("multipleSelect"):
        return {"type": "multiple_choice", "choices": listed, "answer": correct}
    if len(correct) != 1:
        raise Unsupported("a single choice question with several correct choices")
    return {"type": "single_choice", "choices": listed, "answer": correct[0]}


def _number(value) -> float | int:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise Unsupported("a numeric answer that is not a number")
    return value


def _numeric(kind: str, options: dict) -> dict:
    if kind == "input-number":
        value = _number(options.get("value"))
        tolerance = options.get("maxError") if options.get("inexact") else 0
    else:
        right = [a for a in options.get("answers") or [] if isinstance(a, dict) and a.get("status") == "correct"]
        if len(right) != 1:
            raise Unsupported("a numeric question with other than one correct answer")
        value, tolerance = _number(right[0].get("value")), right[0].get("maxError") or 0
    tolerance = tolerance if isinstance(tolerance, (int, float)) and not isinstance(tolerance, bool) else 0
    return {"type": "numeric", "answer": value, "tolerance": abs(tolerance)}


def question(item_id: str, item: dict) -> dict:
    """One Perseus item as a question of the hub's exercise format; Unsupported otherwise."""
    body = item.get("question") if isinstance(item.get("question"), dict) else {}
    content = _text(body.get("content"))
    widgets = body.get("widgets") if isinstance(body.get("widgets"), dict) else {}
    placed = PLACEHOLDER.findall(content)
    if len(placed) != 1 or placed[0] not in widgets:
        raise Unsupported("a question with no widget or several widgets")
    widget = widgets[placed[0]] if isinstance(widgets[placed[0]], dict) else {}
    kind, options = widget.get("type"), widget.get("options") or {}
    if IMAGE.search(content):
        raise Unsupported("a question with images")
    if kind == "radio":
        found = _radio(options)
    elif kind in ("numeric-input", "input-number"):
        found = _numeric(kind, options)
    else:
        raise Unsupported(f"question type {kind!r}")
    prompt = PLACEHOLDER.sub("", content).strip()
    if not prompt:
        raise Unsupported("a question with no text")
    if not ITEM_ID.fullmatch(item_id):
        item_id = "q" + hashlib.sha1(item_id.encode("utf-8")).hexdigest()[:16]
    found = {"id": item_id, "prompt": prompt, **found}
    hints = _hints(item)
    if hints:
        found["hints"] = hints
    return found


def mastery(model: dict, count: int) -> dict:
    """Kolibri's mastery model ('m_of_n', 'do_all', 'num_correct_in_a_row_N') as {correct, of}."""
    kind = str(model.get("type") or "")
    if kind == "m_of_n" and isinstance(model.get("m"), int) and isinstance(model.get("n"), int):
        of = max(1, min(model["n"], count))
        return {"correct": max(1, min(model["m"], of)), "of": of}
    match = re.fullmatch(r"num_correct_in_a_row_(\d+)", kind)
    if match:
        n = max(1, min(int(match.group(1)), count))
        return {"correct": n, "of": n}
    return {"correct": count, "of": count}   # do_all, and anything unknown: every question


def convert(archive_file, item_ids: list, model: dict) -> dict:
    """The question set of a .perseus zip (a seekable file); Unsupported with the first reason."""
    try:
        archive = zipfile.ZipFile(archive_file)
    except (zipfile.BadZipFile, OSError) as exc:
        raise Unsupported(f"the exercise file is not a readable zip ({exc})") from None
    questions, reasons = [], set()
    with archive:
        names = set(archive.namelist())
        for item_id in item_ids:
            name = f"{item_id}.json"
            if name not in names or archive.getinfo(name).file_size > MAX_ITEM_BYTES:
                raise Unsupported(f"question {item_id} is missing from the exercise file")
            try:
                item = json.loads(archive.read(name).decode("utf-8"))
                questions.append(question(str(item_id), item if isinstance(item, dict) else {}))
            except Unsupported as why:
                reasons.add(str(why))
            except (UnicodeDecodeError, json.JSONDecodeError):
                reasons.add("a question that is not valid JSON")
    if reasons:
        raise Unsupported("unsupported: " + "; ".join(sorted(reasons)))
    if not questions:
        raise Unsupported("an exercise with no questions")
    data = {"questions": questions, "mastery": mastery(model, len(questions))}
    problems = exercise.check(data, "exercise")
    if problems:
        raise Unsupported(f"not a valid question set here ({problems[0]})")
    return data
