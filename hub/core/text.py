"""The hub's one text normalizer: what a learner types matches what an author wrote.

Used for the search index and its queries (hub.catalog.search) and for typed exercise answers
(hub.learning.exercises), so both fold letters the same way: compatibility forms unified
(ＴＥＮ = TEN), Latin accents folded (é = e), Arabic harakat, Quranic marks and tatweel
dropped, alef forms unified (أ إ آ ٱ = ا), ى = ي, ة = ه, ؤ = و, ئ = ي. Devanagari is kept
whole: its signs carry meaning. Bengali and Kannada: vowel signs composed the one canonical
way (NFC), nukta and the invisible joiners (ZWJ, ZWNJ) dropped, ৎ = ত্. Ethiopic: letters that
sound alike and are spelled either way unified (ሐ ኀ = ሀ, ሠ = ሰ, ዐ = አ, ፀ = ጸ, ሃ = ሀ, ኣ = አ).
Hausa: hooked letters match their plain ones (ɓ = b, ɗ = d, ƙ = k, ƴ = y), so a phone
keyboard without them still finds what an author wrote.
"""
from __future__ import annotations

import re
import unicodedata

# Arabic: harakat, superscript alef, Quranic marks -> removed; tatweel -> removed.
_ARABIC_MARKS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")
_ARABIC_FOLD = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ة": "ه",
                              "ؤ": "و", "ئ": "ي"})
_LATIN_MARKS = re.compile("[\u0300-\u036f]")  # combining accents once decomposed
# Bengali and Kannada nukta, and the zero-width joiners that shape conjuncts but are often
# missing (or extra) in what a learner types; the joiners would otherwise split a word.
_INDIC_INVISIBLE = re.compile("[\u09bc\u0cbc\u200c\u200d]")
_HAUSA_FOLD = {"ɓ": "b", "Ɓ": "B", "ɗ": "d", "Ɗ": "D", "ƙ": "k", "Ƙ": "K", "ƴ": "y", "Ƴ": "Y",
               "\u02bc": "", "ৎ": "ত্"}


def _ethiopic_rows() -> dict[str, str]:
    """Ethiopic homophone rows (8 letters each: the seven vowel orders and one more) unified."""
    table = {}
    for source, target in ((0x1210, 0x1200), (0x1280, 0x1200), (0x1220, 0x1230),
                           (0x12D0, 0x12A0), (0x1340, 0x1338)):
        for order in range(7):
            table[chr(source + order)] = chr(target + order)
    # ሃ and ኣ (the fourth order) are said and spelled like ሀ and አ in Amharic.
    table.update({"ሃ": "ሀ", "ሓ": "ሀ", "ኃ": "ሀ", "ኣ": "አ", "ዓ": "አ"})
    return table


_SCRIPT_TABLE = {**_HAUSA_FOLD, **_ethiopic_rows()}
_SCRIPT_FOLD = str.maketrans(_SCRIPT_TABLE)
# str.translate looks every character up: first ask (in C) whether any needs it.
_NEEDS_ARABIC = re.compile("[أإآٱىةؤئ]")
_NEEDS_SCRIPT = re.compile("[" + re.escape("".join(_SCRIPT_TABLE)) + "]")


def fold(text: str) -> str:
    """Fold text for matching: compatibility forms, accents, Arabic marks and letter forms."""
    if not text:
        return ""
    text = _LATIN_MARKS.sub("", unicodedata.normalize("NFKD", text))
    text = _ARABIC_MARKS.sub("", unicodedata.normalize("NFC", _INDIC_INVISIBLE.sub("", text)))
    if _NEEDS_ARABIC.search(text):
        text = text.translate(_ARABIC_FOLD)
    if _NEEDS_SCRIPT.search(text):
        text = text.translate(_SCRIPT_FOLD)
    return text


def fold_answer(text: str) -> str:
    """A typed answer folded for comparison: `fold`, case ignored, spaces tidied."""
    return " ".join(fold(text.casefold()).split())
