"""Pack validation: a valid pack passes from folder and zip; every class of error is reported
with its place (`WHERE: WHY`), all at once."""
from __future__ import annotations

import json
import os

import pytest

from hub.catalog.packs.validate import validate
from tests.packfactory import (app_zip, change_file, make_pack, quiz, read_manifest, write_manifest,
                               zip_pack)


def lines(path) -> list[str]:
    return [str(p) for p in validate(path)]


@pytest.fixture
def pack(tmp_path):
    return make_pack(tmp_path / "numbers")


def edit(folder, change):
    data = read_manifest(folder)
    change(data)
    write_manifest(folder, data)


def test_a_valid_pack_folder_has_no_problems(pack):
    assert lines(pack) == []


def test_a_valid_pack_zip_has_no_problems(pack, tmp_path):
    assert lines(zip_pack(pack, tmp_path / "numbers.zip")) == []


def test_problem_prints_where_and_why(pack):
    (pack / "articles" / "count.fr.md").unlink()
    [problem] = validate(pack)
    assert (problem.where, problem.why) == ("resources[1].file", "articles/count.fr.md is missing")
    assert str(problem) == "resources[1].file: articles/count.fr.md is missing"


# One case per class of error: (how the pack is broken, a line the validator must print).
MANIFEST_ERRORS = {
    "required field": (lambda d: d.pop("title"), "title: is required"),
    "unknown field": (lambda d: d.update(colour="red"), "colour: is not a known field (check the spelling)"),
    "unknown resource field": (lambda d: d["resources"][2].update(langauge="en"),
                               "resources[2].langauge: is not a known field (check the spelling)"),
    "format": (lambda d: d.update(format=2), "format: 2 is not a known format (this hub reads format 1)"),
    "id pattern": (lambda d: d.update(id="Org Example!"), "id: 'Org Example!' must be 3 to 64 of a-z, "
                                                          "0-9, '.', '-' starting with a letter or digit"),
    "semantic version": (lambda d: d.update(version="1.2"), "version: '1.2' is not a semantic version like 1.2.0"),
    "type": (lambda d: d.update(languages="en"), "languages: must be a non-empty list of BCP 47 tags"),
    "language tag": (lambda d: d["languages"].append("english"), "languages[2]: 'english' is not a BCP 47 language tag"),
    "resource language": (lambda d: d["resources"][1].update(language="sw"),
                          "resources[1].language: sw is not one of the pack's languages"),
    "title map": (lambda d: d.update(title={"en": ""}), "title.en: must be non-empty text"),
    "kind": (lambda d: d["resources"][4].update(kind="podcast"),
             "resources[4].kind: 'podcast' is not a known kind "
             "(article, video, audio, document, image, html5, exercise, h5p)"),
    "file ending for kind": (lambda d: d["resources"][4].update(kind="video"),
                             "resources[4].file: images/shape.svg: a video file must end in "
                             ".mp4 or .m4v or .webm or .ogv"),
    "duplicate resource id": (lambda d: d["resources"][1].update(id="count-en"),
                              "resources[1].id: count-en is used by another resource"),
    "duplicate topic id": (lambda d: d["topics"][0]["topics"][0].update(id="counting"),
                           "topics[0].topics[0].id: counting is used by another topic"),
    "topic references a missing resource": (lambda d: d["topics"][0]["resources"].append("nope"),
                                            "topics[0].resources[3]: nope is not a resource of this pack"),
    "file outside the pack": (lambda d: d["resources"][0].update(file="../secret.md"),
                              "resources[0].file: '../secret.md' is not a relative path inside the pack"),
    "sha256 form": (lambda d: d["resources"][0].update(sha256="abc"),
                    "resources[0].sha256: must be 64 lower-case hex digits (run `hub packs build`)"),
    "size differs": (lambda d: d["resources"][0].update(size=3),
                     "resources[0].file: articles/count.en.md is 61 bytes, but pack.json says 3"),
    "sha256 differs": (lambda d: d["resources"][1].update(sha256="0" * 64),
                       "resources[1].file: articles/count.fr.md does not match its sha256 "
                       "(changed or damaged since `hub packs build`)"),
}


@pytest.mark.parametrize("case", MANIFEST_ERRORS, ids=str)
def test_manifest_error_names_its_place(pack, case):
    change, expected = MANIFEST_ERRORS[case]
    edit(pack, change)
    assert expected in lines(pack)


def test_missing_pack_json(pack):
    (pack / "pack.json").unlink()
    assert lines(pack) == ["pack.json: is missing: a pack has pack.json at its root"]


def test_pack_json_that_is_not_json(pack):
    (pack / "pack.json").write_text('{"format": 1,', encoding="utf-8")
    [line] = lines(pack)
    assert line.startswith("pack.json: is not valid JSON (line 1, column 14")


def test_zip_of_the_folder_instead_of_its_contents(pack, tmp_path):
    outer = tmp_path / "outer"
    outer.mkdir()
    os.rename(pack, outer / "numbers")
    [line] = lines(zip_pack(outer, tmp_path / "wrapped.zip"))
    assert line.startswith("pack.json: is missing at the root (found in numbers/)")


def test_unlisted_file(pack):
    (pack / "articles" / "notes.txt").write_text("draft")
    assert lines(pack) == ["articles/notes.txt: is not listed in pack.json"]


def test_symlink_in_a_folder_pack(pack, tmp_path):
    (tmp_path / "outside.md").write_text("secret")
    os.symlink(tmp_path / "outside.md", pack / "articles" / "link.md")
    assert "articles/link.md: is a symbolic link; packs hold plain files only" in lines(pack)


def _broken_quiz(change):
    data = quiz()
    change(data)
    return json.dumps(data).encode()


EXERCISE_ERRORS = {
    "unknown question field": (lambda q: q["questions"][0].update(answr="b"),
                               "exercises/quiz.en.json#questions[0].answr: is not a known field (check the spelling)"),
    "answer not a choice": (lambda q: q["questions"][0].update(answer="c"),
                            "exercises/quiz.en.json#questions[0].answer: c is not one of the choices"),
    "multiple answer not a list": (lambda q: q["questions"][0].update(type="multiple_choice"),
                                   "exercises/quiz.en.json#questions[0].answer: must be a non-empty list of choice ids"),
    "choices on a numeric question": (lambda q: q["questions"][1].update(choices=[]),
                                      "exercises/quiz.en.json#questions[1].choices: only choice questions "
                                      "have choices, not numeric"),
    "numeric answer": (lambda q: q["questions"][1].update(answer="five"),
                       "exercises/quiz.en.json#questions[1].answer: must be a number"),
    "tolerance on a choice question": (lambda q: q["questions"][0].update(tolerance=1),
                                       "exercises/quiz.en.json#questions[0].tolerance: only numeric "
                                       "questions have a tolerance"),
    "text map with a bad language": (lambda q: q["questions"][0].update(prompt={"English": "Hi"}),
                                     "exercises/quiz.en.json#questions[0].prompt.English: is not a BCP 47 language tag"),
    "feedback key": (lambda q: q["questions"][0]["feedback"].update(z="?"),
                     "exercises/quiz.en.json#questions[0].feedback.z: must be correct, incorrect or the id of a choice"),
    "duplicate question id": (lambda q: q["questions"][1].update(id="q1"),
                              "exercises/quiz.en.json#questions[1].id: q1 is used by another question"),
    "question type": (lambda q: q["questions"][1].update(type="essay"),
                      "exercises/quiz.en.json#questions[1].type: 'essay' is not a question type "
                      "(single_choice, multiple_choice, numeric, text)"),
    "mastery": (lambda q: q.update(mastery={"correct": 3, "of": 2}),
                "exercises/quiz.en.json#mastery: must be {\"correct\": N, \"of\": M} with 1 <= N <= M"),
}


@pytest.mark.parametrize("case", EXERCISE_ERRORS, ids=str)
def test_exercise_error_names_its_place(pack, case):
    change, expected = EXERCISE_ERRORS[case]
    change_file(pack, "exercises/quiz.en.json", _broken_quiz(change))
    assert lines(pack) == [expected]


def test_exercise_that_is_not_json(pack):
    change_file(pack, "exercises/quiz.en.json", b"{questions: []}")
    [line] = lines(pack)
    assert line.startswith("exercises/quiz.en.json: is not valid JSON")


def test_html5_app_without_index(pack):
    change_file(pack, "apps/game.zip", app_zip({"start.html": "<p>hi</p>"}))
    assert lines(pack) == ["resources[3].file: apps/game.zip has no index.html at its root"]


def test_html5_app_that_is_not_a_zip(pack):
    change_file(pack, "apps/game.zip", b"<html>not a zip</html>")
    [line] = lines(pack)
    assert line.startswith("resources[3].file: apps/game.zip is not a readable zip app")


def test_html5_app_with_a_traversing_entry(pack):
    change_file(pack, "apps/game.zip", app_zip({"index.html": "x", "../../escape.js": "x"}))
    assert lines(pack) == ["apps/game.zip!../../escape.js: leaves the pack folder ('..'); "
                           "entries must stay inside the pack"]


def test_every_problem_is_reported_at_once(pack):
    (pack / "articles" / "count.fr.md").unlink()
    (pack / "stray.txt").write_text("x")
    edit(pack, lambda d: d.update(version="one", colour="red"))
    assert sorted(lines(pack)) == sorted([
        "colour: is not a known field (check the spelling)",
        "version: 'one' is not a semantic version like 1.2.0",
        "stray.txt: is not listed in pack.json",
        "resources[1].file: articles/count.fr.md is missing",
    ])


def test_not_a_pack_at_all(tmp_path):
    assert lines(tmp_path / "nothing-here") == ["nothing-here: no such pack folder or .zip file"]
