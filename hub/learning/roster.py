"""Roster: add a whole group at once from a pasted list or a CSV file of names (optional PIN).

No Flask here. `parse` reads the text and checks every line; `add_to_group` writes only
when no line is wrong, all in one transaction. Lines look like `Name` or `Name, 1234`
(comma, semicolon or tab); a first line `name,pin` (any case, any language's header is
not guessed) is skipped as a header.
"""
from __future__ import annotations

import csv
import io

from sqlite_utils import Database

from hub.learning import learners

MAX_LINES = 200      # a big class, several times over
HEADER_NAMES = {"name", "names", "nom", "nombre", "nome", "jina", "नाम", "الاسم"}


class RosterError(ValueError):
    """Lines that cannot be added: `problems` is [(line number, field, why)] in English."""

    def __init__(self, problems: list[tuple[int, str, str]]):
        super().__init__("; ".join(f"line {n}: {field}: {why}" for n, field, why in problems))
        self.problems = problems


def _delimiter(text: str) -> str:
    sample = text[:4096]
    return max("\t;,", key=sample.count) if any(c in sample for c in "\t;,") else ","


def parse(db: Database, text: str) -> list[dict]:
    """[{line, name, pin}] from the text, or RosterError listing every bad line."""
    text = (text or "").lstrip("\ufeff")  # a spreadsheet's byte order mark
    rows = list(csv.reader(io.StringIO(text), delimiter=_delimiter(text)))
    found, problems, seen = [], [], {}
    for number, row in enumerate(rows, start=1):
        cells = [c.strip() for c in row]
        if not any(cells):
            continue
        if number == 1 and cells[0].casefold() in HEADER_NAMES:
            continue
        if len(cells) > 2 and any(cells[2:]):
            problems.append((number, "line", "has more than a name and a PIN"))
            continue
        name, pin = cells[0], (cells[1] if len(cells) > 1 else "") or None
        try:
            name = learners.clean_name(name)
        except learners.LearnerError as exc:
            problems.append((number, "name", str(exc).partition(": ")[2]))
            continue
        if pin is not None and not learners.PIN_RE.fullmatch(pin):
            problems.append((number, "pin", f"must be exactly {learners.PIN_LENGTH} digits"))
            continue
        key = name.casefold()
        if key in seen:
            problems.append((number, "name", f"is also on line {seen[key]}"))
            continue
        seen[key] = number
        if db.execute("SELECT 1 FROM learners WHERE name = ? COLLATE NOCASE", [name]).fetchone():
            problems.append((number, "name", "that name is taken already"))
            continue
        found.append({"line": number, "name": name, "pin": pin})
    if len(found) + len(problems) > MAX_LINES:
        problems.insert(0, (MAX_LINES + 1, "line", f"at most {MAX_LINES} names at once"))
    if not found and not problems:
        problems.append((1, "line", "no names"))
    if problems:
        raise RosterError(problems)
    return found


def add_to_group(db: Database, group_id: int, text: str) -> list[dict]:
    """Create every learner of the text and put them in the group, all or nothing.

    Returns [{id, name, avatar, pin}]: the PINs only now, for the sign-in cards (they are
    stored hashed and cannot be shown again).
    """
    wanted = parse(db, text)
    made = []
    with db.atomic():
        for entry in wanted:
            learner = learners.create_learner(db, entry["name"], pin=entry["pin"])
            learners.add_to_group(db, group_id, learner["id"])
            made.append({"id": learner["id"], "name": learner["name"],
                         "avatar": learner["avatar"], "pin": entry["pin"]})
    return made
