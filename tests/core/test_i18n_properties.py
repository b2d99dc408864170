"""Property-based tests for language negotiation: any header, any cookie, a shipped locale."""
from hypothesis import given, settings
from hypothesis import strategies as st
from werkzeug.datastructures import LanguageAccept
from werkzeug.http import parse_accept_header

from hub.core import i18n
from tests.helpers import fuzz_budget

tags = st.from_regex(r"[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8}){0,2}", fullmatch=True)
headers = st.lists(st.tuples(tags, st.floats(0, 1)), max_size=6).map(
    lambda items: ",".join(f"{tag};q={q:.2f}" for tag, q in items))


@settings(max_examples=fuzz_budget(200), deadline=None)
@given(learner=st.one_of(st.none(), tags, st.text(max_size=20)),
       cookie=st.one_of(st.none(), tags, st.text(max_size=20)),
       header=st.one_of(headers, st.text(max_size=60)))
def test_always_a_shipped_locale(learner, cookie, header):
    accept = parse_accept_header(header, LanguageAccept)
    assert i18n.choose_locale(learner, cookie, accept, "en") in i18n.LOCALES


@settings(max_examples=fuzz_budget(200), deadline=None)
@given(preferred=tags, available=st.lists(tags, min_size=1, max_size=6, unique=True))
def test_fallback_chain_is_a_permutation_with_the_best_first(preferred, available):
    chain = i18n.fallback_chain(preferred, available)
    assert sorted(chain) == sorted(available)
    if preferred in available:
        assert chain[0] == preferred
    elif any(i18n.base_language(t) == i18n.base_language(preferred) for t in available):
        assert i18n.base_language(chain[0]) == i18n.base_language(preferred)
    else:
        assert chain[0] == available[0]


@given(code=st.sampled_from(sorted(i18n.LOCALES)))
def test_direction_is_rtl_only_for_arabic_among_shipped(code):
    assert (i18n.text_direction(code) == "rtl") == (code == "ar")
