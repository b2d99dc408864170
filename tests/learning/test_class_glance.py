"""Class at a glance (time moved through the hub's one clock) and roster import with cards."""
from __future__ import annotations

import datetime as dt
import io

import pytest

from hub.learning import answers
from hub.learning import activity, exercises, learners
from hub.learning import class_glance, roster
from tests.web.test_facilitator_support import _fresh_login_limits, make_account, post, sign_in  # noqa: F401
from tests.learning.test_learners_support import PACK, install_test_pack

MONDAY = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.timezone.utc)


@pytest.fixture
def clock(clock_at):
    """The hub's one clock, set by the test: clock.now = ...; clock.move(days=2)."""
    class Clock:
        def __init__(self):
            self.now = MONDAY

        def __setattr__(self, name, value):
            object.__setattr__(self, name, value)
            if name == "now":
                clock_at(value)

        def move(self, **delta):
            self.now = self.now + dt.timedelta(**delta)

    return Clock()


@pytest.fixture
def group(db, data_dir):
    install_test_pack(db, data_dir)
    made = learners.create_group(db, "Class 3")
    people = {}
    for name in ("Asha", "Baraka", "Chausiku"):
        people[name] = learners.create_learner(db, name)
        learners.add_to_group(db, made["id"], people[name]["id"])
    return {"id": made["id"], **people}


def _answer(db, learner, question, given):
    resource = activity.find_resource(db, PACK, "quiz")
    answers.answer(db, learner["actor"], resource, question, given, language="en")


def _names(entries):
    return [e["name"] if "name" in e else e["learner"]["name"] for e in entries]


def test_who_came_this_week_and_who_was_not_seen_for_n_days(db, group, clock):
    activity.record_one(db, group["Asha"]["actor"], "started", PACK, "story")
    clock.move(days=3)  # Thursday
    activity.record_one(db, group["Baraka"]["actor"], "started", PACK, "story")
    seen = class_glance.attendance(db, group["id"], "UTC", days=2)
    assert _names(seen["came"]) == ["Asha", "Baraka"]
    assert _names(seen["not_seen"]) == ["Chausiku", "Asha"]  # never seen first, then the longest ago
    clock.move(days=5)  # next Tuesday: a new week
    seen = class_glance.attendance(db, group["id"], "UTC", days=7)
    assert seen["came"] == []
    assert _names(seen["not_seen"]) == ["Chausiku", "Asha"]


def test_stuck_means_many_wrong_tries_on_one_question_or_a_resource_left_unfinished(db, group, clock):
    for _ in range(class_glance.STUCK_WRONG_TRIES):
        _answer(db, group["Asha"], "legs", "a")
    _answer(db, group["Baraka"], "legs", "a")
    _answer(db, group["Baraka"], "legs", "a")
    _answer(db, group["Baraka"], "legs", "a")
    _answer(db, group["Baraka"], "legs", "b")  # got there in the end: not stuck
    activity.record_one(db, group["Chausiku"]["actor"], "started", PACK, "video")
    stuck = class_glance.stuck(db, group["id"])
    assert [(e["learner"]["name"], e["reason"]) for e in stuck] == [("Asha", "wrong_tries")]
    assert stuck[0]["question"] == "legs" and stuck[0]["tries"] == 3
    clock.move(days=class_glance.ABANDONED_DAYS)
    stuck = class_glance.stuck(db, group["id"])
    assert ("Chausiku", "abandoned") in [(e["learner"]["name"], e["reason"]) for e in stuck]
    assert "Asha" not in _names(class_glance.stuck(db, group["id"], now=clock.now + dt.timedelta(days=40)))


def test_difficult_questions_name_the_wrong_answers_most_chosen(db, group, clock):
    _answer(db, group["Asha"], "legs", "a")
    _answer(db, group["Baraka"], "legs", "a")
    _answer(db, group["Baraka"], "ten", ["a", "c"])
    _answer(db, group["Chausiku"], "legs", "b")
    hard = class_glance.difficult(db, group["id"], "en")
    assert hard[0]["prompt"] == "How many legs has a spider?"
    assert (hard[0]["wrong"], hard[0]["tried"]) == (2, 3)
    assert hard[0]["answers"] == [("6", 2)]
    assert hard[1]["answers"] == [("6 + 4, 7 + 2", 1)]


def test_a_classs_events_are_found_by_the_index_on_the_time_they_count_at(db):
    # The index ends in event_time_sql()'s expression: if that expression changes, the index must
    # change with it, or class at a glance reads a year of events row by row again.
    from hub.learning import progress

    newest = f"SELECT max({progress.event_time_sql()}) FROM events WHERE actor = ? AND verb = ?"
    since = (f"SELECT pack_id FROM events e WHERE e.verb = 'answered' AND e.actor IN (?, ?) "
             f"AND {progress.event_time_sql('e')} >= ?")
    for query, params, searched in ((newest, ["L1", "answered"], "(actor=? AND verb=?)"),
                                    (since, ["L1", "L2", "2026-01-01"], "(actor=? AND verb=? AND <expr>>?)")):
        plan = " ".join(str(row) for row in db.execute("EXPLAIN QUERY PLAN " + query, params).fetchall())
        assert f"events_learner_verb_time {searched}" in plan, plan


def test_well_being_counts_are_suppressed_below_k(db, group, clock):
    moods = {"Asha": 5, "Baraka": 4, "Chausiku": 1}
    for name, mood in moods.items():
        activity.record_one(db, group[name]["actor"], "checked_in", data={"mood": mood})
    few = class_glance.checkins(db, group["id"], "UTC", k=5)
    assert few["too_few"] and few["bands"] == [] and few["total"] is None
    counts = class_glance.checkins(db, group["id"], "UTC", k=2)
    assert {b["band"]: b["count"] for b in counts["bands"]} == {"low": None, "okay": 0, "good": 2}
    assert counts["total"] is None  # a total would give the hidden band away
    assert class_glance.checkins(db, group["id"], "UTC", k=1)["total"] == 3
    clock.move(days=7)
    assert class_glance.checkins(db, group["id"], "UTC", k=1)["too_few"]


@pytest.fixture
def admin(client, db):
    make_account(db)
    sign_in(client)
    return client


def test_the_glance_page_shows_counts_never_one_childs_mood(admin, db, group, app):
    app.config["HUB_K_THRESHOLD"] = 2
    activity.record_one(db, group["Chausiku"]["actor"], "checked_in", data={"mood": 1})
    activity.record_one(db, group["Asha"]["actor"], "checked_in", data={"mood": 5})
    activity.record_one(db, group["Baraka"]["actor"], "checked_in", data={"mood": 5})
    page = admin.get(f"/facilitator/groups/{group['id']}/glance?days=3").get_data(as_text=True)
    assert "Class at a glance" in page and "Not seen for 3 days" in page
    assert "fewer than 2" in page and "Chausiku" not in page.split('id="moods"')[1]


def test_a_long_who_may_need_help_list_shows_its_first_entries_then_a_link_to_all(
        admin, db, group, clock, monkeypatch):
    monkeypatch.setattr(class_glance, "STUCK_SHOWN", 2)  # a big class in three children
    for name in ("Asha", "Baraka", "Chausiku"):
        for _ in range(class_glance.STUCK_WRONG_TRIES):
            _answer(db, group[name], "legs", "a")
    first = admin.get(f"/facilitator/groups/{group['id']}/glance?days=3").get_data(as_text=True)
    helped = first.split('id="stuck"')[1].split('id="difficult"')[0]
    assert "Asha" in helped and "Baraka" in helped and "Chausiku" not in helped
    assert "The first 2 of 3 are shown." in helped and "stuck=all" in helped and "days=3" in helped
    every = admin.get(f"/facilitator/groups/{group['id']}/glance?days=3&stuck=all").get_data(as_text=True)
    helped = every.split('id="stuck"')[1].split('id="difficult"')[0]
    assert "Chausiku" in helped and "are shown." not in helped


def test_a_roster_is_added_whole_or_not_at_all(db, group):
    with pytest.raises(roster.RosterError) as refused:
        roster.add_to_group(db, group["id"], "Neema, 1234\nJuma, 12\n\nAsha\nNeema")
    assert [(n, field) for n, field, _why in refused.value.problems] == [(2, "pin"), (4, "name"), (5, "name")]
    assert learners.list_learners(db, q="Neema") == []
    made = roster.add_to_group(db, group["id"], "name;pin\nNeema;1234\nJuma;\n")
    assert [(m["name"], m["pin"]) for m in made] == [("Neema", "1234"), ("Juma", None)]
    assert learners.check_pin(db, made[0]["id"], "1234")
    assert {"Neema", "Juma"} <= set(_names(learners.list_learners(db, group_id=group["id"])))


def test_roster_by_paste_or_csv_file_then_printable_cards(admin, db, group):
    response = post(admin, f"/facilitator/groups/{group['id']}/roster", {"names": "Zuri\nZuri"})
    assert response.status_code == 400 and "Line 2" in response.get_data(as_text=True)
    assert learners.list_learners(db, q="Zuri") == []
    response = post(admin, f"/facilitator/groups/{group['id']}/roster",
                    {"names": "", "file": (io.BytesIO(b"\xef\xbb\xbfname,pin\nZuri,4321\nPendo,\n"), "class.csv")},
                    content_type="multipart/form-data")
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "4321" in page and "Pendo" in page
    cards = admin.get(f"/facilitator/groups/{group['id']}/cards").get_data(as_text=True)
    assert "Zuri" in cards and "4321" not in cards
