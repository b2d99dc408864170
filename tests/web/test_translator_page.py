"""The translator's page: a facilitator fixes a word, it shows on the next page load, survives a
restart of the hub, and `hub translations export` writes it out (issue 23)."""
from __future__ import annotations

import pytest
from babel.messages.pofile import read_po

from hub.core import translation_edits
from tests.helpers import HubProcess, http
from tests.web.test_facilitator_support import (_fresh_login_limits, make_account, post,  # noqa: F401
                                            sign_in)

FIXED = "ಹುಡುಕಿ ನೋಡು"  # "Search" in Kannada, said another way


@pytest.fixture
def facilitator(client, db):
    make_account(db)
    sign_in(client)
    return client


def learner_page(client, locale="kn"):
    client.set_cookie("hub_lang", locale)
    return client.get("/").get_data(as_text=True)


def test_a_locale_shows_every_string_beside_english_missing_and_fuzzy_first(facilitator, data_dir):
    html = facilitator.get("/facilitator/translations").get_data(as_text=True)
    for code in ("kn", "bn", "ha", "am", "ar", "sw"):
        assert f'href="/facilitator/translations/{code}"' in html
    page = facilitator.get("/facilitator/translations/kn?q=Search")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert '<span class="english" lang="en" dir="ltr">Search</span>' in html
    assert 'lang="kn" dir="ltr" required>ಹುಡುಕು</textarea>' in html
    entries = translation_edits.entries(data_dir, "kn")
    order = {"missing": 0, "fuzzy": 1, "edited": 2, "done": 3}
    ranks = [order[e["state"]] for e in entries]
    assert ranks == sorted(ranks) and len(entries) > 300
    arabic = facilitator.get("/facilitator/translations/ar?q=Search").get_data(as_text=True)
    assert 'lang="ar" dir="rtl"' in arabic


def test_an_edit_shows_on_the_next_page_load_and_survives_a_restart(facilitator, data_dir,
                                                                    tmp_path):
    assert "ಹುಡುಕು<" in learner_page(facilitator)
    saved = post(facilitator, "/facilitator/translations/kn", {"msgid": "Search", "text": FIXED})
    assert saved.status_code == 303
    assert f">{FIXED}</button>" in learner_page(facilitator)   # the very next page
    assert f">{FIXED}</button>" not in learner_page(facilitator, "en")
    listed = facilitator.get("/facilitator/translations/kn?q=Search").get_data(as_text=True)
    assert "Fixed on this hub" in listed or FIXED in listed
    # A restart: a real `hub serve` on the same data folder loads the edit from disk.
    with HubProcess(data_dir) as hub:
        status, _headers, body = http("GET", hub.url + "/", headers={"Cookie": "hub_lang=kn"})
        assert status == 200 and f">{FIXED}</button>".encode() in body


def test_plural_forms_are_edited_together(facilitator, data_dir, app):
    count = translation_edits.plural_count("ar")
    assert count == 6  # CLDR, through Babel
    texts = [f"%(num)s نتيجة {i}" for i in range(count)]
    saved = post(facilitator, "/facilitator/translations/ar",
                 {"msgid": "%(num)s result", "text": texts})
    assert saved.status_code == 303
    from flask_babel import force_locale, ngettext

    with app.test_request_context():
        with force_locale("ar"):  # the Arabic rule picks the form: 2 is the dual, 11 "many"
            assert ngettext("%(num)s result", "%(num)s results", 2) == "2 نتيجة 2"
            assert ngettext("%(num)s result", "%(num)s results", 11) == "11 نتيجة 4"
        with force_locale("kn"):  # a language without edits keeps its own rule (0 is "one")
            assert ngettext("%(num)d learner", "%(num)d learners", 0) == "0 ಕಲಿಕಾರ್ಥಿ"


@pytest.mark.parametrize("form", [
    {"msgid": "Signed in as %(name)s.", "text": "Umeingia."},         # a placeholder dropped
    {"msgid": "Search", "text": "%(evil)s"},                           # one English does not have
    {"msgid": "Search", "text": "   "},                                # empty
    {"msgid": "Search", "text": "<a href=//evil.example>Search</a>"},  # markup
    {"msgid": "Search", "text": "x" * 2001},                           # too long
    {"msgid": "No such string anywhere", "text": "x"},                 # unknown string
    {"msgid": "%(num)s result", "text": "one form only"},              # plural forms missing
])
def test_bad_edits_are_refused_in_plain_words_and_change_nothing(facilitator, data_dir, form):
    answer = post(facilitator, "/facilitator/translations/sw", form)
    assert answer.status_code == 400
    assert 'class="flash error"' in answer.get_data(as_text=True)
    assert translation_edits.edited_count(data_dir, "sw") == 0


def test_strangers_cannot_edit_and_unknown_locales_are_404(client, facilitator, app):
    assert facilitator.get("/facilitator/translations/xx").status_code == 404
    assert post(facilitator, "/facilitator/translations/en", {"msgid": "Search",
                                                               "text": "x"}).status_code == 404
    stranger = app.test_client()
    assert stranger.get("/facilitator/translations/kn").status_code == 302
    assert post(stranger, "/facilitator/translations/kn",
                {"msgid": "Search", "text": "x"}).status_code in (302, 403)


def test_export_writes_the_whole_catalog_with_the_edit(facilitator, data_dir, runner, tmp_path):
    post(facilitator, "/facilitator/translations/kn", {"msgid": "Search", "text": FIXED})
    out = tmp_path / "export"
    result = runner.invoke(["translations", "export", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "1 string edited" in result.output
    with open(out / "kn" / "LC_MESSAGES" / "messages.po", "rb") as handle:
        catalog = read_po(handle)
    assert catalog.get("Search").string == FIXED
    assert len(catalog) > 300                        # the whole catalog, not only the edit
    assert catalog.get("Home").string                # untouched strings stay translated
    refused = runner.invoke(["translations", "export", "--locale", "xx", "--out", str(out)])
    assert refused.exit_code != 0
