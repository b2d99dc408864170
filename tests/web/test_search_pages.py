"""The search page forgives: plurals, Arabic without its article, Kiswahili prefixes, typos,
other scripts; a search that finds nothing offers near words and packs (issues 18 and 23)."""
from __future__ import annotations

import pytest

from tests.catalog.test_search_forgives import PACK, forgiving  # noqa: F401 - the fixture


def search(client, query, locale="en"):
    client.set_cookie("hub_lang", locale)
    answer = client.get("/search", query_string={"q": query})
    assert answer.status_code == 200
    return answer.get_data(as_text=True)


def link(rid):
    return f'href="/packs/{PACK}/{rid}"'


@pytest.mark.parametrize("query, locale, expected", [
    ("mangos", "en", "mangoes-en"),
    ("مانجو", "ar", "mangoes-ar"),
    ("hesabu", "sw", "mangoes-sw"),
    ("ಎಣಿಸು", "kn", "mangoes-kn"),
    ("আম", "bn", "mangoes-bn"),
    ("ማንጎዎችን", "am", "mangoes-am"),
    ("kidaya", "ha", "mangoes-ha"),
])
def test_stemmed_prefixed_and_folded_queries_find_their_resource(client, forgiving, query,
                                                                 locale, expected):
    html = search(client, query, locale)
    assert link(expected) in html
    assert f'lang="{expected.split("-")[1]}"' in html


def test_an_arabic_query_on_an_english_page_shows_the_arabic_version(client, forgiving):
    html = search(client, "مانجو", "en")
    assert link("mangoes-ar") in html and link("mangoes-en") not in html
    assert '<html lang="en" dir="ltr">' in html
    assert 'lang="ar" dir="rtl"' in html       # the card itself reads right to left


def test_a_typo_shows_what_the_nearest_word_finds(client, forgiving):
    html = search(client, "mnago")
    assert link("mangoes-en") in html
    assert "Showing results for “mango”." in html


def test_an_empty_search_offers_words_and_packs(client, forgiving):
    html = search(client, "zzzqqq")
    assert "Nothing found. Try another word." in html
    assert "Or look through a pack" in html and f'href="/packs/{PACK}"' in html
    html = search(client, "mangoez basketz kitchen")  # long: no guessing, but packs offered
    assert f'href="/packs/{PACK}"' in html or link("mangoes-en") in html


def test_the_offer_is_in_the_childs_language(client, forgiving):
    html = search(client, "zzzqqq", "kn")
    assert "ಅಥವಾ ಒಂದು ಪ್ಯಾಕ್ ನೋಡು" in html and f'href="/packs/{PACK}"' in html


def test_near_words_are_offered_when_no_guess_finds_everything(client, forgiving):
    html = search(client, "mnago zzzqqq")
    assert "Did you mean:" in html and 'href="/search?q=mango"' in html
