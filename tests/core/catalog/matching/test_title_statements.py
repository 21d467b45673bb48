"""One title statement divided otherwise by two catalogues: the rest of a title coded as the statement of
responsibility, a title run on into its subtitle and notes, a long transcription with one word more, a
title shortened with "..." against the other's whole statement; and one corporate body named with and
without its seat.  Each is the same book; a word replaced, a short title with a word more, "by" inside a
title, or a body among other authors is not."""

from dataclasses import replace

from jaringan.core.catalog.matching import match
from jaringan.core.catalog.matching import compare as c
from jaringan.core.catalog.matching.comparison import MISMATCH, SIMILAR, WEAK
from jaringan.core.catalog.record import CanonicalRecord

PASSAGE = CanonicalRecord(
    title="The opening of the Makassar road and the long forgotten letters of its surveyors",
    responsibility="by Teodor H. Wirasana ...", authors=("Wirasana, Teodor H.",), year=1911, format="book",
    carrier="text", language="eng", extent="2 v.",
)


def test_the_rest_of_a_title_coded_as_the_statement_of_responsibility_is_the_title():
    coded_apart = replace(PASSAGE, title="The opening of the Makassar road",
                          responsibility="and the long forgotten letters of its surveyors")
    assert c.compare_title(PASSAGE, coded_apart).verdict == SIMILAR
    assert c.compare_title(coded_apart, PASSAGE).verdict == SIMILAR
    assert match(PASSAGE, coded_apart).same


def test_a_statement_of_responsibility_proper_is_not_taken_for_title_words():
    short = replace(PASSAGE, title="The opening of the Makassar road", responsibility="by Teodor H. Wirasana")
    assert c.compare_title(PASSAGE, short).verdict == WEAK


def test_by_inside_a_title_does_not_cut_the_title():
    crates = CanonicalRecord(title='Nailed 48" by 40" teak crates for harbour loading', responsibility="by R. Stern",
                             authors=("Stern, R.",), year=1968, pages=20, format="book", carrier="text")
    other = replace(crates, title='Nailed 48" by 40" pine and plywood crates', pages=24)
    assert c.compare_title(crates, other).verdict == MISMATCH
    assert not match(crates, other).same


MEMORIAL = CanonicalRecord(
    title="Memorial services held in the Volksraad of the Indies, together with addresses delivered in "
          "memory of Willem Adriaan Kusuma, late a member from Batavia",
    publisher="Landsdrukkerij", year=1938, pages=122, extent="122, [1] p.", format="book", carrier="text",
)


def test_a_long_title_statement_with_one_word_more_is_similar():
    with_more = replace(MEMORIAL, title="Memorial services held in the Volksraad of the Indies",
                        subtitle="together with addresses delivered in memory of Willem Adriaan Kusuma, Jr., "
                                 "late a member from Batavia")
    assert c.compare_title(MEMORIAL, with_more).verdict == SIMILAR
    assert match(MEMORIAL, with_more).same


def test_a_short_title_with_one_word_more_is_still_weak():
    one = replace(MEMORIAL, title="Memorial services of the Volksraad")
    assert c.compare_title(one, replace(one, title="Memorial services of the first Volksraad")).verdict == WEAK


def test_a_long_title_with_a_word_replaced_is_no_more_than_weak():
    other = replace(MEMORIAL, title=MEMORIAL.title.replace("Batavia", "Soerabaja"))
    assert c.compare_title(MEMORIAL, other).verdict in (WEAK, MISMATCH)


def test_a_title_shortened_with_an_omission_mark_is_found_in_the_whole_statement():
    war = CanonicalRecord(title="The history of the Java War", responsibility="by Pieter Lodewijk; with an "
                          "introduction and notes by Hendrik Jansen", authors=("Lodewijk, Pieter",), year=1865,
                          pages=205, format="book", carrier="text")
    shortened = replace(war, title="The history of the Java War. ... With an introduction and notes by "
                        "Hendrik Jansen", responsibility=None)
    assert c.compare_title(war, shortened).verdict == SIMILAR
    assert match(war, shortened).same


OFFICE = CanonicalRecord(title="Employment, wages and international trade", authors=("International Labour Office",),
                         year=1940, pages=107, format="book", carrier="text")


def test_one_body_named_with_its_seat_is_the_same_author():
    seated = replace(OFFICE, authors=("International labor office, Geneva",))
    assert c.compare_authors(OFFICE, seated).verdict == SIMILAR
    assert match(OFFICE, seated).same


def test_a_body_among_other_authors_or_another_body_is_not():
    assert c.compare_authors(OFFICE, replace(OFFICE, authors=("International Trade Office",))).verdict == MISMATCH
    many = replace(OFFICE, authors=("Hartono, Budi", "International Labour Office"))
    others = replace(OFFICE, authors=("Siregar, Ani", "International labor office, Geneva"))
    assert c.compare_authors(many, others).verdict == MISMATCH


def test_a_body_of_two_words_is_too_short_to_stand_in_another_name():
    assert not c._body_within("Geological Survey", "Geological Survey of Java, Bandung")


def test_titles_apart_only_in_their_small_words_are_alike():
    state = CanonicalRecord(title="The state of Burma", authors=("Tinker, Hugh",), publisher="Hurst", year=1967,
                            pages=224, format="book", carrier="text", language="eng")
    slip = replace(state, title="The state in Burma")
    assert c.compare_title(state, slip).verdict == SIMILAR
    assert match(state, slip).same
    # Another significant word is another title; one significant word is too little to say.
    assert c.compare_title(state, replace(state, title="The state of Siam")).verdict == MISMATCH
    assert c.compare_title(replace(state, title="On Burma"), replace(state, title="In Burma")).verdict == MISMATCH


COOKBOOK = CanonicalRecord(title="Complete household cookbook", authors=("Wiradinata, Sri",), publisher="Gramedia",
                           year=1961, pages=811, format="book", carrier="text", language="eng")


def test_a_title_with_its_authors_name_put_to_it_is_the_title():
    """A title page, a cover or a cataloguer gives the author's name with the title; the rest is the title."""
    for named in ("Sri Wiradinata's complete household cookbook", "Wiradinata complete household cookbook",
                  "The complete household cookbook of Sri Wiradinata"):
        other = replace(COOKBOOK, title=named)
        assert c.compare_title(other, COOKBOOK).verdict == SIMILAR, named
        assert c.compare_title(COOKBOOK, other).verdict == SIMILAR, named
        assert match(COOKBOOK, other).same, named
    classic = CanonicalRecord(title="On the natural faculties", authors=("Galen", "Brock, Arthur John"), year=1952,
                              pages=339, format="book", carrier="text")
    assert c.compare_title(replace(classic, title="Galen On the natural faculties"), classic).verdict == SIMILAR


def test_a_name_that_is_no_authors_or_a_bodys_words_stays_part_of_the_title():
    # Another person's name before the title: a book about them, or another book.
    assert c.compare_title(replace(COOKBOOK, title="Ani Siregar's complete household cookbook"),
                           COOKBOOK).verdict != SIMILAR
    # A corporate body's words are a title's words as often as its name.
    body = replace(COOKBOOK, authors=("Java Bank",), title="Java Bank complete household cookbook")
    assert c.compare_title(body, replace(body, title="Complete household cookbook")).verdict != SIMILAR
    # The author's given name alone is a word of the title ("Sri complete ..." is not the name put to it).
    assert c.compare_title(replace(COOKBOOK, title="Sri complete household cookbook"), COOKBOOK).verdict != SIMILAR
