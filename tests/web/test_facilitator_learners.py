"""Learners and groups from the console: add, rename, PIN, groups, observations, removal."""
from __future__ import annotations

import csv
import datetime as dt
import io
import re

import pytest

from hub.core import clock
from hub.learning import activity
from hub.accounts import observations
from hub.learning import learners
from hub.learning import progress
from tests.eventfactory import EventFactory
from tests.web.test_facilitator_support import (_fresh_login_limits, make_account, post,  # noqa: F401
                                            sign_in)


def _id(learner):
    return learner["id"] if isinstance(learner, dict) else learner


@pytest.fixture
def admin(client, db):
    make_account(db)
    sign_in(client)
    return client


def test_add_rename_and_find_a_learner(admin, db):
    assert post(admin, "/facilitator/learners", {"name": "Zawadi"}).status_code == 302
    (learner,) = learners.list_learners(db)
    assert learner["name"] == "Zawadi"
    page = admin.get("/facilitator/learners?q=zaw").get_data(as_text=True)
    assert "Zawadi" in page
    post(admin, f"/facilitator/learners/{learner['id']}/rename", {"name": "Zawadi M."})
    assert learners.get_learner(db, learner["id"])["name"] == "Zawadi M."
    assert admin.get(f"/facilitator/learners/{learner['id']}").status_code == 200


def test_groups_with_members_and_their_csv(admin, db):
    learner_id = _id(learners.create_learner(db, "Baraka"))
    post(admin, "/facilitator/groups", {"name": "Class 3"})
    (group,) = learners.list_groups(db)
    post(admin, f"/facilitator/groups/{group['id']}/members", {"learner": str(learner_id)})
    assert [x["id"] for x in learners.list_learners(db, group_id=group["id"])] == [learner_id]
    page = admin.get(f"/facilitator/groups/{group['id']}").get_data(as_text=True)
    assert "Baraka" in page
    response = admin.get(f"/facilitator/groups/{group['id']}/progress.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert list(csv.reader(io.StringIO(response.get_data(as_text=True))))[1][:4] == ["Baraka", "0", "0", "0"]
    post(admin, f"/facilitator/groups/{group['id']}/members/{learner_id}/remove")
    assert learners.list_learners(db, group_id=group["id"]) == []


def test_removing_a_learner_needs_confirmation_and_erases_personal_rows(admin, db):
    learner = learners.create_learner(db, "Neema", pin="1234")
    learner_id = _id(learner)
    actor = learners.get_learner(db, learner_id)["actor"]
    group = learners.create_group(db, "Club")
    learners.add_to_group(db, _id(group), learner_id)
    observations.record_observation(db, learner_id, "2024-05-02", {"confidence": 3})
    db.execute("INSERT INTO events (id, actor, anonymous, pack_id, resource_id, verb, duration_s, "
               "client_ts, received_at) VALUES ('e1', ?, 0, 'p', 'r', 'completed', 60, "
               "'2024-05-02T10:00:00Z', '2024-05-02T10:00:00Z')", [actor])
    page = admin.get(f"/facilitator/learners/{learner_id}/remove")
    assert page.status_code == 200 and b"Neema" in page.data
    assert learners.get_learner(db, learner_id) is not None  # asking changes nothing
    assert post(admin, f"/facilitator/learners/{learner_id}/remove").status_code == 302
    assert learners.get_learner(db, learner_id) is None
    for table, column, value in (("learners", "id", learner_id), ("group_members", "learner_id", learner_id),
                                 ("observations", "learner_id", learner_id),
                                 ("progress", "actor", actor)):
        assert db.execute(f"SELECT count(*) FROM {table} WHERE {column} = ?", [value]).fetchone()[0] == 0, table
    # The anonymous contribution stays in the totals.
    assert db.execute("SELECT count(*) FROM events").fetchone()[0] == 1
    names = " ".join(str(v) for row in db.execute("SELECT * FROM events") for v in row)
    assert "Neema" not in names


def test_reset_pin_and_observations(admin, db):
    learner_id = _id(learners.create_learner(db, "Amani", pin="1234"))
    assert post(admin, f"/facilitator/learners/{learner_id}/pin", {"pin": "9876"}).status_code == 302
    post(admin, f"/facilitator/learners/{learner_id}/observations",
         {"observed_on": "2024-05-03", "confidence": "4", "curiosity": "2"})
    assert observations.observations(db, learner_id) == [
        {"observed_on": "2024-05-03", "confidence": 4, "collaboration": None, "curiosity": 2}]
    post(admin, f"/facilitator/learners/{learner_id}/observations",
         {"observed_on": "2024-05-04", "confidence": "9"})
    assert len(observations.observations(db, learner_id)) == 1


def _learn(db, actor):
    """Real events through hub.learning.activity: an article read and finished, a video begun, an
    exercise mastered (four right answers), in that order."""
    ev = EventFactory(db)
    ev.resource("org.example.path", "read", title="Reading together")
    ev.resource("org.example.path", "watch", kind="video", title="Counting song")
    ev.resource("org.example.path", "quiz", kind="exercise", title="Count the goats")
    db.execute("UPDATE packs SET resource_count = 3 WHERE id = 'org.example.path'")
    start = clock.now() - dt.timedelta(hours=1)
    steps = [("started", "read", {"duration_s": 60}), ("completed", "read", {"duration_s": 120}),
             ("progressed", "watch", {"duration_s": 90, "progress": 0.5})]
    steps += [("answered", "quiz", {"duration_s": 30, "score": 1.0})] * 4
    for minute, (verb, resource, fields) in enumerate(steps):
        when = start + dt.timedelta(minutes=minute)
        event = activity.EVENT_TYPES[verb](id=activity.new_id(), pack_id="org.example.path",
                                           resource_id=resource, timestamp=when, **fields)
        activity.record(db, actor, [event], received_at=when)


def _facts(html, block_id):
    block = re.search(rf'id="{block_id}".*?</dl>', html, re.S).group(0)
    return [int(v) for v in re.findall(r"<dd>([0-9]+)</dd>", block)]


def test_learner_page_shows_progress_and_the_path_through_a_pack(admin, db):
    learner = learners.create_learner(db, "Jabari")
    _learn(db, learner["actor"])
    html = admin.get(f"/facilitator/learners/{learner['id']}").get_data(as_text=True)
    rows = progress.learner_progress(db, learner["actor"])
    started, completed = len(rows), sum(1 for r in rows if r["completed_at"])
    mastered = sum(1 for r in rows if r["mastered_at"])
    minutes = round(sum(r["time_spent_s"] for r in rows) / 60)
    assert (started, completed, mastered, minutes) == (3, 2, 1, 6)
    assert _facts(html, "learner-totals") == [started, completed, mastered, minutes]
    # The path lists the resources in the order the learner met them.
    positions = [html.index(title) for title in ("Reading together", "Counting song", "Count the goats")]
    assert positions == sorted(positions)
    assert "50%" in html  # the video is half watched
    assert "Completed 2 of 3 resources." in html


def test_group_progress_page_and_csv_match_the_progress_module(admin, db):
    jabari = learners.create_learner(db, "Jabari")
    learners.create_learner(db, "Zuri")  # not in the group
    group = learners.create_group(db, "Class 4")
    learners.add_to_group(db, group["id"], jabari["id"])
    _learn(db, jabari["actor"])
    expected = progress.group_progress(db, group["id"])
    assert [(r["name"], r["started"], r["completed"], r["mastered"]) for r in expected] == [
        ("Jabari", 3, 2, 1)]
    html = admin.get(f"/facilitator/groups/{group['id']}").get_data(as_text=True)
    row = re.search(r"Jabari</a></th>(.*?)</tr>", html, re.S).group(1)
    assert re.findall(r"<td[^>]*>([^<]*)</td>", row)[:4] == ["3", "2", "1", "6"]
    exported = list(csv.reader(io.StringIO(
        admin.get(f"/facilitator/groups/{group['id']}/progress.csv").get_data(as_text=True))))
    assert exported[0][:5] == ["Learner", "Started", "Completed", "Mastered", "Minutes"]
    assert [r[:5] for r in exported[1:]] == [["Jabari", "3", "2", "1", "6"]]


@pytest.mark.parametrize("name, pin, message", [
    ("", None, "Please give a name"), ("Amani", "12", "A PIN is 4 digits")])
def test_refused_learner_changes_are_said_plainly_and_change_nothing(admin, db, name, pin, message):
    learners.create_learner(db, "Amani")
    data = {"name": name} if pin is None else {"name": "Neema", "pin": pin}
    page = post(admin, "/facilitator/learners", data, follow_redirects=True).get_data(as_text=True)
    assert message in page
    assert [x["name"] for x in learners.list_learners(db)] == ["Amani"]
    page = post(admin, "/facilitator/learners", {"name": "amani"}, follow_redirects=True)
    assert "That name is taken already" in page.get_data(as_text=True)
