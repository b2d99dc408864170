"""POST /api/v1/answers: the hub's checker is the only way an exercise answer is recorded."""
from __future__ import annotations

import datetime as dt
import uuid

import pytest

from tests.learning.test_learners_support import PACK, count, event, install_test_pack, sign_up


@pytest.fixture
def pack(db, data_dir):
    install_test_pack(db, data_dir)


def answer(**fields):
    body = {"id": str(uuid.uuid4()), "resource": f"{PACK}/quiz", "question": "legs", "answer": "b",
            "timestamp": event()["timestamp"]}
    body.update(fields)
    return {k: v for k, v in body.items() if v is not ...}


def test_an_answer_is_checked_and_a_repeat_changes_nothing(client, db, pack):
    sign_up(client)
    body = answer(answer="a")
    first = client.post("/api/v1/answers", json=body).get_json()
    assert first == {"correct": False, "feedback": ["Six legs is an insect.",
                                                     "Not quite yet. Have another look."],
                     "mastered": False, "duplicate": False}
    again = client.post("/api/v1/answers", json=body).get_json()
    assert again["duplicate"] is True
    assert count(db, "SELECT attempts FROM progress") == 1
    for question, given in (("ten", ["a", "b"]), ("mangoes", "٩"), ("word", " Dix "), ("estimate", 81)):
        assert client.post("/api/v1/answers", json=answer(question=question, answer=given)).get_json()["correct"]


def test_five_forged_events_cannot_master_an_exercise(client, db, pack):
    sign_up(client)
    forged = [event("answered", resource=f"{PACK}/quiz", score=1) for _ in range(5)]
    response = client.post("/api/v1/events", json={"events": forged})
    assert response.status_code == 400
    assert {d["field"] for d in response.get_json()["details"]} == {"verb"}
    done = client.post("/api/v1/events", json={"events": [event("completed", resource=f"{PACK}/quiz")]})
    assert done.status_code == 400 and done.get_json()["details"][0]["field"] == "verb"
    assert count(db, "SELECT count(*) FROM events") == 0
    assert count(db, "SELECT count(*) FROM progress") == 0


BAD = {
    "no id": ({"id": ...}, "id"),
    "id not a uuid": ({"id": "one"}, "id"),
    "id a number": ({"id": 7}, "id"),
    "not an exercise": ({"resource": f"{PACK}/video"}, "resource"),
    "unknown resource": ({"resource": f"{PACK}/nope"}, "resource"),
    "resource not a pair": ({"resource": "quiz"}, "resource"),
    "unknown question": ({"question": "nope"}, "question"),
    "question a list": ({"question": ["legs"]}, "question"),
    "empty answer": ({"answer": "  "}, "answer"),
    "answer a boolean": ({"answer": True}, "answer"),
    "answer an object": ({"answer": {"a": 1}}, "answer"),
    "numeric answer not a number": ({"question": "mangoes", "answer": "many"}, "answer"),
    "multiple answer not a list": ({"question": "ten", "answer": "a"}, "answer"),
    "year one": ({"timestamp": "0001-01-01T00:21:01+10:51"}, "timestamp"),
    "no timestamp": ({"timestamp": ...}, "timestamp"),
    "sent_at not a date": ({"sent_at": "soon"}, "sent_at"),
    "learner not an id": ({"learner": "Asha"}, "learner"),
    "unknown field": ({"score": 1}, "score"),
}


@pytest.mark.parametrize("change, field", BAD.values(), ids=list(BAD))
def test_a_bad_answer_is_a_400_naming_the_field_and_stores_nothing(client, db, pack, change, field):
    response = client.post("/api/v1/answers", json=answer(**change))
    assert response.status_code == 400, response.get_json()
    assert response.get_json()["details"][0]["field"] == field
    assert count(db, "SELECT count(*) FROM events") == 0


def test_bodies_that_are_not_answers_are_400s(client, pack):
    for body in (b"[]", b"null", b"{", b"\xff"):
        response = client.post("/api/v1/answers", data=body, content_type="application/json")
        assert response.status_code == 400


def test_an_answer_kept_on_a_phone_counts_when_it_was_made(client, db, pack, clock_at):
    now = dt.datetime(2026, 3, 18, 10, 0, tzinfo=dt.timezone.utc)
    clock_at(now)
    sign_up(client)
    phone = now + dt.timedelta(days=30)  # the phone's clock is a month ahead
    made = (phone - dt.timedelta(days=6)).strftime("%Y-%m-%dT%H:%M:%SZ")
    body = answer(timestamp=made, sent_at=phone.strftime("%Y-%m-%dT%H:%M:%SZ"))
    assert client.post("/api/v1/answers", json=body).get_json()["correct"] is True
    (when,) = db.execute("SELECT client_ts FROM events").fetchone()
    assert when == (now - dt.timedelta(days=6)).strftime("%Y-%m-%dT%H:%M:%SZ")
