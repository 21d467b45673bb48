"""Subtitles transcribed more or less fully, or divided from the title at another place: no evidence
against.  Other words in the subtitle still are."""

from dataclasses import replace

from jaringan.core.catalog.matching import match
from jaringan.core.catalog.matching import compare as c
from jaringan.core.catalog.matching.comparison import MISMATCH, WEAK

REPORT = c.CanonicalRecord(title="Improvements needed in estimating the costs of river dredging",
                           subtitle="report to the Assembly", authors=("Office of the Auditor of Works",),
                           place="Harbour Town", year=1974, pages=68, format="book", carrier="text")


def test_a_subtitle_standing_whole_at_the_start_of_the_other_is_weak():
    longer = replace(REPORT, subtitle="report to the Assembly on the Department of Rivers and the Port Board")
    assert c.compare_subtitle(REPORT, longer) == c.Comparison("subtitle", WEAK, 0)
    assert match(REPORT, longer).same


def test_title_and_subtitle_divided_at_another_place_are_weak():
    one = c.CanonicalRecord(title="Earth, sea and sky", subtitle="or, Wonders of the heavens and the deep",
                            authors=("Norcott, Henry",), publisher="Lakeside Pub. Co.", year=1887, format="book")
    other = replace(one, title="Earth, sea and sky, or, Wonders of the heavens and the deep",
                    subtitle="containing adventures on land and sea")
    assert c.compare_subtitle(one, other).verdict == WEAK
    assert match(one, other).same


def test_other_words_in_the_subtitle_still_count_against():
    other = replace(REPORT, subtitle="report to the Assembly on harbour lights")
    assert c.compare_subtitle(replace(REPORT, subtitle="summary for the Board"), other).verdict == MISMATCH
    assert not match(replace(REPORT, subtitle="summary for the Board"), replace(other, pages=240)).same
