"""Property-based tests (hypothesis) for the validators that take input from the network.

Events (hub.learning.activity.parse_batch), reports (sync.report.validate) and the central's intake
(sync.central.receive.receive): for ANY input the answer is the module's own refusal, never
another exception, and a refused input changes nothing. Language negotiation has its own
properties in tests/core/test_i18n_properties.py.
"""
from __future__ import annotations

import copy
import datetime as dt
import gzip
import json
import uuid

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hub.learning import activity
from hub.core.db import open_hub_db
from sync import client, report
from sync.central.receive import receive
from sync.central.store import Store
from tests.helpers import fuzz_budget
from tests.learning.test_learners_support import PACK, install_test_pack

FAST = settings(max_examples=fuzz_budget(150), deadline=None,
                suppress_health_check=[HealthCheck.too_slow])

# Any JSON value, including what Python's json module also reads (NaN, huge numbers).
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=30),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4),
    max_leaves=20)

FIELDS = sorted(activity.FIELDS)
RESOURCES = [f"{PACK}/video", f"{PACK}/quiz", f"{PACK}/nope", "a/b/c", "/", "x", ""]


@pytest.fixture(scope="module")
def events_db(tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("hostile-events")
    db = open_hub_db(data_dir)
    install_test_pack(db, data_dir)
    yield db
    db.conn.close()


def instants():
    """Moments as a client might write them: real ones, any zone, the edges of the calendar."""
    zones = st.one_of(st.none(), st.timedeltas(min_value=dt.timedelta(hours=-23, minutes=-59),
                                               max_value=dt.timedelta(hours=23, minutes=59)).map(dt.timezone))
    return st.one_of(st.datetimes(timezones=zones).map(lambda d: d.isoformat()),
                     st.sampled_from(["0001-01-01T00:21:01+10:51", "9999-12-31T23:59:59-10:00",
                                      "1970-01-01T00:00:00Z", "2026-03-18T10:00:00Z"]))


def near_events():
    """Events that are almost right: every known field, each a plausible or hostile value."""
    value = {
        "id": st.one_of(st.uuids().map(str), st.text(max_size=40), json_values),
        "resource": st.one_of(st.sampled_from(RESOURCES), json_values),
        "verb": st.one_of(st.sampled_from(list(activity.EVENT_TYPES) + ["deleted", ""]), json_values),
        "progress": st.one_of(st.floats(), st.integers(-2, 2), json_values),
        "score": st.one_of(st.floats(), st.integers(-2, 2), json_values),
        "duration_s": st.one_of(st.floats(), st.integers(), json_values),
        "timestamp": st.one_of(instants(), st.text(max_size=30), json_values),
        "data": st.one_of(st.fixed_dictionaries({}, optional={"mood": json_values, "position_s": json_values}),
                          json_values),
    }
    return st.fixed_dictionaries({}, optional=value) | st.dictionaries(st.text(max_size=8), json_values,
                                                                          max_size=4)


def count(db) -> int:
    return db.execute("SELECT count(*) FROM events").fetchone()[0]


@FAST
@given(payload=st.one_of(json_values, st.fixed_dictionaries(
    {"events": st.lists(near_events(), max_size=6)},
    optional={"sent_at": st.one_of(instants(), json_values), "learner": json_values})))
def test_any_event_batch_is_taken_whole_or_refused_whole(events_db, payload):
    before = count(events_db)
    try:
        events = activity.parse_batch(events_db, payload)
    except activity.BatchRefused as refused:
        assert refused.status in (400, 413) and refused.error
        assert refused.details and all(set(d) == {"index", "field", "message"} for d in refused.details)
        assert count(events_db) == before  # a refused batch changes nothing
        return
    recorded = activity.record(events_db, "A" + uuid.uuid4().hex[:12], events)
    assert recorded.accepted + recorded.duplicates == len(events)
    assert count(events_db) == before + recorded.accepted


@FAST
@given(ids=st.lists(st.uuids().map(str), min_size=1, max_size=5), repeat=st.booleans())
def test_repeated_event_ids_are_duplicates_never_second_events(events_db, ids, repeat):
    stamp = dt.datetime.now(dt.timezone.utc).isoformat()
    payload = {"events": [{"id": i, "resource": f"{PACK}/video", "verb": "progressed",
                           "timestamp": stamp} for i in ids + (ids if repeat else [])]}
    actor = "A" + uuid.uuid4().hex[:12]
    new = {i for i in ids if not events_db.execute("SELECT 1 FROM events WHERE id = ?", [i]).fetchone()}
    first = activity.record(events_db, actor, activity.parse_batch(events_db, payload))
    again = activity.record(events_db, actor, activity.parse_batch(events_db, payload))
    assert first.accepted == len(new) and again.accepted == 0
    assert again.duplicates == len(payload["events"])


def valid_report(hub_id="hub-h") -> dict:
    return {"schema": "hub-report/1", "hub_id": hub_id, "report_id": "daily-2024-05-10", "revision": 1,
            "period": {"start": "2024-05-10", "end": "2024-05-10"}, "generated_at": "2024-05-11T00:00:00Z",
            "k_threshold": 5,
            "metrics": [{"name": "active_learners", "value": 7, "suppressed": False, "dims": {}},
                        {"name": "checkins", "value": None, "suppressed": True, "dims": {"mood": 3}}]}


def test_the_valid_report_used_below_is_valid():
    assert report.validate(valid_report()) == []


@st.composite
def mutated_reports(draw):
    """A valid report with one field (at any depth) replaced by any JSON value or removed."""
    data = valid_report()
    paths = [("schema",), ("hub_id",), ("report_id",), ("revision",), ("period",), ("period", "start"),
             ("period", "end"), ("generated_at",), ("k_threshold",), ("metrics",), ("metrics", 0),
             ("metrics", 0, "name"), ("metrics", 0, "value"), ("metrics", 0, "dims"), ("metrics", 1, "suppressed"),
             ("metrics", 1, "dims"), ("extra",)]
    for _ in range(draw(st.integers(1, 3))):
        path = draw(st.sampled_from(paths))
        parent = data
        try:
            for key in path[:-1]:
                parent = parent[key]
            if draw(st.booleans()) and isinstance(parent, dict):
                parent.pop(path[-1], None)
            else:
                parent[path[-1]] = draw(json_values)
        except (KeyError, IndexError, TypeError):
            pass  # an earlier mutation removed the parent
    return data


@FAST
@given(data=st.one_of(json_values, mutated_reports()))
def test_any_report_gets_a_list_of_problems_never_an_exception(data):
    problems = report.validate(copy.deepcopy(data))
    assert isinstance(problems, list) and len(problems) <= 50
    assert all(set(p) == {"field", "message"} for p in problems)


@pytest.fixture(scope="module")
def central_store(tmp_path_factory):
    store = Store(tmp_path_factory.mktemp("hostile-central"))
    store.add_hub("hub-h", "s" * 40, "2024-01-01T00:00:00Z")
    yield store
    store.close()


def stored_rows(store) -> int:
    return len(store.rows())


@FAST
@given(data=st.one_of(json_values, mutated_reports()), zipped=st.booleans(),
       raw=st.one_of(st.none(), st.binary(max_size=200)))
def test_the_central_answers_any_signed_body_with_a_status_never_a_crash(central_store, data, zipped, raw):
    body = raw if raw is not None else json.dumps(data).encode()
    if zipped:
        body = gzip.compress(body)
    before = stored_rows(central_store)
    status, answer = receive(central_store, "hub-h", client.sign("s" * 40, body), body,
                             "gzip" if zipped else "")
    assert status in (200, 400), answer
    if status == 400:
        assert answer["error"] and stored_rows(central_store) == before
    else:
        assert answer["status"] in client.ANSWERS


@FAST
@given(body=st.binary(max_size=300), signature=st.one_of(st.none(), st.text(max_size=80)),
       hub_id=st.one_of(st.none(), st.text(max_size=20)))
def test_unsigned_or_unknown_bodies_are_401_and_store_nothing(central_store, body, signature, hub_id):
    before = stored_rows(central_store)
    status, answer = receive(central_store, hub_id, signature, body)
    if hub_id == "hub-h" and signature == client.sign("s" * 40, body):
        return  # hypothesis will not forge an HMAC, but stay honest if it did
    assert status == 401 and "error" in answer and stored_rows(central_store) == before


def test_an_event_whose_verb_is_a_list_is_a_400_not_a_500(client):
    """Found by the property above: a list as verb crashed the validator (unhashable)."""
    response = client.post("/api/v1/events", json={"events": [{
        "id": str(uuid.uuid4()), "verb": [], "resource": f"{PACK}/video",
        "timestamp": "2024-05-02T10:00:00Z"}]})
    assert response.status_code == 400
    assert response.get_json()["details"][0]["field"] == "verb"
