"""Each frequent word's best matches, ranked once per catalog version (hub.catalog.search_best):
the same results as the index ranking every match, never from an older catalog, any script."""
from __future__ import annotations

import random

import pytest

from hub.catalog import search, search_best
from hub.catalog import store as catalog
from tests.catalog.test_catalog_support import install

WORDS = {"en": "water garden river story seed bread".split(),
         "ar": "ماء حديقة نهر قصة بذرة خبز".split(),
         "hi": "पानी बगीचा नदी कहानी बीज रोटी".split(),
         "am": "ውሃ አትክልት ወንዝ ታሪክ ዘር ዳቦ".split(),
         "fr": "eau jardin rivière histoire graine pain".split()}


def big_pack(db, folder, pack_id="org.test.words", groups=40, seed=1):
    """A pack of `groups` groups in five languages and scripts, titles of common words."""
    rng = random.Random(seed)
    files, resources = {}, []
    for g in range(groups):
        for lang, words in WORDS.items():
            rid = f"r{g}-{lang}"
            files[f"a/{rid}.md"] = f"# {rid}\n\n{' '.join(rng.choices(words, k=12))}\n".encode()
            resources.append({
                "id": rid, "kind": "video" if g % 4 == 0 else "article", "language": lang,
                "group": f"g{g}", "file": f"a/{rid}.md",
                "title": " ".join(rng.choices(words, k=rng.randint(1, 4))) + f" {g}",
                "description": " ".join(rng.choices(words, k=rng.randint(0, 9))),
                "tags": rng.sample(words, 1)})
    return install(db, folder, pack_id=pack_id, files=files, resources=resources,
                   languages=list(WORDS), topics=[])


@pytest.fixture
def words_db(db, tmp_path, monkeypatch):
    monkeypatch.setattr(search_best, "MIN_DOCS", 8)    # "frequent" in a small catalog
    monkeypatch.setattr(search_best, "KEPT_HITS", 40)  # fewer kept than match: filters fall back
    search.forget_results()
    big_pack(db, tmp_path / "words")
    return db


def unkept(db, query, **filters):
    """What the index alone answers, ranking every match (no bound, nothing kept)."""
    bound = search.MAX_RANKED
    search.MAX_RANKED = 10 ** 9
    try:
        return search.matching_versions(db, query, version="no such catalog", **filters)
    finally:
        search.MAX_RANKED = bound


def holds(db, word, resource_id):
    """Whether the index finds `word` in the resource's title, tags or description."""
    return db.execute(f"SELECT count(*) FROM {search.TABLE} WHERE {search.TABLE} MATCH ? "
                      "AND resource_id = ?", [search.match_expression(word), resource_id]).fetchone()[0] == 1


def scores(db, query, found):
    """Each found group's score (its named versions' best; article text ranks after): ties
    may come in either order, scores may not."""
    expression = search.match_expression(query)
    out = []
    for pack, _group, ids in found:
        marks = ",".join("?" * len(ids))
        for table, after in ((search.TABLE, 0), (search.TEXT_TABLE, 1_000_000)):
            rank = search.RANK if table == search.TABLE else "bm25"
            best = db.execute(
                f"SELECT min(rank) FROM {table} WHERE {table} MATCH ? AND rank MATCH ? "
                f"AND pack_id = ? AND resource_id IN ({marks})",
                [expression, rank if table == search.TABLE else "bm25()", pack, *sorted(ids)]
            ).fetchone()[0]
            if best is not None:
                out.append(round(after + best, 6))
                break
    return out


def test_every_frequent_word_in_every_script_is_kept_and_ranked_as_the_index_ranks(words_db):
    assert search.warm_best(words_db) > 0
    version = search.catalog_version(words_db)
    assert search_best.is_warmed(words_db, version)
    for lang, words in WORDS.items():
        for word in words:
            query = search.normalized(word)
            assert search_best.kept(words_db, query, version) is not None, (lang, word)
            for limit in (1, 5, 20):
                kept = search.matching_versions(words_db, word, limit=limit, version=version)
                index = unkept(words_db, word, limit=limit)
                assert len(kept) == len(index) == limit
                assert scores(words_db, word, kept) == scores(words_db, word, index)
                # The versions named hold the word: the page picks among them.
                for pack, group, ids in kept:
                    assert ids and all(holds(words_db, word, rid) for rid in ids)
    assert search.warm_best(words_db) == 0  # once per catalog version


def test_filters_answer_from_kept_hits_or_from_the_index_alike(words_db):
    search.warm_best(words_db)
    version = search.catalog_version(words_db)
    answered = 0
    for filters in ({"language": "hi"}, {"language": "en"}, {"kind": "video"},
                    {"pack": "org.test.words"}, {"kind": "video", "language": "ar"}):
        for word in ("बगीचा", "water", "نهر"):
            for limit in (3, 30):
                kept = search.matching_versions(words_db, word, limit=limit, version=version,
                                                **filters)
                index = unkept(words_db, word, limit=limit, **filters)
                assert len(kept) == len(index)
                assert scores(words_db, word, kept) == scores(words_db, word, index)
                answered += bool(kept)
    assert answered > 10


def test_prefixes_two_words_and_hostile_queries_still_ask_the_index(words_db):
    search.warm_best(words_db)
    assert catalog.search(words_db, "gard", lang="en")  # a prefix, as before
    assert catalog.search(words_db, "water garden", lang="en")
    for hostile in ('"', "*", "NEAR(", "AND", "OR NOT", "water*", '"water', "x" * 500,
                    " ".join(["water"] * 40), "(garden", "^river"):
        catalog.search(words_db, hostile, lang="en")  # never an error


def test_a_new_pack_shows_at_once_in_a_kept_words_results(words_db, tmp_path):
    search.warm_best(words_db)
    big_pack(words_db, tmp_path / "more", pack_id="org.test.more", groups=5, seed=2)
    # The install emptied what was kept: the index answers until the next round.
    assert not search_best.kept(words_db, "water", search.catalog_version(words_db))
    found = {r["pack_id"] for r in catalog.search(words_db, "water", lang="en", limit=200)}
    assert "org.test.more" in found
    search.warm_best(words_db)
    found = {r["pack_id"] for r in catalog.search(words_db, "water", lang="en", limit=200)}
    assert "org.test.more" in found


def test_a_pack_switched_off_or_removed_is_never_found_from_kept_words(words_db, tmp_path):
    search.warm_best(words_db)
    assert catalog.search(words_db, "river", lang="en")
    catalog.set_enabled(words_db, "org.test.words", False)
    assert catalog.search(words_db, "river", lang="en") == []
    search.warm_best(words_db)  # ranked again for the catalog without it
    assert catalog.search(words_db, "river", lang="en") == []
    catalog.set_enabled(words_db, "org.test.words", True)
    assert catalog.search(words_db, "river", lang="en")
    with words_db.atomic():
        catalog.remove_pack(words_db, "org.test.words")
    assert catalog.search(words_db, "river", lang="en") == []


def test_a_catalog_change_during_a_round_keeps_nothing_for_the_old_one(words_db):
    before = search.catalog_version(words_db)
    calls = []

    def stop():
        calls.append(1)
        if len(calls) == 3:  # a facilitator switches the pack off meanwhile
            catalog.set_enabled(words_db, "org.test.words", False)
        return False

    done = search.warm_best(words_db, stop=stop)
    assert done == 2 and not search_best.is_warmed(words_db, before)
    assert catalog.search(words_db, "water", lang="en") == []


def test_a_stopped_round_goes_on_where_it_stopped(words_db):
    first = search.warm_best(words_db, stop=iter([False, False, True]).__next__)
    assert first == 2
    rest = search.warm_best(words_db)
    assert rest > 0 and search_best.is_warmed(words_db, search.catalog_version(words_db))
    assert first + rest == len([w for w in search_best.frequent_words(words_db)
                                if search.words(w) == [w]])


def test_the_hubs_background_round_ranks_a_new_catalog(words_db, app):
    from sync.scheduler import Scheduler

    Scheduler({"HUB_DATA_DIR": app.config["HUB_DATA_DIR"]}).warm_search(words_db)
    assert search_best.is_warmed(words_db, search.catalog_version(words_db))
    assert search_best.kept(words_db, "garden", search.catalog_version(words_db))
