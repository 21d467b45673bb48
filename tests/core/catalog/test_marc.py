"""MARC 21 → CanonicalRecord: field mapping, formats, holdings, robustness."""

import pymarc
import pytest
from pymarc import Field, Indicators, Subfield

from jaringan.core.catalog.errors import CatalogError, NoTitle
from jaringan.core.catalog.marc import record_from_marc
from jaringan.core.catalog.record import Classification, Holding, Series
from tests.paths import LOC_INDONESIA

INDONESIA = LOC_INDONESIA


def _field(tag: str, *pairs: str, ind: str = "  ") -> Field:
    subfields = [Subfield(pairs[i], pairs[i + 1]) for i in range(0, len(pairs), 2)]
    return Field(tag=tag, indicators=Indicators(ind[0], ind[1]), subfields=subfields)


def _record(*fields: Field, leader: str = "00000nam a2200000 a 4500", fixed: str | None = None) -> pymarc.Record:
    record = pymarc.Record(leader=leader)
    if fixed is not None:
        record.add_field(Field(tag="008", data=fixed))
    for field in fields:
        record.add_field(field)
    return record


FIXED_IND_1999 = "000713s1999    io a     b    f000 0 ind  "
#: 008 positions 00-17 (entered, type, dates, place), 18-23, then 24 = "m" (theses).
THESIS_008 = "000713s1999    io " + " " * 6 + "m   " + " " * 7 + "ind  "


@pytest.fixture(scope="module")
def indonesian_record():
    with INDONESIA.open("rb") as handle:
        for marc in pymarc.MARCReader(handle, to_unicode=True, force_utf8=True, permissive=True):
            if marc is not None and marc["001"] is not None and marc["001"].data.strip() == "00369505":
                return record_from_marc(marc, library="LOC")
    raise AssertionError("record 00369505 not found in the Indonesian fixture")


def test_golden_indonesian_record(indonesian_record):
    r = indonesian_record
    assert r.source_id == "00369505"
    assert r.library == "LOC"
    assert r.title == "Pelecehan tenaga kerja perempuan"
    assert r.responsibility == "Sumarni D.W., Lientje Setyowati"
    assert r.authors == ("Sumarni D. W.", "Setyowati, Lientje")  # an initial keeps its period
    assert r.edition == "Cet. 1."
    assert (r.place, r.publisher, r.year) == (
        "Yogyakarta",
        "Kerjasama Ford Foundation dengan Pusat Penelitian Kependudukan, Universitas Gadjah Mada",
        1999,
    )
    assert (r.extent, r.pages) == ("xii, 71 p.", 71)
    assert r.isbns == ()
    assert r.invalid_isbns == ("9798368580",)  # 020 $z: cancelled/invalid, never matched on
    assert r.lccn == "00369505"
    assert r.language == "ind"
    assert r.subjects[0] == "Sexual harassment of women -- Indonesia -- Sleman (Kabupaten)"
    assert r.series[0] == Series("Seri laporan", "no. 94")
    assert Classification("lcc", "HD6060.5.I52 S54 1999") in r.classifications
    assert r.format == "book"


def test_title_parts_and_identifiers():
    marc = _record(
        _field("020", "a", "979-3062-79-7 (pbk.) :", "c", "Rp40.000"),
        _field("020", "a", "0-306-40615-3"),
        _field("022", "a", "0317-8471"),
        _field("035", "a", "(OCoLC)ocm00012345"),
        _field("035", "a", "(DLC)  00271635"),
        _field("082", "a", "020/.9598", "2", "21"),
        _field("080", "a", "02(594)"),
        _field("245", "a", "Sejarah Indonesia :", "b", "dari masa ke masa /", "n", "Jilid 2,", "p", "Zaman modern /",
               "c", "Sulistyo-Basuki.", ind="10"),
        _field("100", "a", "Sulistyo-Basuki,", "d", "1940-", ind="0 "),
        _field("710", "a", "Universitas Indonesia.", "b", "Fakultas Sastra.", ind="2 "),
        fixed=FIXED_IND_1999,
    )
    r = record_from_marc(marc)
    assert (r.title, r.subtitle, r.part) == ("Sejarah Indonesia", "dari masa ke masa", "Jilid 2. Zaman modern")
    assert r.responsibility == "Sulistyo-Basuki"
    assert r.authors == ("Sulistyo-Basuki", "Universitas Indonesia. Fakultas Sastra")
    assert r.isbns == ("9789793062792",)
    assert r.invalid_isbns == ("0-306-40615-3",)
    assert r.issns == ("0317-8471",)
    assert r.oclc_numbers == ("12345",)
    assert r.classifications == (Classification("ddc", "020.9598"), Classification("udc", "02(594)"))


def test_264_publication_preferred_over_copyright_and_brackets_removed():
    marc = _record(
        _field("245", "a", "Judul"),
        _field("264", "c", "©2015", ind=" 4"),
        _field("264", "a", "[Jakarta] :", "b", "[Penerbit Buku Kompas],", "c", "[2016]", ind=" 1"),
    )
    r = record_from_marc(marc)
    assert (r.place, r.publisher, r.year) == ("Jakarta", "Penerbit Buku Kompas", 2016)


@pytest.mark.parametrize(
    ("publisher", "expected"),
    [("[s.n.],", None), ("s.n.", None), ("[Tanpa penerbit]", None), ("Gramedia,", "Gramedia")],
)
def test_sine_nomine_publisher_is_none(publisher, expected):
    r = record_from_marc(_record(_field("245", "a", "Judul"), _field("260", "a", "[S.l.] :", "b", publisher)))
    assert r.publisher == expected
    assert r.place is None


@pytest.mark.parametrize(
    ("fixed", "date", "year"),
    [
        ("000713s1999    io            000 0 ind  ", "2001.", 1999),  # 008 wins
        ("000713s9999    io            000 0 ind  ", "c1998.", 1998),  # placeholder 9999
        ("000713nuuuu    io            000 0 ind  ", "[1993]", 1993),
        ("short", "1987", 1987),  # malformed 008
        (None, "[199-?]", None),
    ],
)
def test_year_from_008_then_260(fixed, date, year):
    marc = _record(_field("245", "a", "Judul"), _field("260", "c", date), fixed=fixed)
    assert record_from_marc(marc).year == year


def test_language_falls_back_to_041():
    marc = _record(_field("245", "a", "Judul"), _field("041", "a", "jav"), fixed="000713s1999    io            000 0    d")
    assert record_from_marc(marc).language == "jav"


@pytest.mark.parametrize(
    ("leader", "fixed", "fmt"),
    [
        ("00000nam a2200000 a 4500", None, "book"),
        ("00000nas a2200000 a 4500", None, "serial"),
        ("00000nab a2200000 a 4500", None, "article"),
        ("00000naa a2200000 a 4500", None, "article"),
        ("00000nem a2200000 a 4500", None, "map"),
        ("00000njm a2200000 a 4500", None, "music"),
        ("00000ncm a2200000 a 4500", None, "music"),
        ("00000ngm a2200000 a 4500", None, "video"),
        ("00000nkm a2200000 a 4500", None, "other"),
        ("00000nam a2200000 a 4500", THESIS_008, "thesis"),
        ("short", None, "book"),
    ],
)
def test_format_from_leader_and_008(leader, fixed, fmt):
    marc = _record(_field("245", "a", "Judul"), leader="00000nam a2200000 a 4500", fixed=fixed)
    marc.leader = leader
    assert record_from_marc(marc).format == fmt


def test_thesis_from_502_note():
    marc = _record(_field("245", "a", "Skripsi"), _field("502", "a", "Skripsi (S1)--Universitas Airlangga, 2001."))
    assert record_from_marc(marc).format == "thesis"


def test_koha_952_items_are_counted_per_call_number_and_branch():
    marc = _record(
        _field("245", "a", "Judul"),
        _field("952", "a", "CPL", "b", "CPL", "o", "020 SUL p", "p", "39999000001"),
        _field("952", "a", "CPL", "b", "CPL", "o", "020 SUL p", "p", "39999000002"),
        _field("952", "a", "MPL", "b", "MPL", "o", "020 SUL p", "p", "39999000003"),
        _field("090", "a", "Z665", "b", ".S85"),
    )
    assert record_from_marc(marc).holdings == (
        Holding(call_number="020 SUL p", location="CPL", items=2),
        Holding(call_number="020 SUL p", location="MPL", items=1),
    )


def test_852_and_local_call_numbers():
    with852 = _record(_field("245", "a", "Judul"), _field("852", "a", "gaaagpl", "b", "BR1", "h", "G4362", "i", ".C6"))
    assert record_from_marc(with852).holdings == (Holding(call_number="G4362 .C6", location="BR1", items=1),)
    with099 = _record(_field("245", "a", "Judul"), _field("099", "a", "FIC", "b", "DIC"))
    assert record_from_marc(with099).holdings == (Holding(call_number="FIC DIC", location=None, items=1),)


def test_record_with_only_a_title():
    r = record_from_marc(_record(_field("245", "a", "Hanya judul.")))
    assert r.title == "Hanya judul"
    assert (r.authors, r.year, r.isbns, r.pages, r.language, r.holdings) == ((), None, (), None, None, ())


def test_title_from_245_k_or_b_when_a_is_missing():
    assert record_from_marc(_record(_field("245", "k", "Papers,"))).title == "Papers"
    assert record_from_marc(_record(_field("245", "b", "only a subtitle"))).title == "only a subtitle"


@pytest.mark.parametrize(
    "fields",
    [(), (_field("245", "c", "by nobody"),), (_field("100", "a", "Author"),), (_field("245", "a", " / "),)],
)
def test_no_title_raises_our_own_error(fields):
    marc = _record(*fields)
    marc.add_field(Field(tag="001", data="rec-1"))
    with pytest.raises(NoTitle) as caught:
        record_from_marc(marc)
    assert isinstance(caught.value, CatalogError)
    assert "rec-1" in str(caught.value)


def test_source_id_argument_wins_over_001():
    marc = _record(_field("245", "a", "Judul"))
    marc.add_field(Field(tag="001", data="123"))
    assert record_from_marc(marc, source_id="slims:9").source_id == "slims:9"


@pytest.mark.parametrize(
    ("leader", "extent", "fmt", "carrier"),
    [
        ("00000njm a2200000 a 4500", "1 sound disc (60 min.)", "music", "sound"),
        ("00000ncm a2200000 a 4500", "1 score + parts + 1 book (36 p.)", "music", "score"),
        # a real-world miscoding (Evergreen's jazz_1k): leader says score, extent says CD
        ("00000ncm a2200000 a 4500", "2 sound discs", "music", "sound"),
        ("00000nam a2200000 a 4500", "xii, 345 p.", "book", "text"),
        ("00000ngm a2200000 a 4500", "1 videodisc (DVD)", "video", "projected"),
    ],
)
def test_format_and_carrier(leader, extent, fmt, carrier):
    marc = _record(_field("245", "a", "Judul"), _field("300", "a", extent))
    marc.leader = leader
    record = record_from_marc(marc)
    assert (record.format, record.carrier) == (fmt, carrier)
