"""The search page's cards (hub.web.search_cards) are the resource_item macro's, card for card."""
from __future__ import annotations

import pytest
from flask import render_template_string

from hub.catalog import store as catalog
from hub.web import search_cards
from hub.web.views.learn import KIND_NAMES, language_name
from tests.catalog.test_search_forgives import PACK, forgiving  # noqa: F401 - the fixture

MACRO = ('{% from "learn/_macros.html" import resource_item with context %}'
         '{% for res in results %}{{ resource_item(res, titles.get(res.pack_id)) }}{% endfor %}')


def odd_results(results: list[dict]) -> list[dict]:
    """The found cards and what a card must survive: markup in text, long text, a picture,
    a ZIM article, an id a route must quote, a kind the hub has no name for."""
    first = dict(results[0])
    return results + [
        dict(first, id="x<1>", title='<script>alert("t")</script> & co',
             description="<b>" + "long words " * 40, language="fr-CA"),
        dict(first, id="picture one", kind="image", file="img/a b.png", sha256="ab" * 32,
             description=""),
        dict(first, id="zim-1", source="zim", url="/zim/p/A/Water?x=1&y=2", kind="zim"),
        dict(first, id="odd", kind="hologram", language="", description=None),
    ]


@pytest.mark.parametrize("locale", ["en", "ar", "kn", "am", "fr"])
def test_the_cards_are_the_macros_cards(app, forgiving, locale):
    with app.test_request_context("/search", headers={"Cookie": f"hub_lang={locale}"}):
        app.preprocess_request()
        results = odd_results(catalog.search(forgiving, "", lang=locale, limit=50)
                              + catalog.search(forgiving, "mango", lang=locale, limit=50))
        titles = {PACK: 'Mangoes <i>&</i> "more"'}
        expected = render_template_string(MACRO, results=results, titles=titles)
        made = search_cards.cards(results, titles, KIND_NAMES, locale, language_name)
        assert "".join(made) == expected
        assert "<script>" not in expected and "&lt;script&gt;" in expected
        if locale != "fr":
            assert "other-language" in expected  # the fr-CA card says so in the page's language


def test_the_search_page_shows_the_cards(client, forgiving):
    client.set_cookie("hub_lang", "ar")
    html = client.get("/search", query_string={"q": "مانجو"}).get_data(as_text=True)
    assert f'href="/packs/{PACK}/mangoes-ar"' in html and 'lang="ar" dir="rtl"' in html
    assert '<strong class="resource-title">' in html


@pytest.mark.parametrize("base", ["http://hub.local/", "http://hub.local/behind/a/proxy/"])
def test_a_resource_address_is_what_the_route_makes(app, base):
    from flask import url_for

    from hub.web.views.api import resource_address

    with app.test_request_context("/api/v1/resources", base_url=base):
        for pack_id, rid in (("org.test.p", "a1-en"), ("p", "x<1>"), ("p", "a b"), ("p", ".."),
                             ("p", "ü"), ("org.p", "a/b"), ("p", "%41")):
            assert resource_address({"pack_id": pack_id, "id": rid}) == url_for(
                "learn.resource", pack_id=pack_id, resource_id=rid)


def test_a_new_or_hidden_pack_shows_on_the_next_search_page(client, forgiving, tmp_path):
    from tests.catalog.test_catalog_support import install

    html = client.get("/search", query_string={"q": "zzzqqq"}).get_data(as_text=True)
    assert f'href="/packs/{PACK}"' in html and 'value="fr"' not in html
    install(forgiving, tmp_path / "second", pack_id="org.test.second",
            title={"en": "Second pack"}, languages=["fr"])
    html = client.get("/search", query_string={"q": "zzzqqq"}).get_data(as_text=True)
    assert "Second pack" in html and 'value="fr"' in html
    catalog.set_enabled(forgiving, "org.test.second", False)
    html = client.get("/search", query_string={"q": "zzzqqq"}).get_data(as_text=True)
    assert "Second pack" not in html


@pytest.mark.parametrize("query", ['"', "*", "NEAR(", "AND", "OR NOT", "mango*", '"mango',
                                   "x" * 500, " ".join(["mango"] * 40), "(mango", "^mango",
                                   "mango\x00", "ማንጎ", "مانجو", "আম"])
def test_hostile_and_long_queries_never_fail_on_the_page_or_the_api(client, forgiving, query,
                                                                     monkeypatch):
    from hub.catalog import search, search_best

    monkeypatch.setattr(search_best, "MIN_DOCS", 1)  # every word kept: both paths asked
    search.warm_best(forgiving)
    assert client.get("/search", query_string={"q": query}).status_code == 200
    answer = client.get("/api/v1/resources", query_string={"q": query})
    assert answer.status_code == 200 and isinstance(answer.get_json()["resources"], list)
