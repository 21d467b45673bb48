"""One edition catalogued apart by two libraries: under the title of its series with its own title as the
part, under an original title with the other's as parallel title, coded in another language or as another
kind of text, its title shortened with an omission mark.  Each is evidence
for one edition; another edition statement, another volume or a reprint of another year still is not."""

from dataclasses import replace

from jaringan.core.catalog.matching import match
from jaringan.core.catalog.matching import compare as c
from jaringan.core.catalog.matching.comparison import MATCH, MISMATCH, SIMILAR, WEAK
from jaringan.core.catalog.record import CanonicalRecord, Series, pages_from_extent

PROFILE = CanonicalRecord(
    title="Profile of the tannery trade", authors=("Harbour Board. Office of Inspection",),
    publisher="Office of Inspection, Harbour Board", year=1997, pages=148, extent="ix, 148 p.",
    series=(Series("Trade survey project", "22"),), format="book", carrier="text", language="eng",
)
IN_SERIES = replace(PROFILE, title="Trade survey project", part="Profile of the tannery trade", series=())


def test_a_part_catalogued_as_the_title_is_the_other_records_title():
    assert c.compare_title(PROFILE, IN_SERIES).verdict == MATCH
    assert c.compare_title(IN_SERIES, PROFILE).verdict == MATCH
    assert match(PROFILE, IN_SERIES).same


def test_a_part_as_title_needs_the_series_the_other_names():
    elsewhere = replace(PROFILE, series=(Series("Regional industry notes"),))
    assert c.compare_title(IN_SERIES, elsewhere).verdict != MATCH


def test_another_part_of_the_series_stays_another_book():
    other_part = replace(IN_SERIES, part="Profile of the brewing trade")
    assert c.compare_title(PROFILE, other_part).verdict == MISMATCH
    assert not match(PROFILE, other_part).same


def test_two_parts_of_one_set_are_not_taken_for_their_titles():
    one, other = replace(IN_SERIES, part="Volume 1. Profile of the tannery trade"), replace(IN_SERIES, part="Volume 2")
    assert not match(one, other).same
    assert not match(one, replace(PROFILE, title="Profile of the tannery trade", part="Volume 2")).same


GRAMMAR = CanonicalRecord(
    title="A practical Tamil grammar with English phonetic pronunciation",
    subtitle="exercises for translation, short stories illustrating composition, and vocabulary",
    authors=("Rowe, Ludvig",), publisher="Orient Mission Society", year=1919, pages=279, format="book",
    carrier="text", language="eng",
)


def test_a_title_shortened_with_an_omission_mark_is_similar():
    short = replace(GRAMMAR, title="A practical Tamil grammar ... and vocabulary", subtitle=None)
    assert c.compare_title(GRAMMAR, short).verdict == SIMILAR
    assert match(GRAMMAR, short).same


def test_an_omission_mark_does_not_hide_other_words():
    other_end = replace(GRAMMAR, title="A practical Tamil grammar ... and reader", subtitle=None)
    assert c.compare_title(GRAMMAR, other_end).verdict not in (MATCH, SIMILAR)
    other_start = replace(GRAMMAR, title="A first Tamil grammar ... and vocabulary", subtitle=None)
    assert c.compare_title(GRAMMAR, other_start).verdict not in (MATCH, SIMILAR)


ODES = CanonicalRecord(
    title="The Isthmian odes of Pindar", authors=("Pindar", "Fennell, C. A."), publisher="Macmillan",
    year=1890, pages=272, format="book", carrier="text", language="eng",
)


def test_an_original_title_with_the_others_as_parallel_title_is_coded_apart():
    original = replace(ODES, title="Pindarou Isthmionikais", subtitle="The Isthmian odes of Pindar", language="grc")
    assert c.compare_language(ODES, original) == c.Comparison("language", WEAK, c.LANGUAGE_CODED_APART)
    assert match(ODES, original).same


def test_titles_that_agree_but_for_their_division_are_coded_apart():
    one = replace(ODES, title="The Isthmian odes of Pindar, with commentary")
    other = replace(ODES, title="The Isthmian odes of Pindar", subtitle="with commentary", language="fre")
    assert c.compare_language(one, other).verdict == WEAK


def test_a_translation_under_a_translated_title_is_another_edition():
    translated = replace(ODES, title="Les odes isthmiques de Pindare", language="fre")
    assert c.compare_language(ODES, translated) == c.Comparison("language", MISMATCH, c.LANGUAGE_DIFFERENT)
    assert not match(ODES, translated).same


SCALES = CanonicalRecord(title="Some common scale insects of the groves", authors=("Gossard, H. A.",), year=1900,
                         format="book", carrier="text", language="eng")


def test_a_text_coded_as_another_kind_of_text_under_one_title_is_the_same():
    offprint = replace(SCALES, format="article")
    assert c.compare_format(SCALES, offprint) == c.Comparison("format", WEAK, c.FORMAT_TEXT_KIND_DIFFERENT)
    assert match(SCALES, offprint).same


def test_an_article_that_names_its_journal_counts_more_against_a_book_of_its_title():
    paper = replace(SCALES, format="article", container="Journal of Grove Entomology", volume="4")
    assert c.compare_format(SCALES, paper) == c.Comparison("format", WEAK, c.FORMAT_ARTICLE_IN_CONTAINER)
    assert not match(SCALES, paper).same


def test_another_kind_of_text_under_another_title_stays_apart():
    assert c.compare_format(SCALES, replace(SCALES, format="thesis", title="Scale insects")).verdict == MISMATCH
    assert not match(SCALES, replace(SCALES, format="serial", year=1912)).same


def test_another_edition_statement_or_a_reprint_year_is_not_merged():
    assert not match(PROFILE, replace(PROFILE, edition="2nd ed.", year=1999)).same
    assert not match(PROFILE, replace(PROFILE, year=2004)).same


SERMONS = CanonicalRecord(title="The Psalter", subtitle="its form and its use : three sermons",
                          authors=("Stanhope, Arthur",), publisher="J. Henry and J. Parker", year=1863,
                          extent="pp. 115", format="book", carrier="text", language="eng")


def test_a_collection_named_as_the_part_of_one_record_of_an_old_pamphlet_is_weak():
    sermons = replace(SERMONS, pages=pages_from_extent(SERMONS.extent))
    bound = replace(sermons, part="Collection of British Pamphlets", extent="xxi, [4], 26-115, [1] p.")
    assert c.compare_part(sermons, bound).verdict == WEAK  # one year, one page count: not a volume of a set
    assert match(sermons, bound).same
    assert not match(sermons, replace(bound, part="Volume 2", pages=240, extent="240 p.")).same


FORMS = CanonicalRecord(title="State procedural forms", authors=("Coastal Law Book Co.",),
                        publisher="Coastal Law Book Co.", year=1975, extent="v.", format="book", carrier="text")


def test_an_edition_statement_typed_into_the_others_title_is_not_one_sided():
    stated = replace(FORMS, edition="Lawyers ed")
    in_title = replace(FORMS, title="State procedural forms, lawyers edition")
    assert c.compare_edition(stated, in_title).points == 0
    assert c.compare_edition(in_title, replace(FORMS, edition="2d ed.", title="State forms")).points == c.EDITION_ONE_SIDED
    assert c.compare_edition(replace(FORMS, edition="2d ed."), replace(FORMS, responsibility="2d ed., by the staff")).points == 0


def test_an_edition_statement_the_other_does_not_give_anywhere_stays_one_sided():
    assert c.compare_edition(replace(FORMS, edition="Lawyers ed"), FORMS).points == c.EDITION_ONE_SIDED
    assert c.compare_edition(replace(FORMS, edition="Lawyers ed"), replace(FORMS, title="State forms, students edition")) \
        .points == c.EDITION_ONE_SIDED
