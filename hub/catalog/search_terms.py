"""Word forms for search: stems, Arabic clitics, Kiswahili prefixes, so that search forgives.

A learner types "mangos" and the author wrote "mangoes"; "مانجو" and the title says "المانجو";
"hesabu" and the article says "kuhesabu". Indexed text gains, after its own words, the other
forms of each word (hub.catalog.search.index_rows); a query word matches any of its forms.

- Snowball stemmers (snowballstemmer, pure Python) for English, French, Spanish, Portuguese,
  Arabic and Hindi: for indexed text the resource's own language; for a query, every stemmer
  of the word's script, since a query does not say its language.
- Arabic: the article ال and the clitics و ف ب ك ل (and لل) stripped, then stemmed.
- Kiswahili: noun-class and verb prefixes stripped (ku-hesabu, ana-soma, wa-toto).
- Amharic: the prepositions written onto a word stripped (በ-ፀሐይ, የ-ልጆች, ለ-, ከ-, እንደ-, ስለ-).
Kannada, Bengali, Amharic and Hausa have no Snowball stemmer; hub.core.text.fold unifies
their spellings and prefix matching does the rest.
"""
from __future__ import annotations

import functools
import unicodedata

from hub.core.i18n import base_language

STEMMERS = {"en": "english", "fr": "french", "es": "spanish", "pt": "portuguese",
            "ar": "arabic", "hi": "hindi"}
LATIN_STEMMED = ("en", "fr", "es", "pt")
MIN_FORM = 3  # shorter forms match too much to be worth adding

# Arabic: a conjunction (و ف), then a preposition (ب ك ل) and/or the article (ال).
_AR_CONJUNCTIONS = ("و", "ف")
_AR_PREFIXES = ("بال", "كال", "لل", "ال", "ب", "ك", "ل")

# Kiswahili: infinitive and noun-class prefixes, and subject + tense pairs of verbs.
_SW_NOUN = ("ku", "kw", "mw", "wa", "mi", "ma", "ki", "vi", "ch", "vy", "m", "u")
_SW_SUBJECTS = ("ni", "u", "a", "tu", "m", "wa", "ki", "vi", "li", "ya", "i", "zi", "ha", "si")
_SW_TENSES = ("na", "li", "ta", "me", "ki", "ka", "nge", "hu")
_SW_PREFIXES = frozenset({*_SW_NOUN, *(s + t for s in _SW_SUBJECTS for t in _SW_TENSES),
                          *(s + t + "ku" for s in _SW_SUBJECTS for t in _SW_TENSES)})
_SW_LONGEST = max(len(p) for p in _SW_PREFIXES)


# Amharic: prepositions and the possessive written as one word with what follows.
_AM_PREFIXES = ("እንደ", "ስለ", "የ", "በ", "ለ", "ከ")
MIN_ETHIOPIC = 2  # an Ethiopic letter is a syllable: two make a word


@functools.lru_cache(maxsize=16)
def _stemmer(language: str):
    import snowballstemmer  # on the first search: its 40 languages are 3 MB an idle hub need not hold

    return snowballstemmer.stemmer(STEMMERS[language])


@functools.lru_cache(maxsize=65536)
def _stem(language: str, word: str) -> str:
    return _stemmer(language).stemWord(word)


def script(word: str) -> str:
    """'arabic', 'latin', 'devanagari', 'ethiopic' or 'other', from the word's first letter."""
    for char in word:
        name = unicodedata.name(char, "")
        for known in ("ARABIC", "LATIN", "DEVANAGARI", "ETHIOPIC"):
            if name.startswith(known):
                return known.lower()
        return "other"
    return "other"


def arabic_bases(word: str) -> set[str]:
    """The word without its conjunction, preposition and article (each way of reading it)."""
    found = set()
    for head in ("", *_AR_CONJUNCTIONS):
        if head and not word.startswith(head):
            continue
        rest = word[len(head):]
        if head and len(rest) >= MIN_FORM:
            found.add(rest)
        for prefix in _AR_PREFIXES:
            if rest.startswith(prefix) and len(rest) - len(prefix) >= MIN_FORM:
                found.add(rest[len(prefix):])
    return found


def swahili_bases(word: str) -> set[str]:
    """The word without a noun-class, infinitive or subject+tense prefix (stems of 4+ letters)."""
    return {word[n:] for n in range(1, min(_SW_LONGEST, len(word) - 4) + 1)
            if word[:n] in _SW_PREFIXES}


def amharic_bases(word: str) -> set[str]:
    """The word without a preposition written onto it (ፀሐይ from በፀሐይ)."""
    return {word[len(p):] for p in _AM_PREFIXES
            if word.startswith(p) and len(word) - len(p) >= MIN_ETHIOPIC}


@functools.lru_cache(maxsize=65536)
def forms(word: str, languages: tuple[str, ...]) -> frozenset[str]:
    """Other forms of one folded, lower-case word for the given languages (not the word)."""
    found: set[str] = set()
    kind = script(word)
    bases = {word}
    if kind == "arabic" and "ar" in languages:
        bases |= arabic_bases(word)
        found |= bases
        found |= {_stem("ar", base) for base in bases}
    elif kind == "devanagari" and "hi" in languages:
        found.add(_stem("hi", word))
    elif kind == "ethiopic" and "am" in languages:
        found |= amharic_bases(word)
    elif kind == "latin":
        for language in languages:
            if language in LATIN_STEMMED:
                found.add(_stem(language, word))
            elif language == "sw":
                found |= swahili_bases(word)
    found.discard(word)
    least = MIN_ETHIOPIC if kind == "ethiopic" else MIN_FORM
    return frozenset(form for form in found if len(form) >= least)


def query_languages() -> tuple[str, ...]:
    """The languages a query word may be in: every one with a form rule."""
    return (*STEMMERS, "sw", "am")


def index_forms(words, language: str) -> list[str]:
    """Forms to index after a resource's own words, each once, for its language."""
    base = base_language(language or "")
    extra: dict[str, None] = {}
    seen = set()
    for word in words:
        if word in seen:
            continue
        seen.add(word)
        for form in sorted(forms(word, (base,))):
            extra.setdefault(form, None)
    return [form for form in extra if form not in seen]
