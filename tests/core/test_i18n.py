"""Languages: the right one is chosen, pages mirror for Arabic, content falls back sensibly."""
import re

from werkzeug.datastructures import LanguageAccept

from hub.core import i18n


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
        session["learner_id"], session["learner_actor"] = asha["id"], asha["actor"]
    client.set_cookie("hub_lang", "fr")
    assert 'lang="sw"' in _html_tag(client.get("/", headers={"Accept-Language": "hi"}))
    client.get("/language/ar?next=/")
    assert '<html lang="ar" dir="rtl">' == _html_tag(client.get("/"))
    assert learners.get_learner(db, asha["id"])["language"] == "ar"  # kept for the next visit
