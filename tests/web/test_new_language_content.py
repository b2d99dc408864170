"""A child who reads Kannada, Bengali, Hausa or Amharic finds something to do in every bundled
pack, and finds it by searching in their own script (issue 23)."""
from __future__ import annotations

import pytest

from hub import create_app
from tests.helpers import ROOT


@pytest.fixture(scope="module")
def hub_client(tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("bundled") / "data"
    data_dir.mkdir()
    app = create_app({"HUB_DATA_DIR": str(data_dir), "HUB_PACKS_SOURCE": str(ROOT / "content_packs"),
                      "HUB_MDNS": False, "TESTING": True})
    return app.test_client()


def page(client, url, locale):
    client.set_cookie("hub_lang", locale)
    answer = client.get(url)
    assert answer.status_code == 200
    return answer.get_data(as_text=True)


@pytest.mark.parametrize("locale", ["kn", "bn", "ha", "am"])
@pytest.mark.parametrize("pack, article, exercise", [
    ("org.communityhub.numbers", "count-to-ten", "counting-quiz"),
    ("org.communityhub.reading", "story-seeds", "seeds-quiz"),
    ("org.communityhub.wellbeing", "feelings", "feelings-quiz"),
])
def test_every_pack_has_an_article_and_an_exercise_in_the_language(hub_client, locale, pack,
                                                                   article, exercise):
    html = page(hub_client, f"/packs/{pack}", locale)
    assert f'<html lang="{locale}" dir="ltr">' in html
    for rid in (article, exercise):
        assert f'href="/packs/{pack}/{rid}-{locale}"' in html
    story = page(hub_client, f"/packs/{pack}/{article}-{locale}", locale)
    assert f'lang="{locale}"' in story


@pytest.mark.parametrize("locale, query, expected", [
    ("kn", "ಎಣಿಕೆ", "count-to-ten-kn"),
    ("bn", "বীজ", "story-seeds-bn"),
    ("ha", "kidaya", "count-to-ten-ha"),       # typed without the hooked ƙ
    ("am", "ስሜቶች", "feelings-am"),
    ("en", "ಬೀಜಗಳು", "story-seeds-kn"),        # a Kannada word on an English page
    ("en", "المانجو", "count-the-mangoes-ar"),  # an Arabic word on an English page
])
def test_searching_in_the_childs_script_finds_the_bundled_content(hub_client, locale, query,
                                                                  expected):
    html = page(hub_client, f"/search?q={query}", locale)
    assert f'/{expected}"' in html
