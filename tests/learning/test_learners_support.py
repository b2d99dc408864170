"""Shared helpers for the learner/activity tests: a small installed pack, events, sign-in."""
from __future__ import annotations

import datetime as dt
import json
import uuid
from pathlib import Path

from tests.helpers import csrf_from

PACK = "org.test.learn"
QUIZ = {
    "questions": [
        {"id": "legs", "type": "single_choice",
         "prompt": {"en": "How many legs has a spider?", "sw": "Buibui ana miguu mingapi?"},
         "choices": [{"id": "a", "text": "6"}, {"id": "b", "text": "8"}],
         "answer": "b", "hints": [{"en": "Count them in pairs.", "sw": "Hesabu kwa jozi."}],
         "feedback": {"correct": {"en": "Yes, well done!", "sw": "Ndiyo, hongera!"},
                      "incorrect": {"en": "Not quite yet. Have another look.", "sw": "Bado kidogo."},
                      "a": {"en": "Six legs is an insect.", "sw": "Miguu sita ni mdudu."}}},
        {"id": "ten", "type": "multiple_choice",
         "prompt": {"en": "Which make 10?", "sw": "Zipi zinafanya 10?"},
         "choices": [{"id": "a", "text": "6 + 4"}, {"id": "b", "text": "5 + 5"},
                     {"id": "c", "text": "7 + 2"}],
         "answer": ["a", "b"]},
        {"id": "mangoes", "type": "numeric", "prompt": "5 + 4 = ?", "answer": 9},
        {"id": "estimate", "type": "numeric", "prompt": "About how many beans?", "answer": 80,
         "tolerance": 2},
        {"id": "word", "type": "text", "prompt": {"en": "Write 10 in words", "fr": "Écris 10"},
         "answer": ["ten", "dix", "élève"]},
    ],
    "mastery": {"correct": 2, "of": 3},
}
PLAIN_QUIZ = {"questions": [{"id": "one", "type": "numeric", "prompt": "1 + 1", "answer": 2}]}


def install_test_pack(db, data_dir) -> None:
    """Put a pack with an exercise, a plain exercise, a video and an article into the catalog."""
    root = Path(data_dir) / "packs" / PACK
    (root / "exercises").mkdir(parents=True, exist_ok=True)
    (root / "exercises" / "quiz.json").write_text(json.dumps(QUIZ), encoding="utf-8")
    (root / "exercises" / "plain.json").write_text(json.dumps(PLAIN_QUIZ), encoding="utf-8")
    db.execute("INSERT INTO packs (id, version, title, languages, storage_dir, installed_at, "
               "manifest) VALUES (?, '1.0.0', ?, ?, ?, '2024-01-01T00:00:00Z', '{}')",
               [PACK, json.dumps({"en": "Test pack", "sw": "Pakiti"}), json.dumps(["en", "sw", "fr"]),
                str(root)])
    for position, (rid, kind, file, title) in enumerate([
            ("quiz", "exercise", "exercises/quiz.json", "Spider quiz"),
            ("plain", "exercise", "exercises/plain.json", "Plain quiz"),
            ("video", "video", "video/v.webm", "A short film"),
            ("story", "article", "articles/story.md", "A story"),
            ("story2", "article", "articles/story2.md", "Another story")]):
        db.execute("INSERT INTO resources (pack_id, id, kind, language, group_id, title, file, "
                   "sha256, size, position) VALUES (?, ?, ?, 'en', ?, ?, ?, '0', 1, ?)",
                   [PACK, rid, kind, rid, title, file, position])


def event(verb="progressed", resource=f"{PACK}/video", **fields) -> dict:
    """A valid event dict for the API (fields override)."""
    body = {"id": str(uuid.uuid4()), "resource": resource, "verb": verb,
            "timestamp": dt.datetime.now(dt.timezone.utc).isoformat().replace("+00:00", "Z"),
            "duration_s": 10, "data": {}}
    if verb == "answered":
        body["score"] = 1
    if verb == "checked_in":
        body.pop("resource")
        body["data"] = {"mood": 4}
    body.update(fields)
    return {k: v for k, v in body.items() if v is not ...}


def sign_up(client, name="Asha", **extra) -> dict:
    """Self sign-up through the API; the client is then signed in."""
    response = client.post("/api/v1/learners", json={"name": name, **extra})
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def form(client, url, data=None, **kwargs):
    """A plain HTML form post with this client's CSRF token."""
    return client.post(url, data={"csrf_token": csrf_from(client), **(data or {})}, **kwargs)


def count(db, sql, params=()) -> int:
    """The first column of the first row of a query."""
    return db.execute(sql, list(params)).fetchone()[0]


def as_signed_in(session, learner: dict) -> None:
    """Write into a Flask session what signing in as `learner` writes (for tests that build one)."""
    session["learner_id"], session["learner_actor"] = learner["id"], learner["actor"]
    session["learner_key"] = learner["session_key"]
