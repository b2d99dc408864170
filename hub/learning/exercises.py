"""Exercises: read a pack's question set, check answers on the hub, feedback and mastery.

No Flask here. The answer key never leaves this module: pages get `public_questions`, which
holds prompts, choices and hints only.
"""
from __future__ import annotations

import json
import re
import unicodedata
from functools import lru_cache
from pathlib import Path

from sqlite_utils import Database

from hub.catalog import store as catalog
from hub.learning import progress
from hub.core.text import fold_answer
from hub.core.i18n import pick_text

TYPES = ("single_choice", "multiple_choice", "numeric", "text")


class ExerciseError(Exception):
    """The exercise file is missing or unreadable, or the question does not exist."""


def parse_number(text) -> float | None:
    """A typed number in any script ('8', '8.5', '8,5', '٨', '८'), or None."""
    if isinstance(text, (int, float)) and not isinstance(text, bool):
        return float(text)
    if not isinstance(text, str):
        return None
    chars = []
    for ch in unicodedata.normalize("NFKC", text.strip()):
        digit = unicodedata.decimal(ch, None)
        chars.append(str(digit) if digit is not None else ch)
    cleaned = "".join(chars).replace("\u066b", ".").replace(",", ".").replace("\u2212", "-")
    if not re.fullmatch(r"[-+]?\d+(\.\d+)?|[-+]?\.\d+", cleaned):
        return None
    return float(cleaned)


@lru_cache(maxsize=64)
def _read(path: str, mtime_ns: int) -> dict:
    with open(path, encoding="utf-8") as handle:
        data = json.load(handle)
    if not isinstance(data, dict) or not isinstance(data.get("questions"), list):
        raise ExerciseError(f"{path}: not an exercise file")
    return data


def load(db: Database, resource: dict) -> dict:
    """The exercise JSON of a catalog resource (kind exercise), with the pack's languages."""
    pack = catalog.get_pack(db, resource["pack_id"], manifest=False)
    path = resource.get("path") or (pack and catalog.resource_file_path(pack["storage_dir"],
                                                                         resource["file"]))
    if pack is None or path is None:
        raise ExerciseError(f"{resource['pack_id']}/{resource['id']}: no exercise file")
    try:
        data = _read(str(path), Path(path).stat().st_mtime_ns)
    except (OSError, ValueError) as exc:
        raise ExerciseError(f"{path}: {exc}") from None
    return {**data, "languages": [resource.get("language")] + list(pack["languages"])}


def mastery_rule(db: Database, resource: dict | None) -> tuple[int, int]:
    """(correct, of) for a resource: the exercise's own rule, else the default 4 of 5."""
    if resource and resource.get("kind") == "exercise":
        try:
            rule = load(db, resource).get("mastery")
        except ExerciseError:
            rule = None
        if isinstance(rule, dict):
            return int(rule["correct"]), int(rule["of"])
    return progress.DEFAULT_MASTERY


def public_questions(exercise: dict, language: str) -> list[dict]:
    """Questions as a page may show them: prompt, choices and hints, never the answer."""
    langs = exercise.get("languages", [])
    return [{
        "id": q["id"], "type": q["type"], "prompt": pick_text(q["prompt"], language, langs),
        "choices": [{"id": c["id"], "text": pick_text(c["text"], language, langs)}
                    for c in q.get("choices", [])],
        "hints": [pick_text(h, language, langs) for h in q.get("hints", [])],
    } for q in exercise["questions"]]


def question(exercise: dict, question_id: str) -> dict:
    """One question by id, or ExerciseError."""
    for q in exercise["questions"]:
        if q["id"] == question_id:
            return q
    raise ExerciseError(f"{question_id}: no such question")


def is_correct(q: dict, given) -> bool:
    """Check an answer: `given` is a choice id, a list of ids, or the typed text/number."""
    kind, key = q["type"], q["answer"]
    if kind == "single_choice":
        return isinstance(given, str) and given == key
    if kind == "multiple_choice":
        return isinstance(given, (list, tuple)) and set(given) == set(key) \
            and len(set(given)) == len(given)
    if kind == "numeric":
        number = parse_number(given)
        return number is not None and abs(number - float(key)) <= float(q.get("tolerance", 0)) + 1e-9
    if kind == "text":
        accepted = key if isinstance(key, list) else [key]
        return isinstance(given, str) and fold_answer(given) in {fold_answer(str(a)) for a in accepted}
    raise ExerciseError(f"{q.get('id')}: unknown question type {kind!r}")


def feedback(q: dict, given, correct: bool, language: str, languages: list[str]) -> list[str]:
    """The notes to show: the picked choice's own note(s), then the correct/incorrect text."""
    notes = q.get("feedback", {})
    picked = given if isinstance(given, (list, tuple)) else [given]
    texts = [pick_text(notes[c], language, languages) for c in picked
             if isinstance(c, str) and c in notes and c not in ("correct", "incorrect")]
    general = notes.get("correct" if correct else "incorrect")
    if general:
        texts.append(pick_text(general, language, languages))
    return texts


def answer_data(q: dict, question_id: str, given) -> dict:
    """The event's data: the question, and the choice(s) picked (never typed text, which
    could say anything about a child); facilitators see which wrong answers are common."""
    data = {"question": question_id}
    if q["type"] == "single_choice" and isinstance(given, str):
        data["choice"] = given[:64]
    elif q["type"] == "multiple_choice" and isinstance(given, (list, tuple)):
        data["choice"] = ",".join(sorted(str(c)[:64] for c in given))[:256]
    return data

