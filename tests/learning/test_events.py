"""POST /api/v1/events: every validation rule, limits, duplicates, atomicity, time, progress."""
from __future__ import annotations

import datetime as dt
import json
import uuid

import pytest

from hub.core import clock
from hub.learning import activity
from tests.learning.test_learners_support import PACK, count, event, install_test_pack, sign_up


@pytest.fixture
def pack(db, data_dir):
    install_test_pack(db, data_dir)


def post(client, events):
    return client.post("/api/v1/events", json={"events": events})


def test_the_verbs_are_typed_events_with_stable_names():
    assert list(activity.EVENT_TYPES) == ["started", "progressed", "completed", "answered", "checked_in"]
    assert activity.EVENT_TYPES["answered"] is activity.Answered


def test_a_valid_batch_is_stored_and_counted(client, db, pack):
    response = post(client, [event("started"), event("progressed"), event("completed")])
    assert response.status_code == 200
    assert response.get_json() == {"accepted": 3, "duplicates": 0}
    assert count(db, "SELECT count(*) FROM events") == 3


FIELD_RULES = {
    "id missing": ({"id": ...}, "id"),
    "id not a uuid": ({"id": "not-a-uuid"}, "id"),
    "id not text": ({"id": 12345}, "id"),
    "verb missing": ({"verb": ...}, "verb"),
    "verb unknown": ({"verb": "liked"}, "verb"),
    "resource missing": ({"resource": ...}, "resource"),
    "resource without a slash": ({"resource": "just-one-part"}, "resource"),
    "resource with an empty part": ({"resource": f"{PACK}/"}, "resource"),
    "resource not on this hub": ({"resource": f"{PACK}/nothing-here"}, "resource"),
    "pack not on this hub": ({"resource": "org.other/video"}, "resource"),
    "timestamp missing": ({"timestamp": ...}, "timestamp"),
    "timestamp not a date": ({"timestamp": "yesterday"}, "timestamp"),
    "timestamp without zone": ({"timestamp": "2024-05-02T10:00:00"}, "timestamp"),
    "progress above 1": ({"progress": 1.5}, "progress"),
    "progress below 0": ({"progress": -0.1}, "progress"),
    "progress not a number": ({"progress": "half"}, "progress"),
    "progress a boolean": ({"progress": True}, "progress"),
    "score above 1": ({"score": 2}, "score"),
    "score below 0": ({"score": -0.5}, "score"),
    "score not a number": ({"score": "1"}, "score"),
    "progress not finite": ({"progress": float("nan")}, "progress"),
    "timestamp not text": ({"timestamp": 1714644000}, "timestamp"),
    "resource not text": ({"resource": [PACK, "video"]}, "resource"),
    "duration a boolean": ({"duration_s": True}, "duration_s"),
    "duration negative": ({"duration_s": -5}, "duration_s"),
    "duration over a day": ({"duration_s": 86401}, "duration_s"),
    "duration not a number": ({"duration_s": "10"}, "duration_s"),
    "data not an object": ({"data": [1, 2]}, "data"),
    "position negative": ({"data": {"position_s": -1}}, "data.position_s"),
    "unknown field": ({"learner": 7}, "learner"),
}


@pytest.mark.parametrize("change, field", FIELD_RULES.values(), ids=list(FIELD_RULES))
def test_each_field_rule_refuses_the_batch_with_index_and_field(client, db, pack, change, field):
    response = post(client, [event(), event(**change)])
    assert response.status_code == 400
    body = response.get_json()
    assert body["error"]
    assert {"index": 1, "field": field} in [{"index": d["index"], "field": d["field"]}
                                           for d in body["details"]]
    assert all(d["message"] for d in body["details"])
    assert count(db, "SELECT count(*) FROM events") == 0


VERB_RULES = {
    "an answer posted as an event": ("answered", {"resource": f"{PACK}/quiz"}, "verb"),
    "an exercise completed by a client": ("completed", {"resource": f"{PACK}/quiz"}, "verb"),
    "check-in without mood": ("checked_in", {"data": {}}, "data.mood"),
    "mood above 5": ("checked_in", {"data": {"mood": 6}}, "data.mood"),
    "mood below 1": ("checked_in", {"data": {"mood": 0}}, "data.mood"),
    "mood not whole": ("checked_in", {"data": {"mood": 3.5}}, "data.mood"),
    "mood a boolean": ("checked_in", {"data": {"mood": True}}, "data.mood"),
}


@pytest.mark.parametrize("verb, change, field", VERB_RULES.values(), ids=list(VERB_RULES))
def test_each_verb_rule_refuses_the_batch(client, db, pack, verb, change, field):
    response = post(client, [event(verb, **change)])
    assert response.status_code == 400
    assert [d["field"] for d in response.get_json()["details"]] == [field]
    assert count(db, "SELECT count(*) FROM events") == 0


def test_an_event_that_is_not_an_object_is_refused_with_its_index(client, db, pack):
    response = post(client, [event(), "started"])
    assert response.status_code == 400
    assert response.get_json()["details"] == [
        {"index": 1, "field": "event", "message": "must be a JSON object"}]
    assert count(db, "SELECT count(*) FROM events") == 0


def test_a_check_in_needs_no_resource(client, db, pack):
    sign_up(client)
    assert post(client, [event("checked_in")]).get_json() == {"accepted": 1, "duplicates": 0}
    assert json.loads(db.execute("SELECT data FROM events").fetchone()[0]) == {"mood": 4}


@pytest.mark.parametrize("body", [None, "text", [1], {"events": "x"}, {"events": {}}],
                         ids=["null", "string", "list", "events text", "events object"])
def test_a_body_that_is_not_a_batch_is_refused(client, pack, body):
    response = client.post("/api/v1/events", data=json.dumps(body), content_type="application/json")
    assert response.status_code == 400
    assert response.get_json()["details"][0]["field"] == "events"


def test_invalid_json_is_refused(client, pack):
    response = client.post("/api/v1/events", data=b"{not json", content_type="application/json")
    assert response.status_code == 400 and response.get_json()["details"][0]["field"] == "body"


def test_an_empty_batch_and_unknown_batch_fields_are_refused(client, pack):
    assert post(client, []).status_code == 400
    response = client.post("/api/v1/events", json={"events": [event()], "actor": "L1"})
    assert response.status_code == 400
    assert response.get_json()["details"][0]["field"] == "actor"


def test_a_batch_longer_than_the_limit_is_413(client, db, pack):
    response = post(client, [event() for _ in range(activity.MAX_BATCH + 1)])
    assert response.status_code == 413
    assert count(db, "SELECT count(*) FROM events") == 0
    assert post(client, [event() for _ in range(activity.MAX_BATCH)]).status_code == 200


def test_an_event_larger_than_the_limit_is_413(client, db, pack):
    response = post(client, [event(), event(data={"note": "x" * activity.MAX_EVENT_BYTES})])
    assert response.status_code == 413
    assert response.get_json()["details"][0]["index"] == 1
    assert count(db, "SELECT count(*) FROM events") == 0


def test_a_body_larger_than_the_limit_is_413(client, db, pack):
    body = b'{"events": [' + b" " * activity.MAX_BODY_BYTES + b"]}"
    response = client.post("/api/v1/events", data=body, content_type="application/json")
    assert response.status_code == 413


def test_a_batch_is_refused_whole_when_one_event_is_bad(client, db, pack):
    good = [event("started"), event("progressed", progress=0.5), event("completed")]
    response = post(client, good + [event(verb="danced")])
    assert response.status_code == 400
    assert [d["index"] for d in response.get_json()["details"]] == [3]
    assert count(db, "SELECT count(*) FROM events") == 0
    assert count(db, "SELECT count(*) FROM progress") == 0
    assert post(client, good).get_json() == {"accepted": 3, "duplicates": 0}


def test_a_repeated_batch_is_counted_as_duplicates_and_stored_once(client, db, pack):
    batch = [event(duration_s=30), event(duration_s=30)]
    assert post(client, batch).get_json() == {"accepted": 2, "duplicates": 0}
    assert post(client, batch).get_json() == {"accepted": 0, "duplicates": 2}
    assert count(db, "SELECT count(*) FROM events") == 2
    assert count(db, "SELECT time_spent_s FROM progress") == 60


def test_a_repeated_id_within_one_batch_is_a_duplicate(client, db, pack):
    one = event(duration_s=30)
    assert post(client, [one, one]).get_json() == {"accepted": 1, "duplicates": 1}
    assert count(db, "SELECT time_spent_s FROM progress") == 30


def test_ids_are_kept_in_one_canonical_form(client, db, pack):
    one = event()
    assert post(client, [one]).status_code == 200
    assert post(client, [dict(one, id=one["id"].upper())]).get_json()["duplicates"] == 1


def _iso(moment):
    return moment.isoformat().replace("+00:00", "Z")


def test_receive_time_is_stored_and_a_far_off_client_clock_is_noted(client, db, pack):
    now = dt.datetime.now(dt.timezone.utc)
    ahead = event(timestamp=_iso(now + dt.timedelta(hours=3)))
    close = event(resource=f"{PACK}/story", timestamp=_iso(now - dt.timedelta(minutes=2)))
    assert post(client, [ahead, close]).status_code == 200
    rows = {r[0]: r[1:] for r in db.execute("SELECT id, client_ts, received_at, clock_skew_s FROM events")}
    client_ts, received, skew = rows[ahead["id"]]
    assert client_ts > received and skew == pytest.approx(3 * 3600, abs=60)
    assert rows[close["id"]][2] is None
    # Progress is dated by the hub's clock when the client's is far off.
    (updated,) = db.execute("SELECT updated_at FROM progress WHERE resource_id = 'video'").fetchone()
    assert updated == received


def test_anonymous_sessions_are_counted_apart_from_learners(app, db, pack):
    first, second = app.test_client(), app.test_client()
    post(first, [event()])
    post(first, [event()])
    post(second, [event()])
    actors = [r[0] for r in db.execute("SELECT DISTINCT actor FROM events WHERE anonymous = 1")]
    assert len(actors) == 2 and all(a.startswith("A") for a in actors)
    learner = sign_up(first)
    post(first, [event()])
    (actor,) = db.execute("SELECT actor FROM learners WHERE id = ?", [learner["id"]]).fetchone()
    assert count(db, "SELECT count(*) FROM events WHERE actor = ? AND anonymous = 0", [actor]) == 1


def test_progress_keeps_time_position_fraction_and_completion(client, db, pack):
    sign_up(client)
    post(client, [event("started", duration_s=0),
                  event(progress=0.4, duration_s=20, data={"position_s": 42.5}),
                  event(progress=0.2, duration_s=5, data={"position_s": 12})])
    row = db.execute("SELECT progress, time_spent_s, position_s, completed_at FROM progress").fetchone()
    assert row == (0.4, 25.0, 12.0, None)  # furthest fraction, latest position
    post(client, [event("completed", duration_s=5)])
    row = db.execute("SELECT progress, time_spent_s, completed_at FROM progress").fetchone()
    assert row[0] == 1.0 and row[1] == 30.0 and row[2]


def test_answers_through_the_answers_api_use_the_exercise_mastery_rule(client, db, pack):
    sign_up(client)

    def answer(given):
        body = {"id": str(uuid.uuid4()), "resource": f"{PACK}/quiz", "question": "legs",
                "answer": given, "timestamp": event()["timestamp"]}
        return client.post("/api/v1/answers", json=body).get_json()

    assert answer("b")["correct"] is True and answer("a")["correct"] is False
    row = db.execute("SELECT attempts, best_score, mastered_at FROM progress").fetchone()
    assert row == (2, 1.0, None)
    assert answer("b")["mastered"] is True  # 2 of the last 3: the quiz's rule
    row = db.execute("SELECT mastered_at, completed_at, recent_scores FROM progress").fetchone()
    assert row[0] and row[1] and json.loads(row[2]) == [1.0, 0.0, 1.0]


def test_a_cross_site_json_post_is_refused(client, db, pack):
    response = client.post("/api/v1/events", json={"events": [event()]},
                           headers={"Origin": "http://elsewhere.example"})
    assert response.status_code == 400
    assert count(db, "SELECT count(*) FROM events") == 0


def test_concurrent_batches_are_each_stored_whole_and_counted_right(app, db, data_dir, pack):
    import threading

    from hub.core.db import connect, db_path

    results, errors = [], []

    def writer(number):
        own = connect(db_path(data_dir))
        try:
            for _ in range(10):
                batch = [event(duration_s=1) for _ in range(5)]
                parsed = activity.parse_batch(own, {"events": batch + batch[:1]})
                results.append(activity.record(own, f"Lwriter{number}", parsed))
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)
        finally:
            own.conn.close()

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert [(r.accepted, r.duplicates) for r in results] == [(5, 1)] * 60
    assert count(db, "SELECT count(*) FROM events") == 300
    assert count(db, "SELECT sum(time_spent_s) FROM progress") == 300


def test_batches_for_two_databases_in_one_process_never_share_a_commit(tmp_path):
    """Group commit joins waiting batches on the leader's connection: only those of its own file."""
    import threading
    import time

    from hub.learning import activity_commit
    from hub.core.db import open_hub_db

    for name in ("one", "two"):
        (tmp_path / name).mkdir()
    first, second = open_hub_db(tmp_path / "one"), open_hub_db(tmp_path / "two")

    def check_in():
        return activity.CheckedIn(id=activity.new_id(), pack_id="", resource_id="",
                                  timestamp=clock.now(), data={"mood": 3})

    with activity_commit._cond:
        activity_commit._leading = True  # as if a commit were running: the next batch waits
    waiting = threading.Thread(target=activity.record, args=(second, "Lsecond", [check_in()]))
    waiting.start()
    deadline = time.monotonic() + 10
    while not activity_commit._queue and time.monotonic() < deadline:
        time.sleep(0.001)
    with activity_commit._cond:
        activity_commit._leading = False
    activity.record(first, "Lfirst", [check_in()])  # leads, with the other batch still queued
    waiting.join(10)
    assert [r[0] for r in first.execute("SELECT actor FROM events")] == ["Lfirst"]
    assert [r[0] for r in second.execute("SELECT actor FROM events")] == ["Lsecond"]
    first.conn.close()
    second.conn.close()


def test_a_late_batch_does_not_move_the_resume_point_back(client, db, pack):
    sign_up(client)
    now = dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
    at = lambda minutes: (now - dt.timedelta(minutes=minutes)).isoformat()  # noqa: E731
    post(client, [event(timestamp=at(1), data={"position_s": 120})])
    post(client, [event(timestamp=at(5), data={"position_s": 30}, duration_s=15)])  # sent late
    row = db.execute("SELECT position_s, time_spent_s FROM progress").fetchone()
    assert row == (120.0, 25.0)  # resume where the learner last was; the time still counts
