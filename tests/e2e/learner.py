"""What the learner browser tests share: modes, signing up, the hub's database, exercise answers."""
from __future__ import annotations

import itertools
import json
import sqlite3
from contextlib import closing

from hub.core.db import db_path
from tests.e2e.conftest import ROOT

# Each learner flow runs on a phone and a desktop, with JavaScript and without it.
MODES = ["phone", "desktop", "phone-nojs", "desktop-nojs"]
_names = itertools.count(1)


def context_for(new_context, mode: str, locale: str = "en"):
    """A browser context for one mode ('phone', 'desktop-nojs', ...)."""
    viewport, _, nojs = mode.partition("-")
    return new_context(viewport=viewport, locale=locale, js=not nojs)


def query(hub, sql: str, params=()) -> list[tuple]:
    """Read the running hub's database (read-only), as a person checking the records would."""
    uri = f"file:{db_path(hub.data_dir)}?mode=ro"
    with closing(sqlite3.connect(uri, uri=True, timeout=10)) as conn:
        return conn.execute(sql, params).fetchall()


def stored_position(hub, page, learner: dict, resource_id: str) -> float | None:
    """The resume position the hub keeps for this learner and resource, once it has arrived."""
    for _ in range(50):  # the last event may still be on its way: look again, briefly
        rows = query(hub, "SELECT position_s FROM progress WHERE actor = ? AND resource_id = ?",
                     [learner["actor"], resource_id])
        if rows and rows[0][0]:
            return rows[0][0]
        page.wait_for_timeout(100)
    return None


def needs_packs(hub) -> None:
    """The bundled packs were installed when the hub started."""
    assert query(hub, "SELECT count(*) FROM packs")[0][0], "the hub did not install the bundled packs"


def open_resource(page, pack_id: str, resource_id: str):
    """Open a resource's learner page (it must answer 200)."""
    response = page.goto(f"/packs/{pack_id}/{resource_id}")
    assert response.status == 200, f"/packs/{pack_id}/{resource_id} answered {response.status}"
    return response


def sign_up(hub, page, name: str | None = None, language: str = "en") -> dict:
    """Make a learner profile through the sign-up form; return its database row."""
    name = name or f"Asha {next(_names)}"
    page.goto("/signup")
    page.fill("#name", name)
    page.select_option("#language", language)
    page.click("main form button[type=submit]")
    page.wait_for_load_state()
    assert name in page.locator("main").inner_text(), "the welcome message names the learner"
    rows = query(hub, "SELECT actor, language FROM learners WHERE name = ?", [name])
    assert rows, f"no learner called {name} in the database"
    return {"name": name, "actor": rows[0][0], "language": rows[0][1]}


def exercise_question(pack_id: str, resource_id: str):
    """The first single-choice or numeric question of a bundled exercise: (id, right, wrong)."""
    pack = json.loads((ROOT / "content_packs" / pack_id / "pack.json").read_text("utf-8"))
    resource = next(r for r in pack["resources"] if r["id"] == resource_id)
    exercise = json.loads((ROOT / "content_packs" / pack_id / resource["file"]).read_text("utf-8"))
    for q in exercise["questions"]:
        if q["type"] == "single_choice":
            wrong = next(c["id"] for c in q["choices"] if c["id"] != q["answer"])
            return q, q["answer"], wrong
        if q["type"] == "numeric":
            return q, str(q["answer"]), str(q["answer"] + 1000)
    raise AssertionError(f"{resource_id} has no single-choice or numeric question")


def answer(page, question: dict, value: str) -> None:
    """Answer one question in its form on the page and send it."""
    form = page.locator("form:has(input[name=answer])").first
    if question["type"] == "single_choice":
        form.locator(f"input[name=answer][value='{value}']").check()
    else:
        form.locator("input[name=answer]").fill(value)
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()
