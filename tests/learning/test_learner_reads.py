"""A learner orders the languages they read ("Kannada, then English"): resources fall back in
that order, on the pack page and in search (issue 23)."""
from __future__ import annotations

import pytest

from hub.learning import learners
from tests.catalog.test_catalog_support import install
from tests.learning.test_learners_support import form

PACK = "org.test.reads"
VERSIONS = [("story-en", "en", "The lost goat"), ("story-sw", "sw", "Mbuzi aliyepotea"),
            ("story-kn", "kn", "ಕಳೆದುಹೋದ ಮೇಕೆ"), ("story-bn", "bn", "হারানো ছাগল")]


@pytest.fixture
def pack(db, tmp_path):
    files, resources = {}, []
    for rid, lang, title in VERSIONS:
        files[f"a/{rid}.md"] = f"# {title}\n\n{title}.\n".encode()
        resources.append({"id": rid, "kind": "article", "language": lang, "group": "story",
                          "title": title, "file": f"a/{rid}.md"})
    install(db, tmp_path / "pack", pack_id=PACK, files=files, resources=resources,
            languages=["en", "sw", "kn", "bn"], topics=[])


@pytest.fixture
def child(client, db, pack):
    # Pages in French, which the pack does not have: the learner's own order decides.
    learner = learners.create_learner(db, "Kavya", language="fr")
    form(client, f"/signin/{learner['id']}", {"next": "/"})
    return learner


def shown(client) -> str:
    html = client.get(f"/packs/{PACK}").get_data(as_text=True)
    return next(rid for rid, _lang, _title in VERSIONS if f"/packs/{PACK}/{rid}\"" in html)


def test_resources_fall_back_in_the_learners_order(client, db, child):
    assert shown(client) == "story-en"                     # no order: the pack's own first
    page = client.get("/me/languages").get_data(as_text=True)
    assert 'name="read1"' in page and '<option value="kn" lang="kn">ಕನ್ನಡ</option>' in page
    saved = form(client, "/me/languages", {"read1": "kn", "read2": "en"})
    assert saved.status_code == 303
    assert learners.get_learner(db, child["id"])["reads"] == ["kn", "en"]
    assert shown(client) == "story-kn"                     # Kannada, then English
    assert "ಕನ್ನಡ" in client.get("/me").get_data(as_text=True)
    form(client, "/me/languages", {"read1": "bn", "read2": "kn"})
    assert shown(client) == "story-bn"
    html = client.get("/search?q=goat").get_data(as_text=True)   # the words decide in search
    assert f"/packs/{PACK}/story-en\"" in html


def test_blanks_and_repeats_are_skipped_and_bad_choices_change_nothing(client, db, child):
    form(client, "/me/languages", {"read1": "", "read2": "sw", "read3": "sw", "read4": "en"})
    assert learners.get_learner(db, child["id"])["reads"] == ["sw", "en"]
    refused = form(client, "/me/languages", {"read1": "<script>", "read2": "kn"})
    assert refused.status_code == 400
    assert learners.get_learner(db, child["id"])["reads"] == ["sw", "en"]
    with pytest.raises(learners.LearnerError):
        learners.set_reads(db, child["id"], ["kn", "bn", "ha", "am", "en"])


def test_only_a_signed_in_learner_has_an_order(client, pack):
    answer = client.get("/me/languages")
    assert answer.status_code in (302, 303) and "/signin" in answer.headers["Location"]
    assert shown(client) == "story-en"
