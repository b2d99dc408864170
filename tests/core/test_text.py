"""One text normalizer for search and typed answers: they fold letters the same way."""
from __future__ import annotations

import pytest

from hub.core import text


@pytest.mark.parametrize("written, typed", [
    ("مدرسة", "مدرسه"),   # ta marbuta typed as ha
    ("مستشفى", "مستشفي"),  # alef maqsura typed as ya
    ("أحمد", "احمد"), ("إسلام", "اسلام"), ("كِتَابٌ", "كتاب"), ("كـتـاب", "كتاب"),
    ("élève", "eleve"), ("ＴＥＮ", "TEN"),
])
def test_search_and_answers_fold_alike(written, typed):
    assert text.fold(written) == text.fold(typed)
    assert text.fold_answer(written) == text.fold_answer(typed)


def test_devanagari_is_kept_whole():
    assert text.fold("किताब") == "किताब"


def test_answers_also_ignore_case_and_spacing():
    assert text.fold_answer("  São   Paulo ") == text.fold_answer("sao paulo") == "sao paulo"
