#!/usr/bin/env python3
"""Fill a locale's catalog from a JSON map {msgid: msgstr or [plural forms]}.

Translators who prefer a plain list to a .po editor write the JSON, then run:
    .venv/bin/python scripts/po_apply.py fr fr.json     # then: make compile
Only the given msgids change; fuzzy marks on them are cleared. Unknown msgids are reported.
It also prints the msgids still untranslated with --missing.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent


def catalog_path(locale: str) -> Path:
    """The .po file of a locale."""
    return ROOT / "translations" / locale / "LC_MESSAGES" / "messages.po"


def apply(locale: str, translations: dict) -> list[str]:
    """Write the translations into the locale's catalog; return msgids it does not contain."""
    path = catalog_path(locale)
    with path.open("rb") as handle:
        catalog = read_po(handle, locale=locale)
    unknown = []
    for msgid, msgstr in translations.items():
        key = msgid
        message = catalog.get(key)
        if message is None:
            unknown.append(msgid)
            continue
        message.string = tuple(msgstr) if isinstance(msgstr, list) else msgstr
        message.flags.discard("fuzzy")
    with path.open("wb") as handle:
        write_po(handle, catalog, width=100, omit_header=False, sort_output=True, no_location=True)
    return unknown


def missing(locale: str) -> list:
    """The msgids (singular, or (singular, plural)) not yet translated in a locale."""
    with catalog_path(locale).open("rb") as handle:
        catalog = read_po(handle, locale=locale)
    result = []
    for message in catalog:
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if not all(strings) or message.fuzzy:
            result.append(message.id)
    return result


def main(argv: list[str]) -> int:
    """Command line: LOCALE FILE.json | LOCALE --missing."""
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    locale, arg = argv
    if arg == "--missing":
        # A plural entry needs as many forms as the language has (fr 3, ar 6), not just two.
        with catalog_path(locale).open("rb") as handle:
            forms = read_po(handle, locale=locale).num_plurals
        print(json.dumps({(m if isinstance(m, str) else m[0]): ("" if isinstance(m, str) else [""] * forms)
                          for m in missing(locale)}, ensure_ascii=False, indent=1))
        return 0
    unknown = apply(locale, json.loads(Path(arg).read_text(encoding="utf-8")))
    for msgid in unknown:
        print(f"{arg}: not in the catalog: {msgid!r}", file=sys.stderr)
    return 1 if unknown else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
