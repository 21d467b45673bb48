"""Numbers and parts in the titles of books: numbers a subtitle holds on one side and the title on the
other, a title that names more years than the other, "volumes 1-44" as much as "v. 1-44", a set's note
of its first volume, and parts named in words under a title with a number."""

from dataclasses import replace

from jaringan.core.catalog.matching import match
from jaringan.core.catalog.matching import compare as c
from jaringan.core.catalog.matching.comparison import MATCH, MISMATCH, ONE_SIDED, WEAK
from jaringan.core.catalog.matching.parts import numbers_compared

MEETING = c.CanonicalRecord(title="Gathering of the Lantern Guild of 1861-1865",
                            subtitle="at the Corn Exchange, Bristol, May 14, 1890", authors=("Lantern Guild",),
                            publisher="T. Marsh and Son", year=1890, pages=64, format="book", carrier="text")


def test_numbers_of_a_subtitle_typed_into_the_other_title_are_the_same_numbers():
    run_on = replace(MEETING, title="Gathering of the Lantern Guild of 1861-1865, at the Corn Exchange, Bristol, "
                                    "May 14, 1890", subtitle=None)
    assert c.compare_part(MEETING, run_on).verdict == MATCH
    assert match(MEETING, run_on).same
    other_meeting = replace(run_on, title=run_on.title.replace("May 14", "May 15"))
    assert c.compare_part(MEETING, other_meeting).verdict == MISMATCH  # another number: still different


LECTURES = c.CanonicalRecord(title="Lectures on canals and harbours, given at Leeds in 1851, 1852 and 1853",
                             authors=("Harrow, Edmund",), publisher="Grey & Pike", year=1912, pages=410,
                             format="book", carrier="text")


def test_a_title_that_names_more_years_is_not_another_part():
    longer = replace(LECTURES, title=LECTURES.title + ", and reprinted in 1880")
    assert c.compare_part(LECTURES, longer).verdict != MISMATCH
    assert match(LECTURES, longer).same
    # More numbers that are not years (a volume, a chapter) still count against.
    other = replace(LECTURES, title=LECTURES.title + ", chapter 12")
    assert c.compare_part(LECTURES, other).verdict == MISMATCH
    assert not match(LECTURES, other).same


def test_volumes_written_out_are_volumes():
    short = replace(LECTURES, title="Digest of harbour law, as printed in the Harbour review 1901 through 1930, "
                                    "v. 1-29 inclusive", pages=None, extent="6 v.")
    spelled = replace(short, title=short.title.replace("v. 1-29", "volumes 1-29"))
    assert c.compare_part(short, spelled).verdict == MATCH
    assert match(short, spelled).same


NOVEL = c.CanonicalRecord(title="The harbour lights", subtitle="a novel", authors=("Quill, Dora",),
                          publisher="Hobb & Lyle", year=1886, extent="2 v.", format="book", carrier="text")


def test_a_note_of_the_first_volume_on_a_set_of_as_many_volumes_is_weak():
    noted = replace(NOVEL, part="v.1")
    assert c.compare_part(noted, NOVEL).verdict == WEAK
    assert match(noted, NOVEL).same
    # A volume's own record (its extent is its pages), or a set of another size, stays apart.
    assert c.compare_part(replace(noted, extent="312 p.", pages=312), NOVEL).verdict == ONE_SIDED
    assert c.compare_part(noted, replace(NOVEL, extent="3 v.")).verdict == ONE_SIDED
    assert not match(noted, replace(NOVEL, year=1890)).same
    # With ISBNs a volume number tells a volume from its set, as before.
    assert c.compare_part(replace(noted, isbns=("9780000000002",)), replace(NOVEL, isbns=("9780000000002",))
                          ).verdict == ONE_SIDED


CENSUS = c.CanonicalRecord(title="1970 census of farms and fisheries", part="Summary characteristics. New Hampshire",
                           authors=("Bureau of Rural Statistics",), publisher="Rural Statistics Office", year=1972,
                           extent="1 v. (various pagings)", format="book", carrier="text")


def test_parts_named_in_words_differ_under_a_title_with_a_number():
    for other in ("Summary characteristics. New York", "Summary characteristics. Delaware"):
        assert c.compare_part(CENSUS, replace(CENSUS, part=other)).verdict == MISMATCH
        assert not match(CENSUS, replace(CENSUS, part=other)).same
    same = replace(CENSUS, part="Summary characteristics, New Hampshire")
    assert c.compare_part(CENSUS, same).verdict == MATCH
    assert match(CENSUS, same).same


REPORT = c.CanonicalRecord(title="report on the 3rd workshop on sensor archives ( sawa 2002 )", format="article",
                           authors=("l brandvold",), container="sigmod record", year=2002)


def test_a_number_more_in_one_citations_title_is_no_other_part():
    """A citation types a number more into an article's title, or runs one into a word ("sql 3" / "sql3",
    "3rd sawa" / "3 rdsawa"): the numbers of one title among the other's are not another part."""
    glued = replace(REPORT, title="report on the 3 rdworkshop on sensor archives ( sawa 2002 )", container=None)
    assert c.compare_part(REPORT, glued).verdict != MISMATCH
    assert match(REPORT, glued).same
    paper = replace(REPORT, title="xql : 2002 , known as xql 3")
    assert c.compare_part(paper, replace(paper, title="xql : 2002 , known as xql3")).verdict != MISMATCH


def test_other_numbers_in_two_citations_titles_are_other_parts():
    fourth = replace(REPORT, title="report on the 4 th workshop on sensor archives ( sawa 2003 )")
    assert c.compare_part(REPORT, fourth).verdict == MISMATCH
    assert not match(REPORT, fourth).same
    book = replace(REPORT, format="book", container=None)
    assert c.compare_part(book, replace(book, title="report on the 3 rd workshop on sensor archives ( sawa 2002 )")
                          ).verdict == MISMATCH  # books keep their numbers


CHURCH = c.CanonicalRecord(title="Life in the Moluccan church (1660-1714)", authors=("Overdijk, Jan H.",),
                           publisher="Kolff", year=1885, pages=376, format="book", carrier="text")


def test_one_number_of_a_title_mistyped_is_a_slip_when_year_and_pages_agree():
    for slip in ("(1600-1714)", "(1606-1714)"):  # a digit changed; two next to each other swapped
        mistyped = replace(CHURCH, title=CHURCH.title.replace("(1660-1714)", slip))
        assert c.compare_part(CHURCH, mistyped).verdict == WEAK
        assert match(CHURCH, mistyped).same


def test_another_number_or_another_page_count_is_still_another_part():
    assert c.compare_part(CHURCH, replace(CHURCH, title="Life in the Moluccan church (1714-1800)")).verdict == MISMATCH
    other_pages = replace(CHURCH, title="Life in the Moluccan church (1600-1714)", pages=402)
    assert c.compare_part(CHURCH, other_pages).verdict == MISMATCH
    with_isbn = replace(CHURCH, isbns=("9789794610012",))
    assert c.compare_part(with_isbn, replace(with_isbn, title="Life in the Moluccan church (1600-1714)")).verdict == MISMATCH


def test_a_short_titles_number_is_a_serials_issue():
    report = c.CanonicalRecord(title="Annual report 1950", authors=("Harbour Board",), year=1952, pages=32,
                               format="book", carrier="text")
    assert c.compare_part(report, replace(report, title="Annual report 1951")).verdict == MISMATCH


CONVENTION = c.CanonicalRecord(title="Convention of Stockholm", authors=("Universal Postal Union",),
                               publisher="Govt. print. off.", year=1925, pages=183, format="book", carrier="text")


def test_a_date_one_cataloguer_transcribed_is_not_a_part():
    dated = replace(CONVENTION, title="Convention of Stockholm (August 28, 1924)")
    assert c.compare_part(CONVENTION, dated).verdict == MATCH
    assert c.compare_part(dated, CONVENTION).verdict == MATCH
    indonesian = replace(CONVENTION, title="Konvensi Stockholm 28 Agustus 1924")
    assert c.compare_part(replace(CONVENTION, title="Konvensi Stockholm"), indonesian).verdict == MATCH
    # Two dates of one title: the day tells them apart, as before.
    other_day = replace(CONVENTION, title="Convention of Stockholm (August 12, 1924)")
    assert c.compare_part(dated, other_day).verdict == MISMATCH
    # An issue's number before its date stays a number: "no. 5 March 1990" is issue 5.
    issue = replace(CONVENTION, title="Bulletin of the Postal Union no. 5 March 1990")
    assert numbers_compared(replace(CONVENTION, title="Bulletin of the Postal Union"), issue).verdict == ONE_SIDED


def test_a_range_of_years_written_short_is_a_range_of_years():
    calendar = replace(CONVENTION, title="Calendar of treasury books preserved in the Public Record Office")
    ranged = replace(calendar, title="Calendar of treasury books, 1660/67- preserved in the Public Record Office")
    assert c.compare_part(calendar, ranged).verdict == MATCH  # 1660 and 1667: the years it covers
    assert c.compare_part(replace(calendar, title="Calendar of treasury books, 1660-1667"),
                          replace(calendar, title="Calendar of treasury books, 1660-67")).verdict == MATCH
    assert c.compare_part(replace(calendar, title="Calendar of treasury books, 1660-67"),
                          replace(calendar, title="Calendar of treasury books, 1668-72")).verdict == MISMATCH
