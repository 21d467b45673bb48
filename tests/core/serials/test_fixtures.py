"""Every serial and holdings fixture of the shared data read: Evergreen's MFHD test vectors (each
item's statement, the compressions they expect, the next issue they predict), its MFHD records,
and the GOKb KBART files with their real quirks."""

import pytest

from jaringan.core.serials import mfhd, reader
from jaringan.core.serials.coverage import Point
from jaringan.core.serials.lines import HoldingsLine, Problem
from tests.paths import FIXTURES

VECTORS = FIXTURES / "evergreen" / "mfhd_test"
KBART = FIXTURES / "serials_holdings" / "gokb_kbart"


def vectors(name):
    out = {}
    for line in (VECTORS / name).read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        field = mfhd.parse_vector_line(line)
        if field.tag == "245":
            title = field.get("a").strip()
            out[title] = []
        else:
            out[title].append(field)
    return out


ALL = {**vectors("mfhddata.txt"), **{f"2: {k}": v for k, v in vectors("mfhddata2.txt").items()}}


def _next_issue(field, caption):
    """The issue Evergreen's vector says comes next ($x |a1|b7|i1990|j07), read against the same caption."""
    x = field.get("x")
    if not x or not x.startswith("|"):
        return None
    values = dict((part[0], part[1:]) for part in x.split("|")[1:] if part)
    return mfhd._point(caption, values, last=False)


@pytest.mark.parametrize("title", sorted(ALL))
def test_every_vector_item_is_read_and_stated(title):
    fields = ALL[title]
    items = mfhd.items(fields)
    assert items, title
    for item in items:
        assert item.range is not None, f"{title}: {item.raw}"
        assert item.text and "None" not in item.text
    statement = mfhd.statement(fields)
    assert statement.unparsed == ()
    assert statement.display()


def test_the_predicted_next_issue_follows_each_item():
    checked = 0
    for title, fields in ALL.items():
        captions = {f.get("8"): {c: v for c, v in f.subfields if c in "abcdefijkl"} for f in fields
                    if f.tag == "853"}
        for field in fields:
            if field.tag != "863":
                continue
            caption = captions[field.get("8").split(".")[0]]
            nxt = _next_issue(field, caption)
            if nxt is None:
                continue
            [item] = mfhd.items([f for f in fields if f.tag == "853"] + [field])
            here = item.range.last
            key = lambda p: (p.year or 0, p.volume or 0, p.issue or 0)  # noqa: E731
            assert key(nxt) >= key(here), f"{title}: {item.text} then {nxt}"
            checked += 1
    assert checked >= 70


@pytest.mark.parametrize(("data", "result"), [
    ("2: Get compressed holdings", "2: Get compressed holdings, result"),
    ("2: Get combined holdings", "2: Get combined holdings, result"),
    ("2: Get compressed holdings, open ended member", "2: Get compressed holdings, open ended member, result"),
    ("2: Passthru Open Ended, test data", "2: Passthru Open Ended, test results"),
    ("2: Comparison test, unsorted", "2: Comparison test, sorted"),
])
def test_compression_gives_the_expected_holdings(data, result):
    got, expected = mfhd.statement(ALL[data]), mfhd.statement(ALL[result])
    assert got.ranges == expected.ranges
    assert got.display() == expected.display() or data.endswith("unsorted")


def test_compressed_to_last():
    first_range = mfhd.statement(ALL["2: Compressed to last, part 1"]).ranges[0]
    [last] = mfhd.statement(ALL["2: Compressed to last, part 2"]).ranges
    assert first_range.last == last.start


EXPECTED_MFHD = [
    ("a814607", ""),
    ("a814610", ""),
    ("a814666", "2007:Spring-2008:Summer"),
    ("a814871", "2000-2005"),
    ("a814872", "2000-2005"),
    ("a815076", "v.9:no.1 (2006)-v.9:no.2 (2006); v.10:no.2 (2007)-v.11:no.1 (2008)"),
    ("a815094", "v.18:no.4 (2007:Feb.); v.19:no.1 (2007:May)-v.19:no.2 (2007:Sept.)"),
]


def test_evergreen_mfhd_records():
    lines = list(reader.read((FIXTURES / "evergreen" / "serials_mfhd.xml").read_bytes()))
    assert all(isinstance(line, HoldingsLine) for line in lines)
    assert [(line.bib_ids[0], line.statement.display()) for line in lines] == EXPECTED_MFHD
    assert lines[3].text == "2000/2001 - 2003/2004"  # the 866 as written, beside the parsed form
    assert lines[2].location == "DESMARAIS DESM-PER"


KBART_FILES = {
    # file: (holdings lines, problems, one title with its statement)
    # 158 lines, 110 of them only tabs: 47 titles (a naive reader of CR endings sees one line)
    "AnnualReviews_SciencesCollection34_2011-04-27.txt": (47, 0, ("Annual Review of Anthropology", "v.1 (1972)-")),
    "journals.cambridge.org_2011 Cambridge Journals NESLI2 Full Package_2013-01-01.txt":
        (263, 0, ("Religious Studies", "v.33:no.1 (1997)-v.48:no.4 (2012)")),
    "journals.cambridge.org_AllTitles_2015-07-14.txt": (468, 0, ("AJS Review", "v.1 (1976)-")),
    "ScienceDirectStandard_Global_EBook-AgriculturalAndBiologicalSciencesPre-2007_2016-05-23.txt":
        (13, 249, ("Advances in Plant Pathology", "v.6 (1988)-")),  # 249 monographs left out, each reported
    "muse_journal_metadata_2013.tsv": (None, 0, ("a/b: Auto/Biography Studies", "v.24 (2009)-")),
    "wiley_Full Collection_2012_2014_Nesli2.csv": (None, 0, ("ABACUS", "v.33 (1997)-")),
    "Brill-DAC.tsv": (98, 0, None),
    "test_validation_serials_valid.txt": (1, 0, ("ValidationTestJournal", "v.1:no.1 (2000)-v.15:no.80 (2013)")),
    "test_validation_serials_errors.txt": (1, 0, None),
    "test_validation_mixed_valid.txt": (1, 1, None),
    "test_validation_monographs_errors.txt": (0, 1, None),
    "test_rest_initial_access_dates.txt": (2, 2, None),
}


@pytest.mark.parametrize("name", sorted(KBART_FILES))
def test_kbart_files(name):
    data = (KBART / name).read_bytes()
    assert reader.sniff(data[:4096]) == "table"
    out = list(reader.read(data))
    lines = [x for x in out if isinstance(x, HoldingsLine)]
    problems = [x for x in out if isinstance(x, Problem)]
    count, bad, sample = KBART_FILES[name]
    if count is not None:
        assert len(lines) == count
    else:
        assert len(lines) > 100
    if bad is not None:
        assert len(problems) == bad, problems[:3]
    for p in problems:
        assert p.line > 1 and p.reason
    if sample:
        title, shown = sample
        found = [line for line in lines if line.title == title]
        assert found, title
        assert found[0].statement.display() == shown


def test_kbart_bad_check_digit_is_kept_and_warned():
    [line] = [x for x in reader.read((KBART / "test_validation_serials_errors.txt").read_bytes())]
    assert line.issns == ("1673-3436",)
    assert "1673-3550" in line.warning


def test_kbart_line_numbers_count_the_preamble():
    out = list(reader.read((KBART / "wiley_Full Collection_2012_2014_Nesli2.csv").read_bytes()))
    assert out[0].line == 12 and out[0].title == "ABACUS"


def test_muse_prose_coverage_is_read():
    out = [x for x in reader.read((KBART / "muse_journal_metadata_2013.tsv").read_bytes())
           if isinstance(x, HoldingsLine)]
    unread = [x for x in out if x.statement.unparsed]
    assert len(unread) < len(out) * 0.05, [x.text for x in unread[:5]]
    assert all(x.statement.ranges or x.statement.unparsed or not x.text for x in out)


def test_every_kbart_serial_row_has_a_range():
    data = (KBART / "journals.cambridge.org_AllTitles_2015-07-14.txt").read_bytes()
    lines = [x for x in reader.read(data) if isinstance(x, HoldingsLine)]
    assert sum(1 for x in lines if x.statement.ranges) >= 460
    assert all(x.statement.covers(year=2030) for x in lines if x.statement.ranges and x.statement.ranges[-1].open)
    assert Point(volume=1) == Point(volume=1, label="x")


def test_doaj_journal_list_with_years_only():
    data = (FIXTURES / "serials_holdings" / "doaj_journal_csv_2014" / "doaj_20140309_indonesia.csv").read_bytes()
    lines = list(reader.read(data))
    assert len(lines) == 106 and all(isinstance(x, HoldingsLine) for x in lines)
    biotropia = next(x for x in lines if x.title.startswith("BIOTROPIA"))
    assert biotropia.issns == ("0215-6334", "1907-770X")
    assert biotropia.statement.display() == "1987-" and biotropia.statement.covers(year=2014)
    assert all(x.statement.ranges and not x.statement.unparsed for x in lines)
