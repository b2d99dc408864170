"""Translations fixed on the hub: a facilitator's edits kept in the data folder, over the shipped catalog.

The shipped catalogs live in translations/<locale>/LC_MESSAGES/messages.po (and .mo). An edit
made on the translator's page goes to HUB_DATA_DIR/translations/<locale>/LC_MESSAGES/
messages.po, which holds only the edited strings, and is compiled next to it as messages.mo;
the hub loads that folder after the shipped one, so an edited string wins (hub.web.i18n) and a
hub upgrade still brings the shipped fixes of every string nobody edited here. `hub
translations export` writes the whole catalog, shipped strings with the edits in, to send back.
"""
from __future__ import annotations

import io
import re
import threading
from pathlib import Path

# babel.messages is imported where it is used: most hubs never edit a string, and an idle
# hub need not hold the .po machinery.

from hub.core.config import ROOT
from hub.core.i18n import LOCALES

SHIPPED = ROOT / "translations"
SUBDIR = "translations"
MAX_TEXT = 2000  # characters in one translated string; longer is a paste by mistake
# Placeholders a translation must keep: %(name)s, %(num)d, %s.
_PLACEHOLDER = re.compile(r"%(?:\([A-Za-z_][A-Za-z0-9_]*\))?[sdif%]")
_LOCK = threading.Lock()  # two facilitators saving at once must not lose an edit


class TranslationError(ValueError):
    """An edit the hub refuses; `why` says what to change, `msgid` which string."""

    def __init__(self, why: str, msgid: str = ""):
        super().__init__(why)
        self.why, self.msgid = why, msgid


def editable_locales() -> list[str]:
    """The locales a translator may edit (every shipped one but the source language)."""
    return [code for code in LOCALES if code != "en"]


def folder(data_dir) -> Path:
    """Where the hub keeps edited catalogs (one per locale)."""
    return Path(data_dir) / SUBDIR


def _po_path(base: Path, locale: str) -> Path:
    return base / locale / "LC_MESSAGES" / "messages.po"


# Parsed shipped catalogs by (path, mtime, size): the overview reads ten catalogs of ~1,500
# strings, 1.5 s a request without it. Callers never change a catalog they get from here.
# Edited catalogs are small and always read afresh (two quick saves may share an mtime).
_PARSED: dict[tuple, Catalog] = {}


def _read(path: Path, locale: str, *, fresh: bool = False) -> Catalog:
    from babel.messages.catalog import Catalog
    from babel.messages.pofile import read_po

    if not path.is_file():
        return Catalog(locale=locale)
    stat = path.stat()
    key = (str(path), stat.st_mtime_ns, stat.st_size)
    fresh = fresh or SHIPPED not in path.parents
    if not fresh and key in _PARSED:
        return _PARSED[key]
    with open(path, "rb") as handle:
        catalog = read_po(handle, locale=locale)
    if not fresh:
        if len(_PARSED) >= 64:
            _PARSED.clear()
        _PARSED[key] = catalog
    return catalog


def _check_locale(locale: str) -> None:
    if locale not in editable_locales():
        raise TranslationError("unknown locale")


def entries(data_dir, locale: str) -> list[dict]:
    """Every string of a locale beside English: missing first, then fuzzy, then the rest.

    Each entry: {"id": msgid (a str, or the singular of a plural), "plural": the English
    plural or None, "english": [singular, plural?], "text": [translations], "state":
    "missing" | "fuzzy" | "edited" | "done", "context": source places}.
    """
    _check_locale(locale)
    shipped = _read(_po_path(SHIPPED, locale), locale)
    edited = _read(_po_path(folder(data_dir), locale), locale)
    found = []
    for message in shipped:
        if not message.id:
            continue  # the header
        override = edited.get(message.id)
        source = override if override is not None else message
        texts = list(source.string) if isinstance(source.string, (list, tuple)) else [source.string]
        if override is not None:
            state = "edited"
        elif not any(texts) or not all(texts):
            state = "missing"
        elif message.fuzzy:
            state = "fuzzy"
        else:
            state = "done"
        plural = isinstance(message.id, (list, tuple))
        found.append({"id": message.id[0] if plural else message.id,
                      "plural": message.id[1] if plural else None,
                      "english": list(message.id) if plural else [message.id],
                      "text": texts, "state": state,
                      "context": ", ".join(f"{name}:{line}" for name, line in message.locations[:2])})
    order = {"missing": 0, "fuzzy": 1, "edited": 2, "done": 3}
    found.sort(key=lambda entry: order[entry["state"]])
    return found


def plural_count(locale: str) -> int:
    """How many plural forms the locale has (from CLDR through Babel)."""
    from babel.messages.catalog import Catalog

    return Catalog(locale=locale).num_plurals


def _check_placeholders(english: list[str], texts: list[str], msgid: str) -> None:
    wanted = set(_PLACEHOLDER.findall(english[-1])) | set(_PLACEHOLDER.findall(english[0]))
    for text in texts:
        have = set(_PLACEHOLDER.findall(text))
        if have - wanted:
            raise TranslationError("placeholder not in English", msgid)
        named = {p for p in wanted if p.startswith("%(") and p != "%(num)s" and p != "%(num)d"}
        if named - have:
            raise TranslationError("placeholder missing", msgid)


def save(data_dir, locale: str, msgid: str, texts: list[str]) -> None:
    """Store one edited string for a locale and recompile the hub's edited catalog.

    Refuses (TranslationError, nothing written) an unknown locale or string, an empty or too
    long text, a wrong number of plural forms, and placeholders that differ from English.
    """
    _check_locale(locale)
    shipped = _read(_po_path(SHIPPED, locale), locale)
    message = shipped.get(msgid) or next(
        (m for m in shipped if isinstance(m.id, (list, tuple)) and m.id[0] == msgid), None)
    if message is None or not msgid:
        raise TranslationError("unknown string", msgid)
    texts = [" ".join(text.split()) if "\n" not in text else text.strip() for text in texts]
    plural = isinstance(message.id, (list, tuple))
    if plural and len(texts) != plural_count(locale):
        raise TranslationError("plural forms", msgid)
    if not plural and len(texts) != 1:
        raise TranslationError("plural forms", msgid)
    if not all(texts) or any(len(text) > MAX_TEXT for text in texts):
        raise TranslationError("empty or too long", msgid)
    english = " ".join(message.id) if plural else message.id
    # Templates show a translation as markup (Jinja's i18n marks it safe): no tag may come in
    # through this page, so < and > are refused unless the English has them.
    if any(sign in text and sign not in english for text in texts for sign in "<>"):
        raise TranslationError("markup", msgid)
    _check_placeholders(list(message.id) if plural else [message.id], texts, msgid)
    path = _po_path(folder(data_dir), locale)
    with _LOCK:
        edited = _read(path, locale, fresh=True)
        edited.add(message.id, tuple(texts) if plural else texts[0],
                   locations=message.locations, flags=set(message.flags) - {"fuzzy"})
        _write(edited, path)


def _write(catalog: Catalog, path: Path) -> None:
    """Write the .po and its compiled .mo, each through a temporary file then a rename."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import write_po

    path.parent.mkdir(parents=True, exist_ok=True)
    for target, writer in ((path, write_po), (path.with_suffix(".mo"), write_mo)):
        buffer = io.BytesIO()
        if writer is write_po:
            writer(buffer, catalog, width=100)
        else:
            writer(buffer, catalog)
        temporary = target.with_suffix(target.suffix + ".tmp")
        temporary.write_bytes(buffer.getvalue())
        temporary.replace(target)


def edited_count(data_dir, locale: str) -> int:
    """How many strings of a locale were edited on this hub."""
    return sum(1 for message in _read(_po_path(folder(data_dir), locale), locale) if message.id)


def export(data_dir, locale: str) -> bytes:
    """The locale's whole catalog as a .po: shipped strings with this hub's edits in."""
    from babel.messages.pofile import write_po

    _check_locale(locale)
    shipped = _read(_po_path(SHIPPED, locale), locale, fresh=True)  # changed below
    for message in _read(_po_path(folder(data_dir), locale), locale):
        if message.id and shipped.get(message.id) is not None:
            target = shipped.get(message.id)
            target.string = message.string
            target.flags.discard("fuzzy")
    buffer = io.BytesIO()
    write_po(buffer, shipped, width=100)
    return buffer.getvalue()
