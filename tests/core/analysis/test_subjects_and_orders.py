"""Class numbers placed in subject groups, order lists read line by line, overlap against brute force."""

from __future__ import annotations

import random
from itertools import combinations

import pytest

from jaringan.core.analysis import orders, overlap, subjects
from jaringan.core.catalog.record import Classification


@pytest.mark.parametrize(("scheme", "number", "group"), [
    ("ddc", "959.8/03", "95"),
    ("ddc", "[338.9598]", "33"),
    ("ddc", "Fic", None),
    ("lcc", "QA76.9 .D3 C47 2010", "QA"),
    ("lcc", "DS646.28 .S55", "DS"),
    ("lcc", "KNW515.5 .J66 1999", "KN"),  # law of Indonesia: the outline's KN range
    ("lcc", "MLCSE 2000/00106 (P)", None),  # an LC shelf mark, not a class
    ("lcc", "Microfiche 00/50041 (P)", None),
    ("lcc", "QA", None),  # letters with no number are no class number
    ("udc", "94(594)", "9"),
    ("udc", "631.4", "6"),
])
def test_a_class_number_falls_in_its_group_or_in_none(scheme, number, group):
    placed = subjects.place([Classification(scheme, number)])
    assert placed.group(scheme) == group


def test_the_first_readable_number_of_each_scheme_wins_and_numbers_are_kept_for_ranges():
    placed = subjects.place([{"scheme": "ddc", "number": "B"}, {"scheme": "ddc", "number": "633.18"},
                             {"scheme": "lcc", "number": "SB191.R5"}, {"scheme": "ddc", "number": "100"}])
    assert (placed.ddc, placed.ddc_group, placed.lcc, placed.lcc_number) == (633.18, "63", "SB", 191.0)
    assert subjects.lcc_outline()["QA"] == "Mathematics" and len(subjects.lcc_outline()) > 200


def test_typed_lines_csv_and_marc_order_lists_name_each_line():
    typed = orders.read_text("9789794614075\n\n979-461-407-X, Sejarah\nnot an isbn\n")
    assert [(x.line, x.isbn, x.title, x.error) for x in typed] == [
        (1, "9789794614075", "", None), (3, None, "Sejarah", orders.NOT_AN_ISBN), (4, None, "", orders.NOT_AN_ISBN)]
    uploaded = orders.read_order(b"9789794614075\n0198534531\n", "pesanan.txt")  # a file of ISBNs, not MARC
    assert [(x.line, x.isbn) for x in uploaded] == [(1, "9789794614075"), (2, "9780198534532")]
    csv_file = "Judul,ISBN\nSejarah Maluku,0-19-853453-1\nTanpa,\n".encode()
    lines = orders.read_order(csv_file, "pesanan.csv")
    assert [(x.line, x.isbn, x.title, x.error) for x in lines] == [
        (2, "9780198534532", "Sejarah Maluku", None), (3, None, "Tanpa", orders.NO_ISBN)]


def test_marc_order_lists_give_each_records_isbn():
    import pymarc

    record = pymarc.Record()
    record.add_field(pymarc.Field(tag="020", indicators=[" ", " "], subfields=[pymarc.Subfield("a", "0198534531")]))
    record.add_field(pymarc.Field(tag="245", indicators=["0", "0"], subfields=[pymarc.Subfield("a", "A title")]))
    lines = orders.read_order(record.as_marc() * 2, "order.mrc")
    assert [(x.line, x.isbn) for x in lines] == [(1, "9780198534532"), (2, "9780198534532")]


def _brute(editions, group):
    n = len(group)
    buckets = {"total": 0, "one": 0, "few": 0, "many": 0, "all": 0}
    held = dict.fromkeys(group, 0)
    unique = dict.fromkeys(group, 0)
    pairs = {}
    for holders in editions:
        inside = set(holders) & set(group)
        k = len(inside)
        if not k:
            continue
        buckets["total"] += 1
        key = "all" if k == n else "one" if k == 1 else "few" if k <= overlap.FEW_MAX else "many"
        buckets[key] += 1
        for lib in inside:
            held[lib] += 1
            unique[lib] += k == 1
        for a, b in combinations(sorted(inside), 2):
            pairs[(a, b)] = pairs.get((a, b), 0) + 1
    return buckets, held, unique, pairs


@pytest.mark.parametrize("seed", range(5))
def test_overlap_from_pattern_counts_equals_counting_edition_by_edition(seed):
    rng = random.Random(seed)
    libraries = list(range(1, 16))
    editions = [tuple(sorted(rng.sample(libraries, rng.choice((1, 1, 2, 3, 6, 9, 15))))) for _ in range(800)]
    cells: dict = {}
    for holders in editions:
        cells[holders] = cells.get(holders, 0) + 1
    cell_list = [overlap.Cell(h, "", n) for h, n in cells.items()]
    group = sorted(rng.sample(libraries, rng.randint(1, 12)))
    buckets, held, unique, pairs = _brute(editions, group)
    got = overlap.overlap(cell_list, group)
    assert {k: getattr(got, k) for k in buckets} == buckets
    assert got.held == [held[x] for x in group] and got.unique == [unique[x] for x in group]
    for i, a in enumerate(group):
        for j, b in enumerate(group):
            assert got.matrix[i][j] == (held[a] if i == j else pairs.get((min(a, b), max(a, b)), 0))


def test_holding_patterns_read_back_as_written():
    assert overlap.holders_text([12, 3, 7, 3]) == ",3,7,12,"
    assert overlap.parse_holders(",3,7,12,") == (3, 7, 12)
    assert overlap.holders_text([]) == "" and overlap.parse_holders("") == ()
