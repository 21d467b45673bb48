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
