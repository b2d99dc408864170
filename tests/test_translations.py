"""Catalogs: every string in the code is translated in every shipped locale, and compiles."""
from io import BytesIO

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from hub.core.i18n import LOCALES
from tests.helpers import ROOT

KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "lazy_gettext": None, "_l": None}
METHOD_MAP = [
    ("hub/**.py", "python"), ("sync/**.py", "python"),
    ("hub/templates/**.html", "jinja2"), ("sync/central/templates/**.html", "jinja2"),
]


@pytest.fixture(scope="module")
def source_msgids():
    found = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
            str(ROOT), METHOD_MAP, keywords=KEYWORDS):
        found.add(message[0] if isinstance(message, (tuple, list)) else message)
    assert found, "no strings extracted: is babel's jinja2 extractor available?"
    return found


def _catalog(locale):
    path = ROOT / "translations" / locale / "LC_MESSAGES" / "messages.po"
    assert path.exists(), f"missing catalog {path}"
    with path.open("rb") as handle:
        return read_po(handle, locale=locale)


@pytest.mark.parametrize("locale", sorted(LOCALES))
def test_every_string_is_translated(locale, source_msgids):
    catalog = _catalog(locale)
    missing = []
    for msgid in sorted(source_msgids):
        message = catalog.get(msgid)
        if message is None:
            missing.append(msgid)
        elif locale != "en":
            strings = message.string if isinstance(message.string, (tuple, list)) else [message.string]
            if not all(strings) or message.fuzzy:
                missing.append(msgid)
    assert not missing, (f"{len(missing)} strings untranslated in {locale} "
                         f"(run `make update`, then translate): {missing[:10]}")


@pytest.mark.parametrize("locale", sorted(LOCALES))
def test_catalog_compiles_and_placeholders_match(locale):
    catalog = _catalog(locale)
    problems = [f"{message.id}: {error}" for message, errors in catalog.check() for error in errors]
    assert not problems, problems[:10]
    write_mo(BytesIO(), catalog)
