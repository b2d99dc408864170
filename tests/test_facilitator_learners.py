"""Learners and groups from the console: add, rename, PIN, groups, observations, removal."""
from __future__ import annotations

import pytest

from hub import facilitators
from tests.test_facilitator_support import (_fresh_login_limits, make_account, post,  # noqa: F401
                                            sign_in)

learners = pytest.importorskip("hub.learners", reason="hub.learners has not landed yet")


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
    assert response.status_code in (200, 503)
    if response.status_code == 200:
        assert response.mimetype == "text/csv"
    post(admin, f"/facilitator/groups/{group['id']}/members/{learner_id}/remove")
    assert learners.list_learners(db, group_id=group["id"]) == []


def test_removing_a_learner_needs_confirmation_and_erases_personal_rows(admin, db):
    learner = learners.create_learner(db, "Neema", pin="1234")
    learner_id = _id(learner)
    actor = learners.get_learner(db, learner_id)["actor"]
    group = learners.create_group(db, "Club")
    learners.add_to_group(db, _id(group), learner_id)
    facilitators.record_observation(db, learner_id, "2024-05-02", {"confidence": 3})
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
    assert facilitators.observations(db, learner_id) == [
        {"observed_on": "2024-05-03", "confidence": 4, "collaboration": None, "curiosity": 2}]
    post(admin, f"/facilitator/learners/{learner_id}/observations",
         {"observed_on": "2024-05-04", "confidence": "9"})
    assert len(facilitators.observations(db, learner_id)) == 1
