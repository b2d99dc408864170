"""Exercises: each question type checked on the hub, normalized text, tolerance, feedback in
the pack's languages, hints, mastery, kind words, and an answer key that never leaves the hub."""
from __future__ import annotations

import uuid

import pytest
from flask import render_template_string

from hub.learning import exercises
from hub.core import text
from tests.learning.test_learners_support import PACK, QUIZ, count, form, install_test_pack, sign_up

Q = {q["id"]: q for q in QUIZ["questions"]}


@pytest.fixture
def pack(db, data_dir):
    install_test_pack(db, data_dir)


@pytest.mark.parametrize("question, given, right", [
    ("legs", "b", True), ("legs", "a", False), ("legs", ["b"], False),
    ("ten", ["a", "b"], True), ("ten", ["b", "a"], True), ("ten", ["a"], False),
    ("ten", ["a", "b", "c"], False), ("ten", ["a", "a"], False),
    ("mangoes", "9", True), ("mangoes", "9.0", True), ("mangoes", "10", False),
    ("mangoes", "\u0669", True), ("mangoes", "\u096f", True), ("mangoes", "nine", False),
    ("estimate", "78", True), ("estimate", "82", True), ("estimate", "82,5", False),
    ("estimate", "77", False),
    ("word", "ten", True), ("word", "  TEN ", True), ("word", "Dix", True),
    ("word", "eleve", True), ("word", "ÉLÈVE", True), ("word", "t e n", False), ("word", "", False),
])
def test_each_question_type_is_checked(question, given, right):
    assert exercises.is_correct(Q[question], given) is right


@pytest.mark.parametrize("typed, accepted", [
    ("  Hello   World ", "hello world"), ("Élève", "eleve"), ("أربعة", "اربعة"),
    ("بَاب", "باب"), ("ＴＥＮ", "ten"), ("São Paulo", "sao paulo"),
])
def test_text_answers_are_normalized(typed, accepted):
    assert text.fold_answer(typed) == text.fold_answer(accepted)


def test_feedback_comes_in_the_learners_language():
    assert exercises.feedback(Q["legs"], "a", False, "sw", ["en", "sw"]) == [
        "Miguu sita ni mdudu.", "Bado kidogo."]
    assert exercises.feedback(Q["legs"], "b", True, "en", ["en", "sw"]) == ["Yes, well done!"]
    assert exercises.feedback(Q["legs"], "a", False, "fr", ["en", "sw"])[0] == "Six legs is an insect."


def test_public_questions_hold_no_answer_key():
    shown = exercises.public_questions({**QUIZ, "languages": ["en", "sw"]}, "sw")
    assert shown[0]["prompt"] == "Buibui ana miguu mingapi?"
    assert shown[0]["hints"] == ["Hesabu kwa jozi."]
    assert all(set(q) == {"id", "type", "prompt", "choices", "hints"} for q in shown)


def _question(client, qid, resource="quiz"):
    return f"/packs/{PACK}/{resource}/question/{qid}"


def test_the_answer_key_is_never_sent_to_the_browser(app, client, pack):
    pages = [client.get(_question(client, qid)).get_data(as_text=True) for qid in Q]
    with app.test_request_context("/"):
        app.preprocess_request()
        pages.append(render_template_string('{% include "learners/exercise_panel.html" %}',
                                            resource={"pack_id": PACK, "id": "quiz", "kind": "exercise"}))
    for page in pages:
        for secret in ("dix", "élève", "Yes, well done!", "Six legs is an insect.", "Not quite yet"):
            assert secret not in page
        assert "tolerance" not in page and "mastery\": {" not in page
    assert "How many legs has a spider?" in pages[-1] and "Count them in pairs." in pages[-1]


def test_a_plain_form_answer_gets_kind_feedback_and_is_recorded(client, db, pack):
    sign_up(client)
    response = form(client, _question(client, "legs"), {"answer": "a", "attempt": str(uuid.uuid4())})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Six legs is an insect." in page and "Not quite yet. Have another look." in page
    assert "Not yet. Let us look at it again." in page and "wrong" not in page.lower()
    assert "Try again" in page
    right = form(client, _question(client, "legs"), {"answer": "b"}).get_data(as_text=True)
    assert "That is right!" in right and "Yes, well done!" in right and "Next question" in right
    row = db.execute("SELECT attempts, best_score, recent_scores FROM progress").fetchone()
    assert row == (2, 1.0, "[0.0, 1.0]")
    assert count(db, "SELECT count(*) FROM events WHERE verb = 'answered'") == 2


def test_feedback_pages_follow_the_learners_language(client, pack):
    client.post("/api/v1/learners", json={"name": "Juma", "language": "sw"})
    page = form(client, _question(client, "legs"), {"answer": "a"}).get_data(as_text=True)
    assert "Miguu sita ni mdudu." in page and "Buibui ana miguu mingapi?" in page


def test_a_form_posted_twice_counts_once(client, db, pack):
    attempt = str(uuid.uuid4())
    for _ in range(2):
        form(client, _question(client, "mangoes"), {"answer": "9", "attempt": attempt})
    assert count(db, "SELECT count(*) FROM events WHERE verb = 'answered'") == 1


def test_an_empty_or_unreadable_answer_records_nothing(client, db, pack):
    assert "Choose or write an answer first." in form(
        client, _question(client, "legs"), {"answer": ""}).get_data(as_text=True)
    assert "Please write a number" in form(
        client, _question(client, "mangoes"), {"answer": "lots"}).get_data(as_text=True)
    assert count(db, "SELECT count(*) FROM events") == 0


def test_the_exercises_own_mastery_rule(client, db, pack):
    sign_up(client)
    form(client, _question(client, "legs"), {"answer": "a"})
    form(client, _question(client, "ten"), {"answer": ["a", "b"]})
    assert count(db, "SELECT count(*) FROM progress WHERE mastered_at IS NOT NULL") == 0
    page = form(client, _question(client, "mangoes"), {"answer": "9"}).get_data(as_text=True)
    assert "You have mastered this exercise. Well done!" in page  # 2 of the last 3
    assert "Spider quiz" in client.get("/me").get_data(as_text=True)


def test_the_default_mastery_is_four_of_the_last_five(client, db, pack):
    sign_up(client)
    for answer in ("2", "3", "2", "2"):
        form(client, _question(client, "one", "plain"), {"answer": answer})
    assert count(db, "SELECT count(*) FROM progress WHERE mastered_at IS NOT NULL") == 0
    form(client, _question(client, "one", "plain"), {"answer": "2"})
    assert count(db, "SELECT count(*) FROM progress WHERE mastered_at IS NOT NULL") == 1


def test_questions_of_other_resources_are_not_found(client, pack):
    assert client.get(_question(client, "legs", "video")).status_code == 404
    assert client.get(_question(client, "nope")).status_code == 404
    assert client.get(f"/packs/{PACK}/missing/question/legs").status_code == 404
