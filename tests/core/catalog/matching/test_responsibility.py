"""Two records of one book that trace different people: one catalogue makes the compiler, the pseudonym
or one contributor the author, the other names that person only in the statement of responsibility."""

from dataclasses import replace

from jaringan.core.catalog.matching import match
from jaringan.core.catalog.matching import compare as c
from jaringan.core.catalog.matching.comparison import MISMATCH, WEAK
from jaringan.core.catalog.matching.names import named_in_statement
from jaringan.core.catalog.record import CanonicalRecord

LIST = CanonicalRecord(title="A list of books for teachers in the Harbour Town public library",
                       authors=("Pryce, Winifred (Ames)",), place="Harbour Town", year=1911, pages=24,
                       format="book", carrier="text", language="eng")


def test_an_author_named_in_the_others_statement_of_responsibility_is_no_evidence_against():
    traced_library = replace(LIST, authors=("Harbour Town Public Library",), responsibility="comp. by Winifred A. Pryce")
    assert c.compare_authors(LIST, traced_library) == c.Comparison("authors", WEAK, c.AUTHORS_IN_STATEMENT)
    assert c.compare_authors(traced_library, LIST).verdict == WEAK
    assert match(LIST, traced_library).same


def test_a_pseudonym_traced_by_one_and_the_real_name_by_the_other():
    pen_name = replace(LIST, title="The farmer king", authors=("Marlowe, Lucas",),
                       responsibility="by Lucas Marlowe [pseud.]", pages=None, extent="2 v.", publisher="Hale & Sons")
    real_name = replace(pen_name, authors=("Abrams, Lucas Saul",))
    assert c.compare_authors(pen_name, real_name).verdict == WEAK
    assert match(pen_name, real_name).same


def test_without_the_name_in_the_statement_other_authors_still_count_against():
    other = replace(LIST, authors=("Harbour Town Public Library",), responsibility="comp. by the staff")
    assert c.compare_authors(LIST, other) == c.Comparison("authors", MISMATCH, c.AUTHORS_NONE)
    assert not match(LIST, other).same
    # A corporate name's last word, or a short particle, is not a surname found in a statement.
    assert not named_in_statement(("Harbour Town Public Library",), "published by the library board")
    assert not named_in_statement(("De, La",), "edited by De La Cruz")
