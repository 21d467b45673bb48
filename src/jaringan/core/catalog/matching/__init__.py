"""Deciding whether catalogue records describe the same edition, and grouping them.

``comparison`` names the verdicts, ``names``/``titles``/``fields`` turn
names, titles, editions, volumes and publishers into comparable forms,
``citations`` undoes what citation databases do to an article's title and
authors (cells cut short, ligatures lost, abbreviations, names before the
title, the venue after it),
``compare`` holds the ``compare_<field>`` functions and their weights (``printed`` the year's and
the edition statement's, ``parts`` the volumes' and an article's issue),
``decision`` the vetoes and threshold, ``blocking`` the candidate keys and
the work key, ``placement`` the one rule that puts a record into an edition,
``cluster`` the incremental clustering (by that rule) and record quality.
"""

from .blocking import blocking_keys, key_number, key_numbers, same_work_key
from .cluster import cluster, preferred_record, record_quality
from .comparison import Comparison
from .decision import MATCH_THRESHOLD, MatchDecision, match, match_if_same
from .placement import Judgement, Member, Placement, claim, judge, place

__all__ = [
    "MATCH_THRESHOLD",
    "Comparison",
    "MatchDecision",
    "blocking_keys",
    "key_number",
    "key_numbers",
    "claim",
    "cluster",
    "match",
    "match_if_same",
    "Judgement",
    "Member",
    "Placement",
    "judge",
    "place",
    "preferred_record",
    "record_quality",
    "same_work_key",
]
