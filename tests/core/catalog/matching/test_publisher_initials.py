"""A publisher written out by one catalogue and by its initials in another ("G.P.O." / "Govt. Print. Off.",
"ASME" / "American Society of Mechanical Engineers", "H.M.S.O." / "Printed for H.M. Stationery Off.")."""

from dataclasses import replace

import pytest

from jaringan.core.catalog.matching import match
from jaringan.core.catalog.matching import compare as c
from jaringan.core.catalog.matching.comparison import MISMATCH, SIMILAR
from jaringan.core.catalog.matching.fields import publisher_initials, publisher_key

REPORT = c.CanonicalRecord(
    title="Notes on the sand dunes of the northern shore", subtitle="with a list of plants",
    authors=("Vance, Ora",), publisher="Govt. Print. Off.", place="Washington", year=1921, pages=72,
    format="book", carrier="text")


@pytest.mark.parametrize(("written", "initials"), [
    ("Govt. Print. Off.", "G.P.O."),
    ("Printed for H.M. Stationery Off.", "H.M.S.O."),
    ("American Society of Mechanical Engineers", "ASME"),
    ("Society for Promoting Christian Knowledge", "S.P.C.K."),
    ("Regional Centre, United Nations Environment Programme", "UNEP"),
    ("H.M.S.O.", "HMSO"),
])
def test_a_publisher_and_its_initials_agree(written, initials):
    assert publisher_initials(publisher_key(written), publisher_key(initials))
    assert publisher_initials(publisher_key(initials), publisher_key(written))
    one, other = replace(REPORT, publisher=written), replace(REPORT, publisher=initials, subtitle="with a list")
    assert c.compare_publisher(one, other) == c.Comparison("publisher", SIMILAR, c.PUBLISHER_SAME)


@pytest.mark.parametrize(("one", "other"), [
    ("Govt. Print. Off.", "Harbour Press"),
    ("American Society of Mechanical Engineers", "ASCE"),  # another society's initials
    ("Macmillan", "M. P."),  # two letters are no initials of one word
    ("Dover", "Dutton"),
])
def test_other_publishers_stay_different(one, other):
    assert not publisher_initials(publisher_key(one), publisher_key(other))
    assert c.compare_publisher(replace(REPORT, publisher=one), replace(REPORT, publisher=other)).verdict == MISMATCH


def test_initials_count_as_much_as_the_name():
    written = replace(REPORT, subtitle=None)
    initials = replace(REPORT, publisher="G.P.O.")
    assert match(written, initials).score == match(written, replace(initials, publisher=REPORT.publisher)).score
