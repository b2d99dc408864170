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


# --- any body: an answer or a refusal, never a 500 ---------------------------------------

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from hub import create_app  # noqa: E402
from hub.core.db import open_hub_db  # noqa: E402
from tests.helpers import fuzz_budget  # noqa: E402

_json = st.recursive(st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
                     lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
                     max_leaves=10)


@pytest.fixture(scope="module")
def answers_client(tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("hostile-answers")
    app = create_app({"HUB_DATA_DIR": str(data_dir), "HUB_PACKS_SOURCE": str(data_dir / "none"),
                      "HUB_MDNS": False, "TESTING": True})
    db = open_hub_db(data_dir)
    install_test_pack(db, data_dir)
    db.conn.close()
    return app.test_client()


@settings(max_examples=fuzz_budget(120), deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(body=st.one_of(_json, st.fixed_dictionaries({}, optional={
    "id": st.one_of(st.uuids().map(str), _json),
    "resource": st.one_of(st.sampled_from([f"{PACK}/quiz", f"{PACK}/video", "a/b/c", "x"]), _json),
    "question": st.one_of(st.sampled_from(["legs", "ten", "mangoes", "word", "nope"]), _json),
    "answer": _json,
    "timestamp": st.one_of(st.datetimes(timezones=st.just(dt.timezone.utc)).map(lambda d: d.isoformat()),
                           st.sampled_from(["0001-01-01T00:21:01+10:51", "9999-12-31T23:59:59-10:00"]), _json),
    "sent_at": st.one_of(st.sampled_from(["0001-01-01T00:00:00+00:01", "2026-03-18T10:00:00Z"]), _json),
    "learner": _json})))
def test_any_answer_body_is_an_answer_or_a_refusal(answers_client, body):
    response = answers_client.post("/api/v1/answers", json=body)
    assert response.status_code in (200, 400, 409), response.get_data(as_text=True)[:300]
    if response.status_code != 200:
        assert response.get_json()["error"]
