"""A kind of difference that kept two records of one book from ever being compared: one record lacks the
year or the author the other gives, and the page count is what they still share."""

from dataclasses import replace

from jaringan.core.catalog.matching import blocking_keys, match
from jaringan.core.catalog.record import CanonicalRecord

BOOK = CanonicalRecord(title="Lanterns for the winter parlour", subtitle="verses and sketches",
                       authors=("Abernethy, Clara",), publisher="Tolland & Co.", year=1872, pages=318, format="book")


def test_a_record_without_year_meets_one_without_author_by_title_and_pages():
    no_year, no_author = replace(BOOK, year=None), replace(BOOK, authors=())
    assert blocking_keys(no_year) & blocking_keys(no_author)
    assert match(no_year, no_author).same


def test_another_page_count_brings_no_such_key():
    no_year, no_author = replace(BOOK, year=None), replace(BOOK, authors=(), pages=96)
    assert not blocking_keys(no_year) & blocking_keys(no_author)


SHORT = CanonicalRecord(title="Harbours", subtitle="dredging the channels of the east coast",
                        authors=("Coastal Works Board",), publisher="Coastal Works Board", year=1931, pages=44,
                        format="book")


def test_a_one_word_title_with_a_subtitle_meets_the_two_typed_into_one_title():
    run_on = replace(SHORT, title="Harbours: dredging the channels of the east coast", subtitle=None, authors=(),
                     publisher=None)
    assert blocking_keys(SHORT) & blocking_keys(run_on)
    assert match(SHORT, run_on).same
    # A one-word title without a subtitle, or another subtitle, brings no such key.
    assert not blocking_keys(replace(SHORT, subtitle=None)) & blocking_keys(run_on)
    assert not blocking_keys(replace(SHORT, subtitle="lighthouses of the east coast")) & blocking_keys(run_on)
