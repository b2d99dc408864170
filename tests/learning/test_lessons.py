"""Lessons: assignment by group and by learner, progress per item from events and checked
answers, the contract's forms and JSON, who may see what, the table and its CSV."""
from __future__ import annotations

import csv
import io
import re

import pytest

from hub.learning import answers
from hub.learning import activity, exercises, learners
from hub.learning import lesson_progress, lessons
from tests.web.test_facilitator_support import _fresh_login_limits, make_account, post, sign_in  # noqa: F401
from tests.learning.test_learners_support import PACK, form, install_test_pack


@pytest.fixture
def pack(db, data_dir):
    install_test_pack(db, data_dir)


@pytest.fixture
def klass(db, pack):
    """Two groups: Class 3 (Asha, Baraka) and Class 4 (Chausiku); Dalila in no group."""
    people = {name: learners.create_learner(db, name) for name in ("Asha", "Baraka", "Chausiku", "Dalila")}
    three, four = learners.create_group(db, "Class 3"), learners.create_group(db, "Class 4")
    for name in ("Asha", "Baraka"):
        learners.add_to_group(db, three["id"], people[name]["id"])
    learners.add_to_group(db, four["id"], people["Chausiku"]["id"])
    return {"people": people, "three": three, "four": four}


def _titles(db, learner):
    return [x["title"] for x in lessons.for_learner(db, learner["id"])]


def test_a_lesson_reaches_its_groups_members_and_its_chosen_learners_only(db, klass):
    people = klass["people"]
    lessons.create(db, "Spiders", resources=[f"{PACK}/story", f"{PACK}/quiz"], groups=[klass["three"]["id"]])
    lessons.create(db, "Just for Dalila", resources=[f"{PACK}/video"], chosen=[people["Dalila"]["id"]])
    assert _titles(db, people["Asha"]) == ["Spiders"]
    assert _titles(db, people["Baraka"]) == ["Spiders"]
    assert _titles(db, people["Chausiku"]) == []
    assert _titles(db, people["Dalila"]) == ["Just for Dalila"]
    # Joining the group later brings the lesson; leaving it takes it away.
    learners.add_to_group(db, klass["three"]["id"], people["Chausiku"]["id"])
    assert _titles(db, people["Chausiku"]) == ["Spiders"]
    learners.remove_from_group(db, klass["three"]["id"], people["Chausiku"]["id"])
    assert _titles(db, people["Chausiku"]) == []


def test_hidden_and_archived_lessons_are_not_shown_and_items_keep_their_order(db, klass):
    asha = klass["people"]["Asha"]
    lesson_id = lessons.create(db, "Order", resources=[f"{PACK}/story", f"{PACK}/video", f"{PACK}/story2"],
                               groups=[klass["three"]["id"]])
    ids = [i["id"] for i in lessons.items(db, lesson_id)]
    lessons.move_item(db, lesson_id, ids[2], -1)
    lessons.move_item(db, lesson_id, ids[0], -1)  # already first: nothing moves
    assert [i["resource_id"] for i in lessons.items(db, lesson_id)] == ["story", "story2", "video"]
    lessons.set_state(db, lesson_id, hidden=True)
    assert _titles(db, asha) == []
    lessons.set_state(db, lesson_id, hidden=False, archived=True)
    assert _titles(db, asha) == []
    lessons.set_state(db, lesson_id, archived=False)
    assert _titles(db, asha) == ["Order"]


def test_a_bad_item_or_group_writes_nothing(db, klass):
    for kwargs in ({"resources": [f"{PACK}/story", f"{PACK}/nope"]}, {"groups": [999]},
                   {"resources": ["no-slash"]}, {"chosen": ["x"]}):
        with pytest.raises(lessons.LessonError):
            lessons.create(db, "Bad", **kwargs)
    with pytest.raises(lessons.LessonError):
        lessons.create(db, "   ", resources=[f"{PACK}/story"])
    assert db.execute("SELECT count(*) FROM lessons").fetchone()[0] == 0
    assert db.execute("SELECT count(*) FROM lesson_items").fetchone()[0] == 0


def _answer(db, learner, resource_id, question, given):
    resource = activity.find_resource(db, PACK, resource_id)
    return answers.answer(db, learner["actor"], resource, question, given, language="en")


def test_progress_per_item_comes_from_events_and_checked_answers(db, klass):
    asha, baraka = klass["people"]["Asha"], klass["people"]["Baraka"]
    lesson_id = lessons.create(db, "Mixed", resources=[f"{PACK}/story", f"{PACK}/quiz"],
                               groups=[klass["three"]["id"]])
    lessons.add_quiz(db, lesson_id, "Two questions", [f"{PACK}/quiz/legs", f"{PACK}/plain/one"])
    activity.record_one(db, asha["actor"], "started", PACK, "story", duration_s=120)
    activity.record_one(db, asha["actor"], "completed", PACK, "story", duration_s=60)
    activity.record_one(db, baraka["actor"], "started", PACK, "story")
    _answer(db, asha, "quiz", "legs", "a")     # wrong, through the one checker
    _answer(db, asha, "quiz", "legs", "b")
    _answer(db, asha, "quiz", "ten", ["a", "b"])  # 2 of the last 3 right: mastered
    _answer(db, baraka, "plain", "one", "3")
    lesson = lessons.get(db, lesson_id)
    rows = {r["learner"]["name"]: r for r in lesson_progress.table(db, lesson)}
    asha_cells, baraka_cells = rows["Asha"]["cells"], rows["Baraka"]["cells"]
    assert [c["status"] for c in asha_cells] == ["done", "mastered", "started"]
    assert [c["status"] for c in baraka_cells] == ["started", "not_started", "started"]
    assert asha_cells[0]["time_s"] == 180
    assert (asha_cells[1]["right"], asha_cells[1]["tried"]) == (2, 3)
    assert (asha_cells[2]["right"], asha_cells[2]["tried"]) == (1, 2)  # only the quiz's own question
    _answer(db, asha, "plain", "one", "2")
    cells = {r["learner"]["name"]: r for r in lesson_progress.table(db, lessons.get(db, lesson_id))}
    assert cells["Asha"]["cells"][2]["status"] == "mastered"
    assert [r["learner"]["name"] for r in lesson_progress.table(db, lesson, "done")][0] == "Asha"


def test_the_next_thing_is_the_lessons_next_item_else_the_topics_else_a_suggestion(db, klass):
    asha = klass["people"]["Asha"]
    lessons.create(db, "Path", resources=[f"{PACK}/story", f"{PACK}/video"], groups=[klass["three"]["id"]])
    assert lesson_progress.next_step(db, asha["actor"], asha, PACK, "story") == f"/packs/{PACK}/video"
    db.execute("INSERT INTO topics (pack_id, id, parent_id, position, title) VALUES (?, 't', NULL, 0, '{}')", [PACK])
    for position, rid in enumerate(("quiz", "plain")):
        db.execute("INSERT INTO topic_resources VALUES (?, 't', ?, ?)", [PACK, rid, position])
    anonymous = "A" + "0" * 24
    assert lesson_progress.next_step(db, anonymous, None, PACK, "quiz") == f"/packs/{PACK}/plain"
    assert lesson_progress.next_step(db, anonymous, None, PACK, "plain") == f"/packs/{PACK}/quiz"


# --- HTTP -------------------------------------------------------------------------------


@pytest.fixture
def admin(client, db):
    make_account(db)
    sign_in(client)
    return client


def test_the_contracts_forms_make_a_group_and_a_lesson(admin, db, klass):
    response = post(admin, "/facilitator/groups", {"name": "Class 5"})
    group_id = db.execute("SELECT id FROM groups WHERE name = 'Class 5'").fetchone()[0]
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/facilitator/groups/{group_id}")
    asha = klass["people"]["Asha"]
    assert post(admin, f"/facilitator/groups/{group_id}/members", {"learner": str(asha["id"])}).status_code in (302, 303)
    response = admin.post("/facilitator/lessons", data={
        "title": "Spiders", "group": [str(group_id), str(klass["four"]["id"])],
        "resource": [f"{PACK}/story", f"{PACK}/quiz"], "csrf_token": _csrf(admin)})
    assert response.status_code == 303
    lesson_id = int(re.search(r"/facilitator/lessons/(\d+)$", response.headers["Location"]).group(1))
    lesson = lessons.get(db, lesson_id)
    assert [i["resource_id"] for i in lesson["items"]] == ["story", "quiz"]
    assert {g["id"] for g in lesson["groups"]} == {group_id, klass["four"]["id"]}
    page = admin.get(f"/facilitator/lessons/{lesson_id}")
    assert page.status_code == 200 and "Spiders" in page.get_data(as_text=True)


def _csrf(client):
    from tests.helpers import csrf_from

    return csrf_from(client)


def test_a_bad_lesson_form_is_a_clear_400_and_writes_nothing(admin, db, klass):
    response = post(admin, "/facilitator/lessons", {"title": "", "resource": f"{PACK}/story"})
    assert response.status_code == 400
    assert "title" in response.get_data(as_text=True)
    response = post(admin, "/facilitator/lessons", {"title": "X", "resource": f"{PACK}/gone"})
    assert response.status_code == 400
    assert admin.post("/facilitator/lessons", data={"title": "X"}).status_code == 400  # no CSRF token
    assert db.execute("SELECT count(*) FROM lessons").fetchone()[0] == 0


def _session(client):
    response = client.get("/api/v1/session")
    assert response.status_code == 200
    return response.get_json()


def _sign_in_learner(client, learner):
    response = client.post("/api/v1/session", json={"learner": learner["id"]})
    assert response.status_code == 200


def test_the_session_json_lists_my_lessons_with_done_and_hides_others(client, app, db, klass):
    asha, chausiku = klass["people"]["Asha"], klass["people"]["Chausiku"]
    lesson_id = lessons.create(db, "Spiders", resources=[f"{PACK}/story", f"{PACK}/video"],
                               groups=[klass["three"]["id"]])
    assert _session(client) == {"learner": None, "lessons": []}
    _sign_in_learner(client, asha)
    form(client, f"/packs/{PACK}/story/done")
    body = _session(client)
    assert body["learner"] == {"id": asha["id"], "name": "Asha", "avatar": asha["avatar"]}
    assert body["lessons"] == [{"id": lesson_id, "title": "Spiders", "resources": [
        {"pack_id": PACK, "id": "story", "title": "A story", "url": f"/packs/{PACK}/story", "done": True},
        {"pack_id": PACK, "id": "video", "title": "A short film", "url": f"/packs/{PACK}/video", "done": False}]}]
    home = client.get("/").get_data(as_text=True)
    assert home.index("For you") < home.index("Continue") if "Continue" in home else "For you" in home
    assert f'rel="next" href="/packs/{PACK}/video"' in home
    other = app.test_client()
    _sign_in_learner(other, chausiku)
    assert _session(other)["lessons"] == []
    assert "Spiders" not in other.get("/").get_data(as_text=True)
    assert other.get(f"/lessons/{lesson_id}").status_code == 404


def test_the_page_after_finishing_links_rel_next_to_the_lessons_next_item(client, db, klass):
    lessons.create(db, "Spiders", resources=[f"{PACK}/story", f"{PACK}/video"], groups=[klass["three"]["id"]])
    _sign_in_learner(client, klass["people"]["Asha"])
    response = form(client, f"/packs/{PACK}/story/done", follow_redirects=True)
    assert f'<a class="button" rel="next" href="/packs/{PACK}/video">' in response.get_data(as_text=True)


def test_a_quiz_is_checked_by_the_hubs_checker_and_counts_in_the_table(client, admin, db, klass):
    asha = klass["people"]["Asha"]
    lesson_id = lessons.create(db, "Quiz day", groups=[klass["three"]["id"]])
    response = post(admin, f"/facilitator/lessons/{lesson_id}/quiz",
                    {"title": "Two", "question": [f"{PACK}/quiz/legs", f"{PACK}/plain/one"]})
    assert response.status_code == 303
    (item,) = lessons.items(db, lesson_id)
    # The table seen before the answers is not shown again after them (pages are kept by content).
    assert "answers right" not in admin.get(f"/facilitator/lessons/{lesson_id}").get_data(as_text=True)
    learner = client.application.test_client()
    _sign_in_learner(learner, asha)
    url = f"/lessons/{lesson_id}/quiz/{item['id']}"
    assert learner.get(url).status_code == 200
    page = form(learner, url, {"question": f"{PACK}/quiz/legs", "answer": "a"}).get_data(as_text=True)
    assert "Not yet" in page
    form(learner, url, {"question": f"{PACK}/quiz/legs", "answer": "b"})
    form(learner, url, {"question": f"{PACK}/plain/one", "answer": "2"})
    table = admin.get(f"/facilitator/lessons/{lesson_id}").get_data(as_text=True)
    assert "Mastered" in table and "2 of 3 answers right" in table


def test_the_csv_has_one_row_per_learner(admin, db, klass):
    lesson_id = lessons.create(db, "Spiders", resources=[f"{PACK}/story", f"{PACK}/quiz"],
                               groups=[klass["three"]["id"]], chosen=[klass["people"]["Dalila"]["id"],
                                                                      klass["people"]["Asha"]["id"]])
    activity.record_one(db, klass["people"]["Baraka"]["actor"], "completed", PACK, "story")
    response = admin.get(f"/facilitator/lessons/{lesson_id}.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert rows[0] == ["Learner", "A story", "Spider quiz", "Items done", "Minutes"]
    assert [r[0] for r in rows[1:]] == ["Asha", "Baraka", "Dalila"]
    assert rows[2][1:4] == ["Done", "Not started", "1"]


def test_the_table_sorts_on_the_server_and_folds_on_a_phone(admin, db, klass):
    lesson_id = lessons.create(db, "Spiders", resources=[f"{PACK}/story"], groups=[klass["three"]["id"]])
    activity.record_one(db, klass["people"]["Baraka"]["actor"], "completed", PACK, "story")
    by_done = admin.get(f"/facilitator/lessons/{lesson_id}?sort=done").get_data(as_text=True)
    assert by_done.index("Baraka") < by_done.index("Asha")
    by_name = admin.get(f"/facilitator/lessons/{lesson_id}?sort=nonsense").get_data(as_text=True)
    assert by_name.index("Asha") < by_name.index("Baraka")
    assert 'data-label="A story"' in by_name and "lessons.css" in by_name


def test_editing_reordering_hiding_and_archiving_through_the_forms(admin, db, klass):
    lesson_id = lessons.create(db, "Spiders", resources=[f"{PACK}/story"], groups=[klass["three"]["id"]])
    assert admin.get(f"/facilitator/lessons/{lesson_id}/edit").status_code == 200
    post(admin, f"/facilitator/lessons/{lesson_id}/items", {"resource": [f"{PACK}/video", f"{PACK}/story"]})
    items = lessons.items(db, lesson_id)
    assert [i["resource_id"] for i in items] == ["story", "video"]
    post(admin, f"/facilitator/lessons/{lesson_id}/items/{items[1]['id']}/move", {"direction": "up"})
    assert [i["resource_id"] for i in lessons.items(db, lesson_id)] == ["video", "story"]
    post(admin, f"/facilitator/lessons/{lesson_id}/items/{items[1]['id']}/remove")
    assert [i["resource_id"] for i in lessons.items(db, lesson_id)] == ["story"]
    post(admin, f"/facilitator/lessons/{lesson_id}", {"title": "Spiders 2", "note": "Read first",
                                                       "learner": str(klass["people"]["Dalila"]["id"])})
    lesson = lessons.get(db, lesson_id)
    assert (lesson["title"], lesson["note"], lesson["groups"]) == ("Spiders 2", "Read first", [])
    post(admin, f"/facilitator/lessons/{lesson_id}/state", {"action": "archive"})
    assert lessons.get(db, lesson_id)["archived"]
    assert "Spiders 2" in admin.get("/facilitator/lessons?archived=1").get_data(as_text=True)
    assert post(admin, f"/facilitator/lessons/{lesson_id}/state", {"action": "melt"}).status_code == 400


def test_strangers_and_learners_cannot_reach_any_lesson_page(client, db, klass):
    make_account(db)
    lesson_id = lessons.create(db, "Spiders", resources=[f"{PACK}/story"], groups=[klass["three"]["id"]])
    urls = ["/facilitator/lessons", "/facilitator/lessons/new", f"/facilitator/lessons/{lesson_id}",
            f"/facilitator/lessons/{lesson_id}.csv", f"/facilitator/lessons/{lesson_id}/edit",
            f"/facilitator/lessons/{lesson_id}/quiz",
            f"/facilitator/groups/{klass['three']['id']}/glance",
            f"/facilitator/groups/{klass['three']['id']}/roster",
            f"/facilitator/groups/{klass['three']['id']}/cards"]
    for who in ("stranger", "learner"):
        if who == "learner":
            _sign_in_learner(client, klass["people"]["Asha"])
        for url in urls:
            response = client.get(url)
            assert response.status_code == 302 and "/facilitator/login" in response.headers["Location"], url
        response = post(client, "/facilitator/lessons", {"title": "X", "resource": f"{PACK}/story"})
        assert response.status_code == 403
    assert db.execute("SELECT count(*) FROM lessons").fetchone()[0] == 1


def test_odd_input_never_makes_a_500(admin, client, db, klass):
    huge = "9" * 30
    for url in (f"/facilitator/lessons/{huge}", f"/facilitator/lessons/{huge}.csv",
                f"/facilitator/lessons/{huge}/edit", f"/facilitator/groups/{huge}/glance",
                f"/facilitator/lessons/1?sort=%00", "/facilitator/lessons/new?q=%22&pack=x&kind=y",
                f"/facilitator/groups/{klass['three']['id']}/glance?days=-5"):
        assert admin.get(url).status_code in (200, 404), url
    for data in ({"title": "x" * 500, "resource": f"{PACK}/story"}, {"title": "T", "group": "1e99"},
                 {"title": "T", "resource": f"{PACK}/home/A/x"}, {"title": "T", "learner": huge},
                 {"title": "T", "note": "n" * 600}, {"title": "T\x00"}):
        assert post(admin, "/facilitator/lessons", data).status_code == 400, data
    assert db.execute("SELECT count(*) FROM lessons").fetchone()[0] == 0
    learner = client.application.test_client()
    _sign_in_learner(learner, klass["people"]["Asha"])
    assert learner.get(f"/lessons/{huge}").status_code == 404
    assert learner.get(f"/lessons/1/quiz/{huge}").status_code == 404


def test_a_zim_article_found_by_search_is_a_lesson_item_done_once_read(admin, client, db, data_dir, klass, tmp_path):
    pytest.importorskip("libzim")
    from hub.catalog.zim import install as zim_install
    from tests.catalog.test_zim_archive import make_sample_zim

    zim_install.install(db, data_dir, make_sample_zim(tmp_path / "en.zim"))
    page = admin.get("/facilitator/lessons/new?q=zebra").get_data(as_text=True)
    value = "zim.hub-test-en/home/Zebra"
    assert f'value="{value}"' in page, "the builder offers the ZIM article from search"
    response = post(admin, "/facilitator/lessons", {"title": "Savanna", "resource": value,
                                                    "group": str(klass["three"]["id"])})
    assert response.status_code == 303
    learner = client.application.test_client()
    _sign_in_learner(learner, klass["people"]["Asha"])
    (lesson,) = _session(learner)["lessons"]
    assert lesson["resources"][0]["url"] == "/content/zim.hub-test-en/Zebra"
    assert lesson["resources"][0]["done"] is False
    assert learner.get("/content/zim.hub-test-en/Zebra").status_code == 200
    assert _session(learner)["lessons"][0]["resources"][0]["done"] is True


def test_browsing_a_pack_lists_its_topics_with_boxes_to_tick(admin, db, klass):
    db.execute("INSERT INTO topics (pack_id, id, parent_id, position, title) VALUES (?, 't', NULL, 0, ?)",
               [PACK, '{"en": "Spiders and stories"}'])
    for position, rid in enumerate(("story", "quiz")):
        db.execute("INSERT INTO topic_resources VALUES (?, 't', ?, ?)", [PACK, rid, position])
    page = admin.get(f"/facilitator/lessons/new?pack={PACK}").get_data(as_text=True)
    topic = page.index("Spiders and stories")
    assert topic < page.index(f'value="{PACK}/story"') < page.index(f'value="{PACK}/quiz"')
    assert f'value="{PACK}/video"' in page  # in no topic: listed after the topics
    nothing = admin.get("/facilitator/lessons/new?q=zzzzqqq").get_data(as_text=True)
    assert "Nothing found" in nothing


def test_removing_a_learner_or_a_group_removes_what_was_assigned_to_them_not_the_lesson(db, klass):
    dalila = klass["people"]["Dalila"]
    lesson_id = lessons.create(db, "Spiders", resources=[f"{PACK}/story"], groups=[klass["three"]["id"]],
                               chosen=[dalila["id"]])
    learners.delete_learner(db, dalila["id"])
    learners.delete_group(db, klass["three"]["id"])
    lesson = lessons.get(db, lesson_id)
    assert (lesson["groups"], lesson["learners"]) == ([], [])
    assert lessons.assigned_learners(db, lesson_id) == []
    assert db.execute("SELECT count(*) FROM lesson_assignments").fetchone()[0] == 0
