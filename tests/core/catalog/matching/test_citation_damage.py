"""Kinds of damage citation databases do to an article's title and author list, undone before two citations
are compared (``matching.citations``): a cell cut at a fixed length, ligatures lost, a run of words
abbreviated to its initials, words split or joined, one word of a title paraphrased.  Pinned on both sides:
another paper by the same people, whose title differs by more, or puts its words in another order, stays
apart."""

from dataclasses import replace

import pytest

from jaringan.core.catalog.matching import match
from jaringan.core.catalog.matching import compare as c
from jaringan.core.catalog.matching.citations import cut_short_authors, title_edits
from jaringan.core.catalog.record import CanonicalRecord

PAPER = CanonicalRecord(title="adaptive sampling of sensor readings for approximate range queries",
                        format="article", authors=("m okafor", "j lindqvist", "p tanaka"), container="vldb",
                        year=2001)
SCRAPED = replace(PAPER, year=None, container=None)


@pytest.mark.parametrize("title", [
    "adaptive sampling of sensor readings for approximate range queries",
    "adaptive sampling of sensor readings for approx . range queries",  # one word cut short: one edit
    "adaptive sampling of sensor readings for approximate range querying",  # one word paraphrased
    "adaptive sampling of sensor readings for approximate queries",  # one word left out
])
def test_one_word_apart_in_order_is_evidence_for(title):
    assert title_edits(PAPER.title, title, c.ARTICLE_ONE_WORD_OTHER_MIN_WORDS) <= 1
    assert match(PAPER, replace(SCRAPED, title=title)).same


def test_a_ligature_lost_in_a_pdf_is_no_edit():
    """"fi", "fl", "ffi" typeset as one glyph are lost when a citation database reads the PDF."""
    paper = replace(PAPER, title="efficient filters for flat files")
    assert title_edits(paper.title, "ecient lters for at les", 3) == 0
    assert title_edits(paper.title, "e cient filters for flat files", 3) == 0  # the glyph left a gap
    assert match(paper, replace(SCRAPED, title="ecient lters for at les")).same


@pytest.mark.parametrize("short, full", [
    ("adaptive sampling for ir", "adaptive sampling for information retrieval"),
    ("comparing hybrid p2p systems", "comparing hybrid peer-to-peer systems"),
    ("sampling in db2 udb", "sampling in db2 universal database"),  # a long word gives two letters
    ("semistructured sensor data", "semi-structured sensor data"),  # a word split or joined
])
def test_an_abbreviation_or_a_split_word_is_no_edit(short, full):
    assert title_edits(short, full, 3) == 0


def test_initials_that_spell_other_words_are_an_edit():
    assert title_edits("sampling for ir", "sampling for image recognition systems", 3) >= 1
    assert title_edits("comparing hybrid p2p systems", "comparing hybrid parallel systems", 3) == 1


def test_a_title_cut_at_a_fixed_length_is_compared_where_it_stops():
    full = ("adaptive sampling of sensor readings for approximate range queries over large wireless "
            "networks with energy budgets")
    cut = full[:100].rsplit(" ", 1)[0]
    paper, scraped = replace(PAPER, title=full), replace(SCRAPED, title=cut)
    assert title_edits(full, cut, 3) == 0
    assert match(paper, scraped).same
    # A short title is never taken as cut: the words the other goes on with count.
    assert title_edits("adaptive sampling", "adaptive sampling of sensor readings", 2) not in (0, 1)


def test_a_name_cut_to_an_initial_at_the_end_of_the_list_is_left_out():
    assert cut_short_authors(("m okafor", "j lindqvist", "p")) == ("m okafor", "j lindqvist")
    assert cut_short_authors(("m", "j lindqvist")) == ("m", "j lindqvist")  # inside the list: kept
    assert cut_short_authors(("k",)) == ("k",)
    scraped = replace(SCRAPED, title="sensor readings", authors=("m okafor", "j lindqvist", "p tanaka", "x"))
    paper = replace(PAPER, title="sensor readings")
    assert c.compare_authors(paper, scraped).verdict == c.MATCH


@pytest.mark.parametrize("title", [
    "adaptive sampling of sensor readings for exact range counting",  # two words other
    "xsense : energy-aware sampling of sensor readings for approximate range queries",  # a system's name, a word
    "approximate range queries for sensor readings by adaptive sampling",  # a word other, the rest reordered
])
def test_another_paper_by_the_same_people_stays_apart(title):
    assert not match(PAPER, replace(SCRAPED, title=title)).same


def test_a_citations_preamble_of_names_costs_nothing_but_a_systems_name_does():
    names = frozenset({"okafor", "lindqvist"})
    assert title_edits(PAPER.title, "m. okafor ( 2001 ) . " + PAPER.title, 3, names) == 0
    assert title_edits("sampling sensor readings fast", "xsense : sampling sensor readings fast", 3, names) == 1


def test_one_word_apart_in_a_short_title_needs_more_than_the_title():
    """Three or four words one apart are worth less than the same words: the authors and more must agree."""
    paper = replace(PAPER, title="sensor range queries")
    other = replace(SCRAPED, title="sensor range counting")
    assert c.compare_title(paper, other).points == c.ARTICLE_ONE_WORD_OTHER
    assert not match(paper, replace(other, authors=("a novak",))).same
    two_words = replace(PAPER, title="sensor queries")
    assert c.compare_title(two_words, replace(SCRAPED, title="sensor counting")).verdict == c.MISMATCH


def test_a_title_after_its_authors_names_is_the_same_title():
    """"jm patel , jb yu , client-server paradise": the words after the names are the title, word for word."""
    paper = replace(PAPER, title="sensor range queries", authors=("m okafor", "j lindqvist"))
    cited = replace(SCRAPED, title="m okafor , j lindqvist . sensor range queries", authors=("m okafor", "j lindqvist"))
    found = c.compare_title(paper, cited)
    assert (found.verdict, found.points) == (c.MATCH, c.TITLE_EXACT)
    assert match(paper, cited).same
    # Words other than names before the title are not a citation's preamble.
    other = replace(cited, title="energy budgets . sensor range queries")
    assert c.compare_title(paper, other).verdict != c.MATCH


@pytest.mark.parametrize("spelled", ["j. very large data bases", "journal on very large data bases ( vldb )"])
def test_a_venues_acronym_spelled_out_is_the_same_venue(spelled):
    from jaringan.core.catalog.matching.venues import venue_verdict

    assert venue_verdict("vldb j.", spelled) == c.SIMILAR
    assert venue_verdict("tods", "transactions on database systems") == c.SIMILAR


def test_an_acronym_spelled_out_with_other_words_left_is_another_venue():
    from jaringan.core.catalog.matching.venues import venue_verdict

    assert venue_verdict("vldb j.", "very large data bases") == c.MISMATCH  # the proceedings, not the journal
    assert venue_verdict("vldb j.", "j. very large data bases applications") == c.MISMATCH


def test_a_name_split_elsewhere_is_the_same_name():
    from jaringan.core.catalog.matching.names import citation_name_similarity, name_similarity

    assert citation_name_similarity("p o'neil", "po ` neil") >= 0.9  # the apostrophe read as a space
    assert name_similarity("p o'neil", "po ` neil") < 0.9  # a catalogue's heading is not garbled that way
    assert citation_name_similarity("po neil", "p oneal") < 0.9  # other letters


def test_a_venues_kind_words_misread_from_a_scan_are_still_kind_words():
    from jaringan.core.catalog.matching.venues import venue_verdict, venue_words

    assert venue_words("proc . 21st intt . conj . very large data") == ("very", "large", "data")
    assert venue_verdict("vldb", "proc . 21st intt . conj . very large data") == c.WEAK  # cut short, no longer other
    assert venue_words("journal of data bases") == ("journal", "data", "bases")  # short words never count as misread


def test_names_and_initials_before_a_title_are_left_out_whatever_stands_between_them():
    names = frozenset({"okafor", "lindqvist"})
    cited = "m , okafor , j lindqvist , adaptive sampling of sensor readings for approximate range queries"
    assert title_edits(PAPER.title, cited, 3, names) == 0
    assert title_edits(PAPER.title, "energy , adaptive sampling of sensor readings for approximate range queries",
                       3, names) == 1  # a word that names nobody is the title's


@pytest.mark.parametrize("cited", [
    "tanaka 2001 adaptive sampling of sensor readings for approximate range queries",  # a name, then the year
    "tanakap ( 2001 ) adaptive sampling of sensor readings for approximate range queries",  # initial run on
    "tanaka ( 2001a ) . adaptive sampling of sensor readings for approximate range queries",  # one of two in 2001
])
def test_a_year_or_a_name_with_its_initial_run_on_is_part_of_the_preamble(cited):
    """The preamble is cut where the names and the year end, so the title after it is compared whole: one word
    paraphrased in it is one edit, not a preamble that names nobody."""
    names = frozenset({"okafor", "lindqvist", "tanaka"})
    assert title_edits(PAPER.title, cited, 3, names) == 0
    paraphrased = cited.replace("approximate range queries", "approximate queries")
    assert title_edits(PAPER.title, paraphrased, 3, names) == 1
    assert match(PAPER, replace(SCRAPED, title=paraphrased, authors=PAPER.authors[:2])).same


def test_a_word_one_letter_past_a_short_name_is_a_word():
    """Only a name of four letters or more takes an initial run on: "lint" is not "lin" with an initial."""
    names = frozenset({"lin"})
    assert title_edits("testing parsers with fuzzing tools", "lint testing parsers with fuzzing tools", 3,
                       names) == 1


def test_a_title_ending_in_a_word_no_title_ends_with_was_cut_short():
    """A shorter cell cut short ends mid-phrase ("... to watch its"): the other title's words after it are not
    held against it, as for a long cell; a title ending in a word of its own is whole."""
    full = "staircase join : teach a relational engine to watch its axis steps"
    assert title_edits(full, "staircase join : teach a relational engine to watch its", 3) == 0
    assert title_edits(full, "staircase join : teach a relational engine to watch", 3) not in (0, 1)
    assert title_edits("vitamin a", "vitamin a deficiency in children", 2) not in (0, 1)


def test_a_long_cell_with_a_preamble_is_still_compared_where_it_stops():
    """The cell was cut at a fixed length after the names before the title: its title is the shorter one."""
    full = ("adaptive sampling of sensor readings for approximate range queries over large wireless "
            "networks with energy budgets")
    cited = ("m. okafor , j. lindqvist ( 2001 ) . " + full)[:100]
    assert title_edits(full, cited, 3, frozenset({"okafor", "lindqvist"})) == 0


@pytest.mark.parametrize("cited", [
    "sensor range queries , acm sigmod int",  # the venue typed after the title
    "sensor range queries . in : proceedings of the acm conference",
    "m okafor , j lindqvist , sensor range queries",  # names before it, commas between
])
def test_the_same_title_inside_a_citations_cell_is_the_same_title(cited):
    paper = replace(PAPER, title="sensor range queries", container="sigmod conference")
    other = replace(SCRAPED, title=cited)
    found = c.compare_title(paper, other)
    assert (found.verdict, found.points) == (c.MATCH, c.TITLE_EXACT)
    assert match(paper, other).same


def test_words_after_a_title_that_name_no_venue_stay_part_of_it():
    paper = replace(PAPER, title="sensor range queries")
    for cited in ("sensor range queries , a survey", "sensor range queries , energy budgets"):
        assert c.compare_title(paper, replace(SCRAPED, title=cited)).verdict != c.MATCH


def test_a_venue_cell_holding_the_end_of_the_title_contradicts_nothing():
    paper = replace(PAPER, title="sensor networks - integrating the web , corba , and databases",
                    container="sigmod conference")
    cited = replace(SCRAPED, title="sensor networks-integrating the web", container="corba and")
    assert c.compare_container(paper, cited).points == 0
    # A venue cell naming another venue still counts against.
    elsewhere = replace(cited, container="information systems journal")
    assert c.compare_container(paper, elsewhere).points == c.CONTAINER_DIFFERENT


def test_a_name_word_two_letters_from_a_kind_word_is_kept():
    from jaringan.core.catalog.matching.venues import venue_words

    assert "processing" in venue_words("Information Processing & Management")  # "proceeding" is two away


def test_one_word_more_in_a_short_title_stays_weak():
    """Only a word replaced counts for: a short title with a word more may be another paper's."""
    paper = replace(PAPER, title="sensor range queries")
    assert c.compare_title(paper, replace(SCRAPED, title="sensor range queries revisited")).points == 0
