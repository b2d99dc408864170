"""Exercise files (kind "exercise"): the question-set schema of contract.md, checked strictly.

Unknown fields are refused so that a typo does not pass unseen; choices and answers must
agree; every learner-facing text is a string or a map {language tag: string}.
"""
from __future__ import annotations

import json

from hub.catalog.packs.errors import Problem
from hub.catalog.packs.manifest import check_id, check_text_map

MAX_EXERCISE_BYTES = 2 * 1024 * 1024
TYPES = ("single_choice", "multiple_choice", "numeric", "text")
CHOICE_TYPES = ("single_choice", "multiple_choice")
QUESTION_FIELDS = {"id", "type", "prompt", "choices", "answer", "tolerance", "hints", "feedback"}
TOP_FIELDS = {"questions", "mastery"}


def check_text(where: str, value) -> list[Problem]:
    """A learner-facing text: non-empty string, or a non-empty map {language tag: string}."""
    if isinstance(value, str):
        return [] if value.strip() else [Problem(where, "must not be empty")]
    if isinstance(value, dict) and value:
        return check_text_map(where, value)
    return [Problem(where, "must be text, or a map from language tag to text")]


def _is_number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _check_choices(where: str, q: dict) -> tuple[list[Problem], set]:
    choices = q.get("choices")
    if not isinstance(choices, list) or len(choices) < 2:
        return [Problem(f"{where}.choices", "must list at least two choices")], set()
    problems, ids = [], set()
    for i, choice in enumerate(choices):
        here = f"{where}.choices[{i}]"
        if not isinstance(choice, dict):
            problems.append(Problem(here, "must be an object with id and text"))
            continue
        problems += [Problem(f"{here}.{k}", "is not a known field (check the spelling)")
                     for k in choice if k not in ("id", "text")]
        problems += check_id(f"{here}.id", choice.get("id"), ids, "choice")
        problems += check_text(f"{here}.text", choice.get("text"))
    return problems, ids


def _check_answer(where: str, kind: str, answer, choice_ids: set) -> list[Problem]:
    here = f"{where}.answer"
    if kind == "single_choice":
        if not isinstance(answer, str):
            return [Problem(here, "must be the id of one choice")]
        return [] if answer in choice_ids or not choice_ids else [Problem(here, f"{answer} is not one of the choices")]
    if kind == "multiple_choice":
        if not isinstance(answer, list) or not answer or not all(isinstance(a, str) for a in answer):
            return [Problem(here, "must be a non-empty list of choice ids")]
        if len(set(answer)) != len(answer):
            return [Problem(here, "lists a choice twice")]
        wrong = [a for a in answer if choice_ids and a not in choice_ids]
        return [Problem(here, f"{', '.join(wrong)} is not one of the choices")] if wrong else []
    if kind == "numeric":
        return [] if _is_number(answer) else [Problem(here, "must be a number")]
    if isinstance(answer, str):
        return [] if answer.strip() else [Problem(here, "must not be empty")]
    if isinstance(answer, list) and answer and all(isinstance(a, str) and a.strip() for a in answer):
        return []
    return [Problem(here, "must be text or a non-empty list of accepted texts")]


def _check_question(where: str, q, seen: set) -> list[Problem]:
    if not isinstance(q, dict):
        return [Problem(where, "must be an object")]
    problems = [Problem(f"{where}.{k}", "is not a known field (check the spelling)")
                for k in q if k not in QUESTION_FIELDS]
    problems += [Problem(f"{where}.{k}", "is required") for k in ("id", "type", "prompt", "answer")
                 if k not in q]
    if "id" in q:
        problems += check_id(f"{where}.id", q["id"], seen, "question")
    kind = q.get("type")
    if "type" in q and kind not in TYPES:
        problems.append(Problem(f"{where}.type", f"{kind!r} is not a question type ({', '.join(TYPES)})"))
        return problems
    if "prompt" in q:
        problems += check_text(f"{where}.prompt", q["prompt"])
    choice_ids: set = set()
    if kind in CHOICE_TYPES:
        found, choice_ids = _check_choices(where, q)
        problems += found
    elif "choices" in q:
        problems.append(Problem(f"{where}.choices", f"only choice questions have choices, not {kind}"))
    if "answer" in q and kind:
        problems += _check_answer(where, kind, q["answer"], choice_ids)
    if "tolerance" in q:
        if kind != "numeric":
            problems.append(Problem(f"{where}.tolerance", "only numeric questions have a tolerance"))
        elif not _is_number(q["tolerance"]) or q["tolerance"] < 0:
            problems.append(Problem(f"{where}.tolerance", "must be a number, 0 or more"))
    if "hints" in q:
        if not isinstance(q["hints"], list):
            problems.append(Problem(f"{where}.hints", "must be a list of texts"))
        else:
            for i, hint in enumerate(q["hints"]):
                problems += check_text(f"{where}.hints[{i}]", hint)
    if "feedback" in q:
        feedback = q["feedback"]
        if not isinstance(feedback, dict):
            problems.append(Problem(f"{where}.feedback", "must be a map of texts"))
        else:
            for key, text in feedback.items():
                if key not in ("correct", "incorrect") and key not in choice_ids:
                    problems.append(Problem(f"{where}.feedback.{key}",
                                            "must be correct, incorrect or the id of a choice"))
                else:
                    problems += check_text(f"{where}.feedback.{key}", text)
    return problems


def check(data, where: str) -> list[Problem]:
    """Every problem of a decoded exercise file; `where` names it (e.g. 'exercises/q.json'; places inside it follow a #)."""
    if not isinstance(data, dict):
        return [Problem(where, "must be a JSON object with questions")]
    problems = [Problem(f"{where}#{k}", "is not a known field (check the spelling)")
                for k in data if k not in TOP_FIELDS]
    questions = data.get("questions")
    if not isinstance(questions, list) or not questions:
        problems.append(Problem(f"{where}#questions", "must be a non-empty list"))
        questions = []
    seen: set = set()
    for i, q in enumerate(questions):
        problems += _check_question(f"{where}#questions[{i}]", q, seen)
    if "mastery" in data:
        mastery = data["mastery"]
        ok = (isinstance(mastery, dict) and set(mastery) == {"correct", "of"}
              and all(isinstance(mastery[k], int) and not isinstance(mastery[k], bool) for k in mastery)
              and 1 <= mastery["correct"] <= mastery["of"])
        if not ok:
            problems.append(Problem(f"{where}#mastery", "must be {\"correct\": N, \"of\": M} with 1 <= N <= M"))
    return problems


def parse_and_check(raw: bytes, where: str) -> list[Problem]:
    """Decode an exercise file's bytes and check it."""
    if len(raw) > MAX_EXERCISE_BYTES:
        return [Problem(where, f"is larger than {MAX_EXERCISE_BYTES} bytes")]
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        return [Problem(where, f"is not valid JSON ({exc})")]
    return check(data, where)
