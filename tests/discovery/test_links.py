"""The search page's links are encoded as ``urllib.parse.urlencode`` encodes them, whatever the values."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode

from django.http import QueryDict
from hypothesis import given
from hypothesis import strategies as st

from jaringan.discovery.links import SearchLinks, encode

PLAIN_AND_NOT = ["UNPATTI", "1990-1999", "true", "a_b.c~d", "", "Sejarah Indonesia", "a&b=c", "50%",
                 "x+y", "Pendidikan -- Indonesia", "Bahasa ⁄ Jawa", "é", "~", "?#/", "ʹ"]


def test_plain_and_quoted_values_are_encoded_as_urlencode_encodes_them():
    pairs = [(name, value) for name in ("q", "subject", "library") for value in PLAIN_AND_NOT]
    assert encode(pairs) == urlencode(pairs)
    for pair in pairs:
        assert encode([pair]) == urlencode([pair])


@given(st.lists(st.tuples(st.text(), st.text()), max_size=6))
def test_any_text_is_encoded_as_urlencode_encodes_it(pairs):
    assert encode(pairs) == urlencode(pairs)


@given(st.lists(st.tuples(st.sampled_from(["q", "library", "subject", "year", "page"]), st.text()), max_size=5),
       st.sampled_from(["library", "subject", "year"]), st.text())
def test_a_toggled_link_adds_or_removes_exactly_that_value(pairs, name, value):
    get = QueryDict(urlencode(pairs))
    link = SearchLinks(get).toggle(name, value)
    kept = [(k, v) for k, values in get.lists() if k != "page" for v in values]  # the page is never kept
    if (name, value) in kept:
        expected = [p for p in kept if p != (name, value)]
    else:
        expected = [*kept, (name, value)]
    assert parse_qsl(link[1:], keep_blank_values=True) == expected
