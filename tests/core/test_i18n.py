"""Languages: the right one is chosen, pages mirror for Arabic, content falls back sensibly."""
import re

import pytest
from werkzeug.datastructures import LanguageAccept

from hub.core import i18n
from tests.learning.test_learners_support import as_signed_in


def _html_tag(response):
    return re.search(r"<html [^>]*>", response.get_data(as_text=True)).group(0)


def test_arabic_page_is_right_to_left(client):
    client.set_cookie("hub_lang", "ar")
    tag = _html_tag(client.get("/"))
    assert 'lang="ar"' in tag and 'dir="rtl"' in tag


def test_swahili_page_says_sw(client):
    client.set_cookie("hub_lang", "sw")
    tag = _html_tag(client.get("/"))
    assert 'lang="sw"' in tag and 'dir="ltr"' in tag


# Written out, not read from RTL_LOCALES, so a locale added on the wrong side fails here.
RIGHT_TO_LEFT = {"ar"}


@pytest.mark.parametrize("code", sorted(i18n.LOCALES))
def test_every_locale_renders_with_its_lang_and_dir(client, code):
    client.set_cookie("hub_lang", code)
    expected = "rtl" if code in RIGHT_TO_LEFT else "ltr"
    assert _html_tag(client.get("/")) == f'<html lang="{code}" dir="{expected}">'


def test_switcher_sets_the_cookie_and_returns_to_the_page(client):
    response = client.get("/language/hi?next=/search?q=x")
    assert response.status_code == 302
    assert response.headers["Location"] == "/search?q=x"
    assert "hub_lang=hi" in response.headers["Set-Cookie"]
    assert 'lang="hi"' in _html_tag(client.get("/"))


def test_switcher_refuses_other_sites_and_unknown_languages(client):
    assert client.get("/language/fr?next=//evil.example/").headers["Location"] == "/"
    assert client.get("/language/fr?next=https://evil.example/").headers["Location"] == "/"
    assert client.get("/language/xx").status_code == 404


def test_every_page_offers_every_language(client):
    html = client.get("/").get_data(as_text=True)
    for code, name in i18n.LOCALES.items():
        assert f'/language/{code}?' in html and name in html


def test_accept_language_is_honoured(client):
    tag = _html_tag(client.get("/", headers={"Accept-Language": "fr-CA,fr;q=0.9,en;q=0.5"}))
    assert 'lang="fr"' in tag


def test_cookie_beats_accept_language(client):
    client.set_cookie("hub_lang", "es")
    tag = _html_tag(client.get("/", headers={"Accept-Language": "fr"}))
    assert 'lang="es"' in tag


def test_default_locale_when_nothing_decides(app_config):
    from hub import create_app

    client = create_app({**app_config, "HUB_DEFAULT_LOCALE": "pt"}).test_client()
    assert 'lang="pt"' in _html_tag(client.get("/", headers={"Accept-Language": "de"}))


def test_page_text_is_translated(client):
    client.set_cookie("hub_lang", "fr")
    html = client.get("/").get_data(as_text=True)
    assert "Accueil" in html  # "Home"


def test_choose_locale_order():
    accept = LanguageAccept([("sw-KE", 1)])
    assert i18n.choose_locale("ar", "fr", accept, "en") == "ar"
    assert i18n.choose_locale(None, "fr", accept, "en") == "fr"
    assert i18n.choose_locale(None, None, accept, "en") == "sw"
    assert i18n.choose_locale(None, "zz", LanguageAccept([("de", 1)]), "hi") == "hi"


def test_fallback_chain_exact_then_base_then_pack_order():
    assert i18n.fallback_chain("pt-BR", ["en", "pt", "pt-BR"]) == ["pt-BR", "pt", "en"]
    assert i18n.fallback_chain("pt-BR", ["en", "pt"]) == ["pt", "en"]
    assert i18n.fallback_chain("sw", ["fr", "ar", "en"]) == ["fr", "ar", "en"]


def test_pick_text():
    texts = {"en": "Numbers", "fr": "Les nombres"}
    assert i18n.pick_text(texts, "fr") == "Les nombres"
    assert i18n.pick_text(texts, "fr-CA") == "Les nombres"
    assert i18n.pick_text(texts, "sw", ["en"]) == "Numbers"
    assert i18n.pick_text("plain", "ar") == "plain"


def test_numbers_and_dates_go_through_babel(app):
    import datetime

    from flask_babel import force_locale, format_date, format_decimal

    with app.test_request_context():
        with force_locale("fr"):
            assert format_decimal(1234.5) == "1\u202f234,5"
        with force_locale("ar"):
            assert format_date(datetime.date(2026, 1, 5), "long") != "January 5, 2026"
        with force_locale("hi"):
            from flask_babel import ngettext

            assert ngettext("%(num)d minute", "%(num)d minutes", 1) != ""


def test_language_chosen_at_setup_is_the_default(client, db):
    from hub.core import settings

    settings.set(db, "default_locale", "sw")
    assert 'lang="sw"' in _html_tag(client.get("/", headers={"Accept-Language": "de"}))
    assert 'lang="fr"' in _html_tag(client.get("/", headers={"Accept-Language": "fr"}))


def test_a_signed_in_learners_language_comes_first_and_the_switcher_changes_it(client, db):
    from hub.learning import learners

    asha = learners.create_learner(db, "Asha", language="sw")
    with client.session_transaction() as session:
        as_signed_in(session, asha)
    client.set_cookie("hub_lang", "fr")
    assert 'lang="sw"' in _html_tag(client.get("/", headers={"Accept-Language": "hi"}))
    client.get("/language/ar?next=/")
    assert '<html lang="ar" dir="rtl">' == _html_tag(client.get("/"))
    assert learners.get_learner(db, asha["id"])["language"] == "ar"  # kept for the next visit


@pytest.mark.parametrize("code", sorted(i18n.LOCALES))
def test_every_shipped_language_renders_with_its_lang_and_dir(client, code):
    client.set_cookie("hub_lang", code)
    response = client.get("/")
    assert response.status_code == 200
    assert _html_tag(response) == f'<html lang="{code}" dir="{i18n.text_direction(code)}">'


@pytest.mark.parametrize("code, name, home, set_up", [
    ("kn", "ಕನ್ನಡ", "ಮುಖಪುಟ", "ನಿಮ್ಮ ಹಬ್ ಸಿದ್ಧಪಡಿಸಿ"),
    ("bn", "বাংলা", "প্রথম পাতা", "আপনার হাব সেট আপ করুন"),
])
def test_kannada_and_bengali_pages_speak_their_language(client, code, name, home, set_up):
    """A child sees their language by its own name and the page in it; so does a facilitator."""
    assert f'/language/{code}?' in client.get("/").get_data(as_text=True)
    assert name in client.get("/").get_data(as_text=True)
    client.set_cookie("hub_lang", code)
    assert home in client.get("/").get_data(as_text=True)
    setup = client.get("/setup")  # the first page a facilitator sees
    assert _html_tag(setup) == f'<html lang="{code}" dir="ltr">'
    assert set_up in setup.get_data(as_text=True)


def test_kannada_and_bengali_plurals_numbers_and_dates_follow_cldr(app):
    """CLDR: 0 and 1 take the 'one' form; Bengali groups digits the Indian way, Kannada does not."""
    import datetime

    from flask import render_template_string
    from flask_babel import force_locale, ngettext

    template = "{{ day|date('long') }} | {{ n|number }}"
    with app.test_request_context():
        with force_locale("kn"):
            assert [ngettext("%(num)d learner", "%(num)d learners", n) for n in (0, 1, 2)] == [
                "0 ಕಲಿಕಾರ್ಥಿ", "1 ಕಲಿಕಾರ್ಥಿ", "2 ಕಲಿಕಾರ್ಥಿಗಳು"]
            assert render_template_string(template, day=datetime.date(2026, 12, 7), n=1234567.5) == (
                "ಡಿಸೆಂಬರ್ 7, 2026 | 1,234,567.5")
        with force_locale("bn"):
            assert ngettext("%(num)s result", "%(num)s results", 5) == "5টি ফলাফল"
            assert render_template_string(template, day=datetime.date(2026, 12, 7), n=1234567.5) == (
                "7 ডিসেম্বর, 2026 | 12,34,567.5")


def test_a_number_typed_in_bengali_or_kannada_digits_is_understood():
    from hub.learning import exercises

    assert exercises.parse_number("১২") == 12  # Bengali twelve
    assert exercises.parse_number("೧೨") == 12  # Kannada twelve
