"""ZIM articles in the hub's search: full text and title suggestions, with the pack's language."""
from __future__ import annotations

import pytest

pytest.importorskip("libzim")

from hub.catalog import store as catalog  # noqa: E402
from hub.catalog.zim import install as zim_install  # noqa: E402
from hub.catalog.zim import search as zim_search  # noqa: E402
from tests.catalog.test_zim_archive import make_sample_zim  # noqa: E402


@pytest.fixture
def two_zims(db, data_dir, tmp_path):
    zim_install.install(db, data_dir, make_sample_zim(tmp_path / "en.zim"))
    zim_install.install(db, data_dir, make_sample_zim(tmp_path / "fr.zim", language="fra",
                                                      name="hub_test_fr", title="La savane"))
    return db


def _hits(results):
    return [(r["pack_id"], r.get("path"), r["language"]) for r in results if r["kind"] == "zim"]


def test_full_text_hits_carry_the_pack_language_and_article_url(two_zims):
    results = catalog.search(two_zims, "herds", lang="en")
    assert _hits(results) == [("zim.hub-test-en", "Zebra", "en")]
    [hit] = [r for r in results if r["kind"] == "zim"]
    assert hit["title"] == "Zebra" and hit["url"] == "/content/zim.hub-test-en/Zebra"
    assert hit["match"] == "text"
    assert _hits(catalog.search(two_zims, "feuilles", lang="fr")) == [("zim.hub-test-fr", "Girafe", "fr")]


def test_title_suggestions_are_merged_and_each_article_comes_once(two_zims):
    hits = [r for r in catalog.search(two_zims, "zebra", lang="en") if r["kind"] == "zim"]
    # The title match first; the home page mentions a zebra in its text; Zebra only once.
    assert [(h["path"], h["match"]) for h in hits] == [("Zebra", "title"), ("Home", "text")]
    # A redirect's title leads to its target ("Zeb" -> Zebra; "Giraffe" -> Girafe).
    found = zim_search.search_all(two_zims, "giraf", None, 10)
    assert (found[0]["path"], found[0]["match"], found[0]["language"]) == ("Girafe", "title", "fr")


def test_language_pack_and_kind_filters(two_zims):
    assert _hits(catalog.search(two_zims, "girafe", lang="en", language="en")) == []
    assert _hits(catalog.search(two_zims, "girafe", lang="en", language="fr")) == \
        [("zim.hub-test-fr", "Girafe", "fr"), ("zim.hub-test-fr", "Accueil", "fr")]
    assert _hits(catalog.search(two_zims, "zebra", lang="en", pack="zim.hub-test-fr")) == []
    assert _hits(catalog.search(two_zims, "zebra", lang="en", kind="article")) == []


def test_the_archive_itself_is_found_by_its_title(two_zims):
    found = catalog.search(two_zims, "savane", lang="fr")
    assert ("zim.hub-test-fr", "home") in [(r["pack_id"], r["id"]) for r in found]


def test_hidden_pack_is_not_searched(two_zims):
    catalog.set_enabled(two_zims, "zim.hub-test-en", False)
    assert zim_search.search_all(two_zims, "zebra", None, 10) == []


def test_a_query_libzim_cannot_parse_finds_nothing_quietly(two_zims):
    for q in ('"', "AND", "*", "((", "zebra NEAR/3"):
        assert isinstance(zim_search.search_all(two_zims, q, None, 10), list)
