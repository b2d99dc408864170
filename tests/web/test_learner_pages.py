"""Learner pages without JavaScript: sign up, sign in by group and name, resource pages that
record started/completed on the hub, my learning, continue where you left off."""
from __future__ import annotations

import pytest
from flask import render_template_string, session

from hub.learning import learners
from hub.core import settings
from tests.learning.test_learners_support import PACK, as_signed_in, count, event, form, install_test_pack


@pytest.fixture
def pack(db, data_dir):
    install_test_pack(db, data_dir)


def test_sign_up_with_a_plain_form(client, db):
    page = client.get("/signup").get_data(as_text=True)
    assert page.count('name="avatar"') == len(learners.AVATARS) and 'name="csrf_token"' in page
    response = form(client, "/signup", {"name": "Zuri", "avatar": "turtle", "language": "sw", "pin": ""})
    assert response.status_code == 302
    (zuri,) = learners.list_learners(db)
    assert (zuri["avatar"], zuri["language"], zuri["has_pin"]) == ("turtle", "sw", False)
    assert "Zuri" in client.get("/me").get_data(as_text=True)


def test_sign_up_explains_a_refusal_and_keeps_what_was_typed(client, db):
    learners.create_learner(db, "Zuri")
    response = form(client, "/signup", {"name": "zuri", "avatar": "cat"})
    assert response.status_code == 400
    assert "That name is taken already" in response.get_data(as_text=True)
    response = form(client, "/signup", {"name": "Zuri 2", "pin": "12"})
    assert "A PIN is 4 digits" in response.get_data(as_text=True)
    assert len(learners.list_learners(db)) == 1


def test_sign_up_can_be_switched_off(client, db):
    settings.set(db, "self_signup", False)
    assert client.get("/signup").status_code == 403
    assert form(client, "/signup", {"name": "Zuri"}).status_code == 403
    assert "I am new here" not in client.get("/signin").get_data(as_text=True)
    assert learners.list_learners(db) == []


def test_a_form_without_its_csrf_token_is_refused(client, db):
    assert client.post("/signup", data={"name": "Zuri"}).status_code == 400
    assert learners.list_learners(db) == []


def test_sign_in_by_group_then_name(client, db):
    group = learners.create_group(db, "Class 3")
    asha = learners.create_learner(db, "Asha", avatar="owl")
    learners.create_learner(db, "Bahati", pin="1234")
    learners.add_to_group(db, group["id"], asha["id"])
    page = client.get("/signin").get_data(as_text=True)
    assert "Class 3" in page and "Asha" not in page  # choose a group first
    page = client.get(f"/signin?group={group['id']}").get_data(as_text=True)
    assert "Asha" in page and "Bahati" not in page and "avatars/owl.svg" in page
    assert "Bahati" in client.get("/signin?q=bah").get_data(as_text=True)
    assert 'name="pin"' in client.get("/signin/2").get_data(as_text=True)
    response = form(client, f"/signin/{asha['id']}", {"next": "/me"})
    assert response.status_code == 302
    assert "Asha" in client.get("/me").get_data(as_text=True)
    form(client, "/signout")
    assert client.get("/me").status_code == 302


def test_sign_in_never_redirects_to_another_site(client, db):
    asha = learners.create_learner(db, "Asha")
    db.execute("UPDATE learners SET checkin_declined = 1")
    response = form(client, f"/signin/{asha['id']}", {"next": "//evil.example/"})
    assert response.headers["Location"] == "/"


def _render_resource(app, resource_id, kind, learner=None, method="GET"):
    with app.test_request_context("/", method=method):
        if learner:
            as_signed_in(session, learner)
        app.preprocess_request()
        return render_template_string(
            '{% include "learners/resource_progress.html" %}{% include "learners/exercise_panel.html" ignore missing %}',
            resource={"pack_id": PACK, "id": resource_id, "kind": kind, "file": ""}, pack={"id": PACK})


def test_opening_a_resource_page_records_started_once(app, db, pack):
    learner = learners.create_learner(db, "Asha")
    page = _render_resource(app, "story", "article", learner)
    assert "I finished this" in page and 'data-resource="org.test.learn/story"' in page
    _render_resource(app, "story", "article", learner)
    assert count(db, "SELECT count(*) FROM events WHERE verb = 'started' AND actor = ?",
                 [learner["actor"]]) == 1
    assert count(db, "SELECT count(*) FROM progress WHERE actor = ?", [learner["actor"]]) == 1


def test_i_finished_this_records_completed_without_javascript(client, db, pack):
    form(client, "/signup", {"name": "Asha", "avatar": "cat"})
    response = form(client, f"/packs/{PACK}/story/done")
    assert response.status_code == 302
    assert count(db, "SELECT count(*) FROM events WHERE verb = 'completed'") == 1
    page = client.get("/me").get_data(as_text=True)
    assert "A story" in page and "Nothing finished yet" not in page
    assert form(client, f"/packs/{PACK}/nothing/done").status_code == 404


def test_anonymous_visitors_are_counted_too(client, db, pack):
    form(client, f"/packs/{PACK}/story/done")
    assert count(db, "SELECT count(*) FROM events WHERE anonymous = 1 AND actor LIKE 'A%'") == 1


def test_media_pages_carry_the_resume_position(app, client, db, pack):
    learner = learners.create_learner(db, "Asha")
    from hub.learning import activity
    activity.record_one(db, learner["actor"], "progressed", PACK, "video", progress=0.3,
                        duration_s=20, data={"position_s": 42.5})
    page = _render_resource(app, "video", "video", learner)
    assert 'data-resume="42.5"' in page and "activity.js" in page


def test_my_learning_shows_time_this_week_and_mastered_exercises(client, db, pack):
    form(client, "/signup", {"name": "Asha", "avatar": "cat"})
    client.post("/api/v1/events", json={"events": [event(duration_s=150), event(duration_s=90)]})
    for _ in range(2):
        form(client, f"/packs/{PACK}/quiz/question/legs", {"answer": "b"})
    page = client.get("/me").get_data(as_text=True)
    assert "This week you learned for 4 minutes." in page
    assert "Spider quiz" in page and "A short film" in page  # mastered; to continue


def test_continue_where_you_left_off(app, db, pack):
    learner = learners.create_learner(db, "Asha")
    db.execute("UPDATE learners SET checkin_declined = 1")
    from hub.learning import activity
    activity.record_one(db, learner["actor"], "progressed", PACK, "video", progress=0.5)
    activity.record_one(db, learner["actor"], "completed", PACK, "story")
    with app.test_request_context("/"):
        as_signed_in(session, learner)
        app.preprocess_request()
        page = render_template_string('{% include "learners/continue.html" %}')
    assert "Continue where you left off" in page and "A short film" in page
    assert "A story" not in page  # finished things are not "to continue"
    with app.test_request_context("/"):
        app.preprocess_request()
        assert render_template_string('{% include "learners/continue.html" %}').strip() == ""


def test_the_real_resource_pages_work_as_plain_forms(client, db, pack):
    import re

    form(client, "/signup", {"name": "Asha", "avatar": "cat"})
    page = client.get(f"/packs/{PACK}/story").get_data(as_text=True)
    assert "I finished this" in page
    assert count(db, "SELECT count(*) FROM events WHERE verb = 'started'") == 1
    action = re.search(r'<form method="post" action="([^"]+/done)"', page).group(1)
    assert form(client, action).headers["Location"].endswith(f"/packs/{PACK}/story")
    assert "You finished this." in client.get(f"/packs/{PACK}/story").get_data(as_text=True)
    quiz = client.get(f"/packs/{PACK}/quiz").get_data(as_text=True)
    assert "How many legs has a spider?" in quiz and "dix" not in quiz
    action = re.search(r'<form method="post" action="([^"]+/question/legs)"', quiz).group(1)
    attempt = re.search(r'name="attempt" value="([^"]+)"', quiz).group(1)
    assert "That is right!" in form(client, action, {"answer": "b", "attempt": attempt}).get_data(as_text=True)
    home = client.get("/").get_data(as_text=True)
    assert "Hello, Asha!" in home and "Continue where you left off" in home


def test_a_hidden_pack_takes_no_answers_or_completions(client, db, pack):
    db.execute("UPDATE packs SET enabled = 0")
    assert client.get(f"/packs/{PACK}/quiz/question/legs").status_code == 404
    assert form(client, f"/packs/{PACK}/story/done").status_code == 404
    assert count(db, "SELECT count(*) FROM events") == 0
