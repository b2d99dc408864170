"""Search results kept per catalog version, language and normalized query: never stale, bounded."""
from __future__ import annotations

import pytest

from hub.core.bytecache import ByteBoundedCache
from hub.catalog import search
from hub.catalog import store as catalog
from tests.catalog.test_catalog_support import PACK_ID, install


@pytest.fixture
def db_with_pack(db, tmp_path):
    search.forget_results()
    install(db, tmp_path / "pack")
    return db


def ids(results):
    return [r["id"] for r in results]


def test_a_new_pack_is_found_by_the_next_search(db_with_pack, tmp_path):
    assert {r["pack_id"] for r in catalog.search(db_with_pack, "drinking", lang="en")} == {PACK_ID}
    install(db_with_pack, tmp_path / "other", pack_id="org.test.other")
    assert {r["pack_id"] for r in catalog.search(db_with_pack, "drinking", lang="en")} == \
        {PACK_ID, "org.test.other"}


def test_hiding_and_removing_a_pack_shows_at_once(db_with_pack):
    assert catalog.search(db_with_pack, "water", lang="en")
    catalog.set_enabled(db_with_pack, PACK_ID, False)
    assert catalog.search(db_with_pack, "water", lang="en") == []
    catalog.set_enabled(db_with_pack, PACK_ID, True)
    assert catalog.search(db_with_pack, "water", lang="en")
    with db_with_pack.atomic():
        catalog.remove_pack(db_with_pack, PACK_ID)
    assert catalog.search(db_with_pack, "water", lang="en") == []


def test_the_same_words_written_differently_give_the_same_answer(db_with_pack):
    assert search.normalized("  Drinking   WATER! ") == search.normalized("drinking water")
    first = ids(catalog.search(db_with_pack, "drinking water", lang="en"))
    assert ids(catalog.search(db_with_pack, "  Drinking   WATER! ", lang="en")) == first
    # Only punctuation is not "no query" (which lists everything).
    assert catalog.search(db_with_pack, "!!!", lang="en") == []
    assert catalog.search(db_with_pack, "", lang="en")


def test_each_language_gets_its_own_results(db_with_pack):
    for lang, expected in (("fr", "water-fr"), ("sw", "water-sw"), ("en", "water-en")):
        listed = catalog.search(db_with_pack, "", lang=lang)
        assert [r["id"] for r in listed if r["group"] == "water"] == [expected]


def test_a_page_changing_a_result_does_not_change_the_next_one(db_with_pack):
    first = catalog.search(db_with_pack, "water", lang="en")
    first[0]["title"] = "changed by a page"
    assert catalog.search(db_with_pack, "water", lang="en")[0]["title"] != "changed by a page"


def test_two_data_folders_never_share_results(db_with_pack, tmp_path):
    from hub.core.db import open_hub_db

    (tmp_path / "second-hub").mkdir()
    other = open_hub_db(tmp_path / "second-hub")
    try:
        assert catalog.search(db_with_pack, "water", lang="en")
        assert catalog.search(other, "water", lang="en") == []
    finally:
        other.conn.close()


def test_the_kept_results_stay_within_their_bytes(db_with_pack, monkeypatch):
    monkeypatch.setattr(search, "_results", ByteBoundedCache(20_000, max_entry_bytes=20_000 // 16))
    for n in range(300):
        catalog.search(db_with_pack, f"water {n}", lang="en")
    assert 0 < search._results.held_bytes() <= 20_000
    assert len(search._results) < 300


def test_a_one_letter_word_is_matched_whole_not_as_a_prefix(db_with_pack):
    assert search.match_expression("w") == '"w"'
    assert search.match_expression("wa") == '"wa"*'
    assert catalog.search(db_with_pack, "w", lang="en") == []  # not every word starting with w
    assert catalog.search(db_with_pack, "wat", lang="en")       # a real start of a word still finds


def test_a_very_common_word_is_ranked_among_its_first_matches_only(db_with_pack, monkeypatch):
    everything = ids(catalog.search(db_with_pack, "water", lang="en"))
    search.forget_results()
    monkeypatch.setattr(search, "MAX_RANKED", 1)
    bounded = ids(catalog.search(db_with_pack, "water", lang="en"))
    assert bounded and set(bounded) <= set(everything)
