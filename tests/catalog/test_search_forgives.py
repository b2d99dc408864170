"""Search that forgives: plurals, Arabic articles and clitics, Kiswahili prefixes, typos, and
the spellings of Kannada, Bengali, Amharic and Hausa (issues 18 and 23)."""
from __future__ import annotations

import pytest

from hub.catalog import search_suggest
from hub.catalog import store as catalog
from hub.core import text
from tests.catalog.test_catalog_support import install

PACK = "org.test.forgiving"
# (id, language, title, article text): one group, so translations compete for the page.
VERSIONS = [
    ("mangoes-en", "en", "Count the mangoes", "Count the ripe mangoes in each basket."),
    ("mangoes-ar", "ar", "عُدَّ حبّات المانجو", "عُدَّ حبّات المانجو في كل سلة."),
    ("mangoes-sw", "sw", "Kuhesabu maembe", "Tunahesabu maembe katika kila kikapu."),
    ("mangoes-kn", "kn", "ಮಾವಿನ ಹಣ್ಣುಗಳನ್ನು ಎಣಿಸು", "ಪ್ರತಿ ಬುಟ್ಟಿಯಲ್ಲಿರುವ ಮಾವಿನ ಹಣ್ಣುಗಳನ್ನು ಎಣಿಸು."),
    ("mangoes-bn", "bn", "আম গোনার সময়", "প্রতিটি ঝুড়িতে আম গোনো। উৎসবের আগে।"),
    ("mangoes-am", "am", "ማንጎዎችን መቁጠር", "በፀሐይ ብርሃን በእያንዳንዱ ቅርጫት ውስጥ ያሉትን ማንጎዎች ቁጠሩ።"),
    ("mangoes-ha", "ha", "Ƙidaya mangwaro", "Ƙidaya mangwaron da ke cikin kowane kwando a ɗaki."),
]


@pytest.fixture
def forgiving(db, tmp_path):
    files, resources = {}, []
    for rid, lang, title, body in VERSIONS:
        name = f"articles/{rid}.md"
        files[name] = f"# {title}\n\n{body}\n".encode()
        resources.append({"id": rid, "kind": "article", "language": lang, "group": "mangoes",
                          "title": title, "file": name})
    install(db, tmp_path / "pack", pack_id=PACK, files=files, resources=resources,
            languages=["en", "ar", "sw", "kn", "bn", "am", "ha"], topics=[])
    return db


def found(db, query, lang="en"):
    return [r["id"] for r in catalog.search(db, query, lang=lang)]


@pytest.mark.parametrize("query, lang, expected", [
    ("mangos", "en", "mangoes-en"),          # a plural spelled another way (stemmed)
    ("mango", "en", "mangoes-en"),
    ("counting", "en", "mangoes-en"),        # -ing (stemmed both sides: count)
    ("baskets", "en", "mangoes-en"),         # article text, plural
    ("مانجو", "ar", "mangoes-ar"),            # without its article ال
    ("والمانجو", "ar", "mangoes-ar"),         # with a conjunction and the article
    ("بالمانجو", "ar", "mangoes-ar"),         # with a preposition and the article
    ("hesabu", "sw", "mangoes-sw"),           # inside kuhesabu and tunahesabu
    ("kuhesabu", "sw", "mangoes-sw"),
])
def test_ordinary_words_find_their_resource(forgiving, query, lang, expected):
    assert found(forgiving, query, lang) == [expected]


@pytest.mark.parametrize("query, expected", [
    ("ಎಣಿಸು", "mangoes-kn"),                   # Kannada
    ("ಮಾವಿನ", "mangoes-kn"),
    ("আম", "mangoes-bn"),                       # Bengali
    ("সময\u09bc", "mangoes-bn"),                # য় typed as য + nukta
    ("সময", "mangoes-bn"),                      # ... or without the nukta
    ("উত\u09cd\u200cসবের", "mangoes-bn"),        # ৎ typed as ত + hasanta + ZWNJ
    ("ማንጎዎችን", "mangoes-am"),                  # Amharic
    ("ፀሀይ", "mangoes-am"),                      # ፀሐይ written with the other ፀ/ሐ letters
    ("ጸሐይ", "mangoes-am"),
    ("Kidaya", "mangoes-ha"),                   # Hausa without its hooked letters
    ("ƙidaya", "mangoes-ha"),
    ("daki", "mangoes-ha"),                     # ɗaki in the article text
])
def test_the_new_scripts_find_their_articles_however_typed(forgiving, query, expected):
    # The page is in English: the match is shown, not the English version (issue 23).
    assert found(forgiving, query, "en") == [expected]


def test_a_query_in_another_script_shows_the_version_that_matches(forgiving):
    assert found(forgiving, "المانجو", "en") == ["mangoes-ar"]
    assert found(forgiving, "mangoes", "ar") == ["mangoes-en"]
    # When the learner's own version matches too, it is the one shown.
    assert found(forgiving, "mangwaro", "ha") == ["mangoes-ha"]


def test_a_typo_in_a_short_query_is_forgiven(forgiving):
    assert found(forgiving, "mnago") == []                   # no word matches as typed ...
    fixed = search_suggest.corrected(forgiving, "mnago")
    assert fixed and found(forgiving, fixed) == ["mangoes-en"]  # ... its nearest word does
    assert "mango" in search_suggest.suggestions(forgiving, "mnago")
    assert search_suggest.corrected(forgiving, "zzzzqqq") is None
    assert search_suggest.corrected(forgiving, "xq") is None   # too short to guess


@pytest.mark.parametrize("written, typed", [
    ("ɗaki", "daki"), ("ƙasa", "kasa"), ("ɓera", "bera"), ("ƴaƴa", "yaya"),
    ("ሠላም", "ሰላም"), ("ሐሳብ", "ሀሳብ"), ("ዐይን", "አይን"), ("ፀሐይ", "ጸሀይ"),
    ("সময়", "সময\u09bc"), ("উৎসব", "উত\u09cd\u200cসব"), ("ক\u09c7\u09be", "কো"),
    ("ಕೊ", "ಕ\u0cc6\u0cc2"), ("ಫ಼", "ಫ"),
])
def test_the_new_scripts_fold_to_one_spelling(written, typed):
    assert text.fold(written) == text.fold(typed)
    assert text.fold_answer(written) == text.fold_answer(typed)


def test_an_upgraded_hub_rebuilds_its_index_once_at_start(app_config, forgiving):
    from hub import create_app
    from hub.catalog import search
    from hub.core import settings

    db = forgiving
    with db.atomic():  # an index built before word forms: no rows know "mango" or "hesabu"
        db.execute("DELETE FROM resource_search")
        db.execute("DELETE FROM resource_text")
        settings.set(db, "search_index_version", 1)
    assert found(db, "mangos") == []
    create_app(app_config)                       # the next start of the hub
    assert found(db, "mangos") == ["mangoes-en"]
    assert found(db, "hesabu", "sw") == ["mangoes-sw"]
    assert settings.get(db, "search_index_version") == search.INDEX_VERSION
