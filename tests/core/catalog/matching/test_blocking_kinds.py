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


# One catalogue writes a compound with a hyphen, another as one word, and each names other authors: the
# title-word keys of the hyphenated title are also made with the compound joined.
DECISIONS = CanonicalRecord(title="Federal anti-trust decisions", subtitle="cases adjudicated under the federal laws",
                            authors=("Marwick, Jonas Edgar", "Pelham, Ruth"), year=1912, format="book")
JOINED = replace(DECISIONS, title="Federal antitrust decisions", authors=("United States. Courts", "Pelham, R."),
                 subtitle="Cases adjudicated under the federal laws ... 1890-1912")


def test_a_hyphenated_compound_meets_the_compound_written_as_one_word():
    assert blocking_keys(DECISIONS) & blocking_keys(JOINED)
    assert "ty:federa_antitr:1912" in blocking_keys(DECISIONS)
    # And the same with a unicode hyphen, and with the words apart ("anti trust") against the hyphen.
    assert blocking_keys(replace(DECISIONS, title="Federal anti\u2010trust decisions")) & blocking_keys(JOINED)
    assert blocking_keys(replace(DECISIONS, title="Federal anti trust decisions")) & blocking_keys(DECISIONS)


def test_near_misses_of_hyphens_bring_no_key():
    # Another compound, or another year, still shares nothing with the joined spelling.
    assert not blocking_keys(replace(DECISIONS, title="Federal anti-racketeering decisions")) & blocking_keys(JOINED)
    assert not blocking_keys(replace(DECISIONS, year=1931)) & blocking_keys(replace(JOINED, year=1934))
    # Two words apart ("anti trust", no hyphen) are not joined: only a hyphen says they are one compound.
    assert not blocking_keys(replace(DECISIONS, title="Federal anti trust decisions")) & blocking_keys(JOINED)
    # A hyphen between numbers, or one that ends a word, joins nothing: the keys are those of the title alone.
    dated = replace(DECISIONS, title="Federal decisions 1890-1912 digest")
    assert blocking_keys(dated) == blocking_keys(replace(dated, title="Federal decisions 1890 1912 digest"))
    cut = replace(DECISIONS, title="Federal decisions-")
    assert blocking_keys(cut) == blocking_keys(replace(cut, title="Federal decisions"))


def test_an_article_gets_no_joined_title_word_keys():
    """Citations are already keyed by their letters run together (``_letter_keys``)."""
    article = CanonicalRecord(title="On-line analytical processing of sales data", authors=("Ng, Wee Keong",),
                              year=1998, format="article")
    assert not any("online" in key for key in blocking_keys(article) if not key.startswith(("lh:", "le:")))
    assert blocking_keys(article) & blocking_keys(replace(article, title="Online analytical processing of sales data"))
