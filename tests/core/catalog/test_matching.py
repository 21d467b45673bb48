"""Matching: field comparisons pinned on both sides of each threshold, decisions, blocking, clustering."""

from dataclasses import replace

import pytest

from jaringan.core.catalog.matching import (
    MATCH_THRESHOLD,
    blocking_keys,
    cluster,
    match,
    preferred_record,
    record_quality,
    same_work_key,
)
from jaringan.core.catalog.matching import compare as c
from jaringan.core.catalog.matching.comparison import ONE_SIDED
from jaringan.core.catalog.matching.fields import edition_key, publisher_key, volume_numbers
from jaringan.core.catalog.matching.names import name_similarity
from jaringan.core.catalog.matching.titles import typo_apart
from jaringan.core.catalog.record import CanonicalRecord

BOOK = CanonicalRecord(
    title="Pengantar ilmu perpustakaan",
    subtitle="edisi revisi",
    authors=("Basuki, Sulistyo",),
    publisher="Gramedia Pustaka Utama",
    place="Jakarta",
    year=1991,
    extent="xii, 345 hlm.",
    pages=345,
    isbns=("9789793062792",),
    language="ind",
    library="A",
)
BARE = CanonicalRecord(title="Pengantar ilmu perpustakaan")


def _points(comparator, a, b):
    result = comparator(a, b)
    return result.verdict, result.points


# ------------------------------------------------------------------ titles
@pytest.mark.parametrize(
    ("a", "b", "verdict"),
    [
        ("Pengantar ilmu perpustakaan", "PENGANTAR ILMU PERPUSTAKAAN.", c.MATCH),
        ("The history of Java", "History of Java", c.MATCH),  # leading article
        ("Sejarah & budaya Jawa", "Sejarah dan budaya Jawa", c.MATCH),
        ("Sumber konflik Muhammadiyah-N.U.", "Sumber konflik Muhammadiyah-NU", c.MATCH),
        ("Pengantar ilmu perpustakaan", "Pengantar ilmu perpustakan", c.SIMILAR),  # one typo
        ("Pengantar ilmu perpustakaan", "Pengantar ilmu pepustakan", c.SIMILAR),  # typo word ratio >= 0.75
        ("Pengantar ilmu perpustakaan", "Pengantar ilmu pustaka", c.MISMATCH),  # ratio < 0.75: a different word
        ("Sejarah Indonesia", "Sejarah Indonesia modern", c.WEAK),  # one extra word
        ("Deposito berjangka tiga bulan", "Deposito berjangka enam bulan", c.MISMATCH),
        # A title standing whole at the start of a longer one: weak, the other fields decide.
        ("Sejarah Indonesia", "Sejarah Indonesia modern awal", c.WEAK),
        ("Forest and range policy", "Forest and range policy, its development in the United States", c.WEAK),
        ("Uncommon sense", "Uncommon sense, by David Cushman Coyle ...", c.WEAK),
        ("Java", "Java, a travellers' anthology", c.MISMATCH),  # too short to stand for a title
        ("Sejarah modern", "Pengantar sejarah modern Eropa", c.MISMATCH),  # inside, but short: a common phrase
        ("Historical queries along multiple lines of time evolution",
         "On historical queries along multiple lines of time evolution. To appear at the", c.WEAK),
        ("The case for enhanced abstract data types", "The casefor enhanced abstract datatypes", c.SIMILAR),
        ("Data warehouse maintenance in fully concurrent environments",
         "Data warehouse maintenance under fully concurrent environments", c.WEAK),  # long: one other word
        ("Sejarah Indonesia modern", "Sejarah Indonesia kuno", c.MISMATCH),  # short: one other word
        ("What you should know about the Suez", "What you should know about Suez", c.MATCH),  # an article inside
        ("Laporan tahunan 1998", "Laporan tahunan 1999", c.MISMATCH),  # digits are never typos
    ],
)
def test_title_bands(a, b, verdict):
    assert c.compare_title(replace(BARE, title=a), replace(BARE, title=b)).verdict == verdict


@pytest.mark.parametrize(
    ("x", "y", "typo"),
    [
        ("perpustakan", "perpustakaan", True),  # 1 edit
        ("pepustakan", "perpustakaan", True),  # 2 edits, both words >= TYPO_LONG_WORD letters
        ("sejrah", "sejarah", True),  # 1 edit
        ("sejrh", "sejarah", False),  # 2 edits, words shorter than TYPO_LONG_WORD
        ("eco", "eoc", True),  # a swap of neighbours is one edit
        ("dy", "day", True),  # "to-day" typed "to-dy"
        ("memorial", "immortal", False),  # 3 edits: different words
        ("pustaka", "perpustakaan", False),
        ("1998", "1999", False),  # digits are never typos
        ("of", "on", False),  # too short to tell
    ],
)
def test_typo_ratio_boundary(x, y, typo):
    assert typo_apart(x, y) is typo


def test_subtitle_in_title_meets_subtitle_apart():
    merged = replace(BARE, title="Pengantar ilmu perpustakaan : edisi revisi")
    assert c.compare_title(merged, BOOK).verdict == c.MATCH


def test_missing_subtitle_is_no_contradiction():
    assert _points(c.compare_subtitle, BOOK, replace(BOOK, subtitle=None)) == (c.MISSING, 0)
    assert _points(c.compare_subtitle, BOOK, replace(BOOK, subtitle="Edisi Revisi")) == (c.MATCH, c.SUBTITLE_SAME)
    assert _points(c.compare_subtitle, BOOK, replace(BOOK, subtitle="untuk sekolah dasar")) == (
        c.MISMATCH, c.SUBTITLE_DIFFERENT)


# ------------------------------------------------------------------ numbers, years, editions, pages
@pytest.mark.parametrize(
    ("a", "b", "verdict"),
    [
        (dict(part="Jilid 1"), dict(part="Jilid 2"), c.MISMATCH),
        (dict(part="v. 2"), dict(part="Jilid II"), c.MATCH),
        (dict(part=None), dict(part="Jilid 2"), ONE_SIDED),
        (dict(title="MMPI-2"), dict(title="MMPI-2", part="v. 2"), ONE_SIDED),
        (dict(title="Laporan 1998"), dict(title="Laporan 1999"), c.MISMATCH),
        (dict(title="Laporan", subtitle="1998"), dict(title="Laporan 1998"), c.MATCH),
        # The years a book covers, in one title only, are no volume number.
        (dict(title="History of British art, 600-1600"), dict(title="History of British art"), c.MATCH),
        (dict(title="Laporan tahunan"), dict(title="Laporan tahunan jilid 3"), ONE_SIDED),
        (dict(), dict(), c.MISSING),
    ],
)
def test_part_numbers(a, b, verdict):
    assert c.compare_part(replace(BARE, **a), replace(BARE, **b)).verdict == verdict


@pytest.mark.parametrize(("year_b", "points"), [(1991, c.YEAR_SAME), (1992, c.YEAR_DIFFERENT), (1990, c.YEAR_DIFFERENT),
                                              (1993, c.YEAR_DIFFERENT), (None, 0)])
def test_year(year_b, points):
    assert c.compare_year(BOOK, replace(BOOK, year=year_b)).points == points


@pytest.mark.parametrize(("year_b", "verdict", "points"), [
    (1992, c.WEAK, c.YEAR_APART_ONE), (1990, c.WEAK, c.YEAR_APART_ONE), (1993, c.MISMATCH, c.YEAR_DIFFERENT)])
def test_a_year_apart_counts_less_without_isbns(year_b, verdict, points):
    """An older book dated by copyright on one record and by issue on another: agreement elsewhere can
    outweigh one year, never two."""
    old = replace(BOOK, isbns=())
    assert _points(c.compare_year, old, replace(old, year=year_b)) == (verdict, points)
    assert match(old, replace(old, year=year_b)).same is (verdict == c.WEAK)


@pytest.mark.parametrize(
    ("a", "b", "verdict", "points"),
    [
        ("2nd ed.", "Edisi kedua", c.MATCH, c.EDITION_SAME),
        ("Cet. 3", "3rd printing", c.MATCH, c.EDITION_SAME),
        ("2nd ed.", "3rd ed.", c.MISMATCH, c.EDITION_DIFFERENT),
        ("Edisi revisi", "Edisi kedua", c.MISMATCH, c.EDITION_DIFFERENT),
        # One statement transcribed more fully: the same number, a revision noted on one side only.
        ("4th ed.", "4th ed., rev., with additional maps", c.WEAK, 0),
        ("[Grasmere ed.]", "[Large paper ed.]", c.WEAK, c.EDITION_NAMED_DIFFERENT),  # named, unnumbered
        ("1st ed.", None, c.MISSING, 0),  # an unstated first edition is no contradiction
        ("2nd ed.", None, c.MISSING, c.EDITION_ONE_SIDED),
        (None, None, c.MISSING, 0),
    ],
)
def test_edition(a, b, verdict, points):
    """(The second record has another page count, as a new edition has.)"""
    other = replace(BOOK, edition=b, pages=BOOK.pages + 40)
    assert _points(c.compare_edition, replace(BOOK, edition=a), other) == (verdict, points)


@pytest.mark.parametrize(
    ("pages_a", "pages_b", "verdict"),
    [
        (40, 43, c.MATCH),  # absolute tolerance 3
        (40, 44, c.MISMATCH),
        (400, 420, c.MATCH),  # relative tolerance 5 %
        (400, 422, c.MISMATCH),
        (400, None, c.MISSING),
    ],
)
def test_pages_tolerance(pages_a, pages_b, verdict):
    assert c.compare_pages(replace(BARE, pages=pages_a), replace(BARE, pages=pages_b)).verdict == verdict


def test_format_and_language():
    assert c.compare_format(BOOK, replace(BOOK, format="video")).points == c.FORMAT_DIFFERENT
    translated = replace(BOOK, language="eng", title="Introduction to library science")
    assert c.compare_language(BOOK, translated).points == c.LANGUAGE_DIFFERENT
    assert c.compare_language(BOOK, replace(BOOK, language="eng")).points == c.LANGUAGE_CODED_APART
    assert c.compare_language(BOOK, replace(BOOK, language=None)).points == 0


# ------------------------------------------------------------------ names, authors, publishers
@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("Basuki, Sulistyo", "Sulistyo Basuki", True),
        ("Sulistyo-Basuki", "Basuki, Sulistyo", True),
        ("Prof. Dr. H. Sulistyo-Basuki, M.A.", "Sulistyo-Basuki", True),
        ("Toer, Pramoedya Ananta, 1925-2006", "Pramoedya Ananta Toer", True),
        ("Smith, J.", "John Smith", True),
        ("Koentjaraningrat", "Koentjaraningrat, 1923-1999", True),
        ("Sulistyo Basuki", "Sulistyo Basuky", True),  # typo
        ("Smith, J.", "Smith, K.", False),
        ("Smith, John", "Smith, Jane", False),
        ("Koentjaraningrat", "Soekarno", False),
    ],
)
def test_name_similarity(a, b, same):
    assert (name_similarity(a, b) >= 0.9) is same


@pytest.mark.parametrize(
    ("authors_b", "verdict"),
    [
        (("Sulistyo Basuki",), c.MATCH),
        (("Hartono", "Basuki, Sulistyo"), c.MATCH),  # order-insensitive, shorter list covered
        (("Hartono",), c.MISMATCH),
        ((), c.MISSING),
    ],
)
def test_authors(authors_b, verdict):
    assert c.compare_authors(BOOK, replace(BOOK, authors=authors_b)).verdict == verdict


def test_authors_some():
    a = replace(BOOK, authors=("Basuki, Sulistyo", "Hartono"))
    b = replace(BOOK, authors=("Sulistyo Basuki", "Wijaya"))
    assert _points(c.compare_authors, a, b) == (c.SIMILAR, c.AUTHORS_SOME)


@pytest.mark.parametrize(
    ("a", "b", "verdict"),
    [
        ("Penerbit Buku Kompas", "Buku Kompas", c.MATCH),
        ("PT Gramedia Pustaka Utama", "Gramedia", c.MATCH),
        ("Gramedia", "Erlangga", c.MISMATCH),
        ("Penerbit", "Gramedia", c.MISSING),  # nothing left after the noise words
    ],
)
def test_publisher(a, b, verdict):
    assert c.compare_publisher(replace(BARE, publisher=a), replace(BARE, publisher=b)).verdict == verdict


def test_field_keys():
    assert edition_key("Cet. ke-2") == "2"
    assert edition_key("Edisi revisi") == "rev"
    assert publisher_key("PT. Penerbit Erlangga") == "erlangga"
    assert volume_numbers(replace(BARE, part="v. II")) == {2}


# ------------------------------------------------------------------ identifiers, guarded
def test_shared_isbn_counts_fully_when_nothing_contradicts_it():
    assert _points(c.compare_isbn, BOOK, BOOK) == (c.MATCH, c.ISBN_SHARED)
    assert _points(c.compare_isbn, BOOK, replace(BOOK, isbns=("9780306406157",))) == (c.MISMATCH, c.ISBN_DISJOINT)
    assert _points(c.compare_isbn, BOOK, replace(BOOK, isbns=())) == (c.MISSING, 0)


@pytest.mark.parametrize("change", [dict(year=1995), dict(part="Jilid 2")])
def test_shared_isbn_is_guarded_by_year_and_volume(change):
    assert _points(c.compare_isbn, BOOK, replace(BOOK, **change)) == (c.CONTRADICTED, c.ISBN_SHARED_CONTRADICTED)


def test_lccn_and_oclc_are_guarded_too():
    a = replace(BOOK, lccn="00369505", oclc_numbers=("12345",))
    assert c.compare_lccn(a, replace(a, year=1995)).verdict == c.CONTRADICTED
    assert c.compare_oclc(a, replace(a, part="2")).verdict == c.CONTRADICTED
    assert c.compare_lccn(a, replace(a, lccn="00369506")).points == c.LCCN_DIFFERENT


# ------------------------------------------------------------------ decisions
def test_threshold_both_sides():
    a = replace(BARE, publisher="Gramedia")
    exactly = match(a, a)  # title exact 40 + publisher 10
    assert exactly.score == MATCH_THRESHOLD and exactly.same
    below = match(a, replace(a, publisher=None))
    assert below.score == MATCH_THRESHOLD - 10 and not below.same


def test_cataloguing_variants_are_the_same_edition():
    other = replace(
        BOOK,
        title="Pengantar ilmu perpustakan",
        subtitle=None,
        authors=("Sulistyo-Basuki",),
        publisher="Penerbit Gramedia",
        extent="345 p.",
        isbns=(),
        library="B",
    )
    decision = match(BOOK, other)
    assert decision.same, decision.explain()


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        (dict(year=1992), "year"),
        (dict(year=1998, edition="Cet. 2"), "year"),
        (dict(part="Jilid 2"), "part"),
        (dict(format="video"), "format"),
        (dict(title="Pengantar ilmu komunikasi", isbns=("9789793062792",)), "title"),
    ],
)
def test_strong_negative_evidence_overrides_a_shared_isbn(change, reason):
    decision = match(BOOK, replace(BOOK, **change))
    assert not decision.same, decision.explain()
    assert any(cmp.field == reason and cmp.points < 0 for cmp in decision.comparisons)


def test_different_edition_statements_are_never_one_edition():
    first, second = replace(BOOK, edition="Cet. 1"), replace(BOOK, edition="Edisi ke-2")
    decision = match(first, second)
    assert not decision.same and decision.score >= MATCH_THRESHOLD  # vetoed, not outscored


def test_language_alone_does_not_split_otherwise_identical_records():
    # 008/35-37 is often miscoded; a translation differs in title too.
    decision = match(BOOK, replace(BOOK, language="eng"))
    assert decision.same and decision.score < match(BOOK, BOOK).score


def test_volumes_of_a_set_are_never_one_edition():
    one, two = replace(BOOK, part="Jilid 1"), replace(BOOK, part="Jilid 2")
    assert not match(one, two).same
    assert not match(BOOK, two).same  # the set against a volume


def test_decision_explains_itself():
    text = match(BOOK, BOOK).explain()
    assert "isbn" in text and "+60" in text and text.splitlines()[-1].startswith("total")


# ------------------------------------------------------------------ blocking, works
def test_blocking_keys_survive_a_typo_and_share_identifiers():
    typo = replace(BOOK, title="Pengantar ilmu perpustkaan", isbns=())
    assert blocking_keys(BOOK) & blocking_keys(typo)
    assert "isbn:9789793062792" in blocking_keys(BOOK)
    one_word = replace(BOOK, title="Montalembert")
    assert blocking_keys(one_word) & blocking_keys(replace(one_word, title="Motnalembert"))


def test_blocking_keys_keep_unrelated_books_apart():
    other = CanonicalRecord(title="Hukum adat Indonesia", authors=("Soekanto, Soerjono",), year=1991)
    assert not blocking_keys(BOOK) & blocking_keys(other)


def test_same_work_key_ignores_name_order_subtitle_and_edition():
    second = replace(BOOK, authors=("Sulistyo Basuki",), subtitle=None, edition="Edisi ke-2", year=2010)
    assert same_work_key(BOOK) == same_work_key(second)
    assert same_work_key(BOOK) != same_work_key(replace(BOOK, title="Pengantar ilmu komunikasi"))


# ------------------------------------------------------------------ clustering
def test_cluster_groups_copies_and_keeps_editions_apart():
    records = [
        BOOK,
        replace(BOOK, title="PENGANTAR ILMU PERPUSTAKAAN", isbns=(), library="B"),
        replace(BOOK, year=1998, edition="Cet. 2", library="C"),
        replace(BOOK, part="Jilid 2", library="D"),
    ]
    assert cluster(records) == [[0, 1], [2], [3]]


def test_loose_chains_do_not_snowball():
    base = CanonicalRecord(title="Sejarah Indonesia", authors=("Ricklefs, M. C.",))
    a = replace(base, year=1999, library="A")
    b = replace(base, library="B")  # no year: matches both a and c
    c_ = replace(base, year=2005, library="C")
    assert match(a, b).same and match(b, c_).same and not match(a, c_).same
    editions = cluster([a, b, c_])
    assert len(editions) == 2
    assert sorted(len(e) for e in editions) == [1, 2]


def test_one_library_never_has_two_records_in_one_edition():
    assert cluster([BOOK, BOOK]) == [[0], [1]]
    assert cluster([BOOK, BOOK], libraries=["A", "B"]) == [[0, 1]]


def test_preferred_record_is_the_fullest_and_first():
    thin = replace(BOOK, subtitle=None, publisher=None, pages=None, extent=None, library="B")
    assert record_quality(BOOK) > record_quality(thin)
    editions = cluster([thin, BOOK])
    assert editions == [[1, 0]]
    assert preferred_record([thin, BOOK], editions[0]) == 1


def test_a_score_and_its_recording_are_different_manifestations():
    score = replace(BARE, format="music", carrier="score", authors=("Dobbins, Bill",), year=1988)
    recording = replace(score, carrier="sound")
    assert not match(score, recording).same
    assert match(score, replace(score, carrier=None)).same  # unknown carrier: no evidence


def test_blocking_does_not_depend_on_author_order_or_inversion():
    a = replace(BOOK, title="Barbara Carroll", authors=("Carroll, Barbara", "Domanico, Chuck"), isbns=())
    b = replace(a, title="Barbara Carrlol", authors=("Chuck Domanico", "Barbara Carroll"))
    assert blocking_keys(a) & blocking_keys(b)


def test_a_statement_of_responsibility_typed_into_the_title_is_left_out():
    one = replace(BARE, title="Trends in psychiatric care", authors=("McKerracher, Donald Griffith",))
    other = replace(one, title="Trends in psychiatric care [by] D. G. McKerracher", authors=("McKerracher, D. G.",))
    assert c.compare_title(one, other).verdict == c.MATCH
    by_other = replace(other, title="Trends in psychiatric care by the World Health Organization")
    assert c.compare_title(one, by_other).verdict != c.MATCH  # "by" not followed by an author's name
