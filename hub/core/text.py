"""The hub's one text normalizer: what a learner types matches what an author wrote.

Used for the search index and its queries (hub.catalog.search) and for typed exercise answers
(hub.learning.exercises), so both fold letters the same way: compatibility forms unified
(ＴＥＮ = TEN), Latin accents folded (é = e), Arabic harakat, Quranic marks and tatweel
dropped, alef forms unified (أ إ آ ٱ = ا), ى = ي, ة = ه, ؤ = و, ئ = ي. Devanagari is kept
whole: its signs carry meaning.
"""
from __future__ import annotations

import re
import unicodedata

# Arabic: harakat, superscript alef, Quranic marks -> removed; tatweel -> removed.
_ARABIC_MARKS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")
_ARABIC_FOLD = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ة": "ه",
                              "ؤ": "و", "ئ": "ي"})
_LATIN_MARKS = re.compile("[\u0300-\u036f]")  # combining accents once decomposed


def fold(text: str) -> str:
    """Fold text for matching: compatibility forms, accents, Arabic marks and letter forms."""
    if not text:
        return ""
    text = _LATIN_MARKS.sub("", unicodedata.normalize("NFKD", text))
    text = unicodedata.normalize("NFC", text)
    return _ARABIC_MARKS.sub("", text).translate(_ARABIC_FOLD)


def fold_answer(text: str) -> str:
    """A typed answer folded for comparison: `fold`, case ignored, spaces tidied."""
    return " ".join(fold(text.casefold()).split())
