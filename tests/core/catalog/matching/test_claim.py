"""Records of one library placed together share the editions they may join, one record to an edition:
the one that agrees with it best, whatever order the file gives them."""

from itertools import permutations

from jaringan.core.catalog.matching import Judgement, claim


def _options(table: dict[str, dict[str, int]]) -> tuple[list, list[str]]:
    keys = list(table)
    return [[(edition, Judgement(score, ())) for edition, score in table[key].items()] for key in keys], keys


def _placed(table: dict[str, dict[str, int]]) -> dict[str, str | None]:
    options, keys = _options(table)
    return {key: (found[0] if found else None) for key, found in zip(keys, claim(options, keys))}


def test_an_edition_goes_to_the_record_that_agrees_best_and_the_other_to_its_next_best():
    table = {"b-copy": {"E1": 70, "E2": 60}, "a-first": {"E1": 95}}
    assert _placed(table) == {"b-copy": "E2", "a-first": "E1"}


def test_a_record_left_without_an_edition_founds_one():
    assert _placed({"one": {"E1": 80}, "two": {"E1": 60}}) == {"one": "E1", "two": None}


def test_equal_scores_go_by_the_records_identifiers_then_by_candidate_order():
    assert _placed({"r2": {"E1": 90}, "r1": {"E1": 90}}) == {"r2": None, "r1": "E1"}
    assert _placed({"r1": {"E1": 90, "E2": 90}}) == {"r1": "E1"}


def test_the_order_of_the_file_does_not_decide():
    table = {"x": {"E1": 90, "E2": 85}, "y": {"E1": 90, "E3": 70}, "z": {"E2": 88, "E3": 75}, "w": {"E3": 50}}
    expected = _placed(table)
    for order in permutations(table):
        assert _placed({key: table[key] for key in order}) == expected
