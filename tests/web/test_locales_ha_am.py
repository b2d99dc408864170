"""Hausa and Amharic: pages in their words, numbers, dates and plurals the way each writes them."""
import datetime
import re

import pytest
from flask_babel import force_locale, format_date, format_decimal, ngettext

from hub.core import i18n


def test_both_are_offered_by_their_own_names(client):
    html = client.get("/").get_data(as_text=True)
    assert '<a href="/language/ha?next=/" lang="ha">Hausa</a>' in html
    assert '<a href="/language/am?next=/" lang="am">አማርኛ</a>' in html
    assert i18n.text_direction("ha") == i18n.text_direction("am") == "ltr"


@pytest.mark.parametrize("code, words", [
    ("ha", ["Gida", "Nema", "Canza harshe"]),            # Home, Search, Change language
    ("am", ["መነሻ", "ፍለጋ", "ቋንቋ መቀየር"]),
])
def test_the_start_page_speaks_the_language(client, code, words):
    client.get(f"/language/{code}?next=/")
    html = client.get("/").get_data(as_text=True)
    assert f'<html lang="{code}" dir="ltr">' in html
    for word in words:
        assert word in html
    assert "Change language" not in html


@pytest.mark.parametrize("code, nothing", [
    ("ha", "Ba a sami komai ba. Gwada wata kalma."),
    ("am", "ምንም አልተገኘም። ሌላ ቃል ሞክሩ።"),
])
def test_a_search_that_finds_nothing_says_so_in_the_language(client, code, nothing):
    client.set_cookie("hub_lang", code)
    html = client.get("/search?q=zzzqqq").get_data(as_text=True)
    assert nothing in html


def test_hausa_letters_are_the_hooked_ones_and_the_glottal_stop_is_modifier_apostrophe(app):
    with app.test_request_context(), force_locale("ha"):
        from flask_babel import gettext

        assert gettext("Learners") == "Ɗalibai"
        assert gettext("Our community") == "Alʼummarmu"        # U+02BC, not a quote mark
        assert "'" not in gettext("No, keep")


def test_numbers_dates_and_plurals_follow_cldr(app):
    day = datetime.date(2026, 1, 5)
    with app.test_request_context():
        with force_locale("ha"):
            assert format_decimal(1234.5) == "1,234.5"
            assert format_date(day, "long") == "5 Janairu, 2026"
            assert ngettext("%(num)d learner", "%(num)d learners", 1) == "ɗalibi 1"
            assert ngettext("%(num)d learner", "%(num)d learners", 0) == "ɗalibai 0"
            assert ngettext("%(num)d learner", "%(num)d learners", 3) == "ɗalibai 3"
        with force_locale("am"):
            assert format_decimal(1234.5) == "1,234.5"
            assert re.fullmatch(r"5 ጃንዋሪ 2026", format_date(day, "long"))
            # Amharic, like French, counts zero with one ("one": i = 0 or n = 1).
            assert ngettext("%(num)d learner", "%(num)d learners", 0) == "0 ተማሪ"
            assert ngettext("%(num)d learner", "%(num)d learners", 1) == "1 ተማሪ"
            assert ngettext("%(num)d learner", "%(num)d learners", 2) == "2 ተማሪዎች"
