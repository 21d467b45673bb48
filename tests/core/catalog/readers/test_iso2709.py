"""ISO 2709: exact framing, lying leaders, per-record encodings, streaming."""

import io
import itertools
import tracemalloc
import unicodedata

import pytest

from jaringan.core.catalog.readers import read
from jaringan.core.catalog.readers.iso2709 import detect_encoding, read_iso2709, split_records
from tests.paths import FIXTURES

EVERGREEN = FIXTURES / "evergreen"
OPEN_LIBRARY = FIXTURES / "openlibrary_marc_tests" / "bin_input"
INDONESIA = FIXTURES / "loc_mds_booksall2016" / "booksall2016_part01_indonesia.mrc"
BROKEN = {  # Open Library's deliberately broken records: the leader length lies
    "dasrmischepriv00rein_meta.mrc": "leader length 01040 does not match the record's 1,052 bytes",
    "lesabndioeinas00sche_meta.mrc": "leader length 00615 does not match the record's 619 bytes",
    "new_poganucpeoplethe00stowuoft_meta.mrc": "leader length 00515 does not match the record's 516 bytes",
    "poganucpeoplethe00stowuoft_meta.mrc": "leader length 00515 does not match the record's 516 bytes",
}
GOOD = OPEN_LIBRARY / "talis_245p.mrc"


def _items(data: bytes):
    return list(read_iso2709(io.BytesIO(data)))


@pytest.mark.parametrize("path", [EVERGREEN / "jazz_1k.mrc", EVERGREEN / "FSL.marc", EVERGREEN / "lul_fre_500.mrc",
                                  EVERGREEN / "oss.marc", OPEN_LIBRARY / "dasrmischepriv00rein_meta.mrc"],
                         ids=lambda p: p.name)
def test_raw_bytes_are_the_file_byte_for_byte(path):
    data = path.read_bytes()
    items = list(read(path))
    assert b"".join(item.raw for item in items) == data
    assert [item.offset for item in items] == list(itertools.accumulate([0] + [len(i.raw) for i in items[:-1]]))


@pytest.mark.parametrize("name, message", sorted(BROKEN.items()))
def test_broken_open_library_record_is_an_error_between_readable_neighbours(name, message):
    good = GOOD.read_bytes()
    items = _items(good + (OPEN_LIBRARY / name).read_bytes() + good)
    assert [i.error for i in items] == [None, message, None]
    assert items[1].record is None and items[1].raw == (OPEN_LIBRARY / name).read_bytes()
    assert items[1].offset == len(good) and items[2].offset > items[1].offset
    assert items[0].record == items[2].record


def test_a_leader_that_claims_too_much_swallows_nothing():
    good = GOOD.read_bytes()
    liar = b"09999" + good[5:]  # claims more than the file holds
    items = _items(liar + good)
    assert items[0].error == f"leader length 09999 does not match the record's {len(good):,} bytes"
    assert items[1].ok and items[1].offset == len(good)


def test_garbage_leader_and_truncated_tail():
    good = GOOD.read_bytes()
    items = _items(b"hello world, not MARC\x1d" + good + good[:300])
    assert "five-digit record length" in items[0].error
    assert items[1].ok
    assert items[2].error.startswith("the file ends inside this record")
    assert items[2].raw == good[:300]


def test_line_breaks_between_records_are_skipped():
    good = GOOD.read_bytes()
    items = _items(good + b"\r\n" + good + b"\n")
    assert [i.ok for i in items] == [True, True]
    assert items[1].offset == len(good) + 2


@pytest.mark.parametrize(
    "path, encodings",
    [
        # Evergreen's FSL.marc: leader/09 blank ("MARC-8") but the data is UTF-8 (Cyrillic, Armenian).
        (EVERGREEN / "FSL.marc", {"utf-8": 52}),
        (EVERGREEN / "hebrew.marc", {"marc-8": 20}),  # MARC-8 with escapes to Hebrew
        (EVERGREEN / "nepali.marc", {"utf-8": 96}),  # leader/09 'a', Devanagari
        (EVERGREEN / "lul_fre_500.mrc", {"marc-8": 479, "utf-8": 21}),  # pure-ASCII records read as UTF-8
    ],
    ids=lambda v: getattr(v, "name", ""),
)
def test_encoding_is_decided_per_record(path, encodings):
    found = {}
    for _, raw, _ in split_records(path.open("rb")):
        encoding, _ = detect_encoding(raw)
        found[encoding] = found.get(encoding, 0) + 1
    assert found == encodings


def test_fsl_lying_leader_decodes_to_cyrillic_and_armenian():
    items = {i.source_id: i for i in read(EVERGREEN / "FSL.marc")}
    assert items["000538819"].record.title == "Люди с чистой совестью"
    assert items["000538819"].record.authors[0] == "Вершигора, Петр Петрович"
    armenian = items["000538911"].record.title
    assert armenian == "Դուդուկի կախարդանքը"
    assert all("ARMENIAN" in unicodedata.name(ch) for ch in armenian if ch.isalpha())


def test_marc8_diacritics_are_decoded():
    first = next(iter(read(EVERGREEN / "lul_fre_500.mrc")))
    assert first.record.title == "L'autre monde, mythes et légendes"


def _with_byte(raw: bytes, old: bytes, new: bytes) -> bytes:
    at = raw.index(old, raw.index(b"\x1e") + 1)
    return raw[:at] + new + raw[at + len(old):]


def _first_indonesian() -> bytes:
    raw = next(split_records(INDONESIA.open("rb")))[1]
    assert raw[9:10] == b"a" and raw.isascii()  # UTF-8 by its leader, "Repositioning Asia :" in 245
    return raw


def test_invalid_utf8_that_is_not_marc8_is_an_error_naming_the_byte():
    broken = _with_byte(_first_indonesian(), b"Asia :", b"\xffsia :")
    item = _items(broken)[0]
    assert item.error == f"invalid UTF-8 at byte {broken.index(0xFF):,} of the record, and not MARC-8 either"
    assert item.record is None and item.source_id is None and item.raw == broken


def test_utf8_leader_with_marc8_data_is_read_as_marc8():
    marc8 = _with_byte(_first_indonesian(), b"Asia :", b"\xe2Asia:")  # MARC-8 acute accent, then "A"
    assert detect_encoding(marc8) == ("marc-8", None)
    assert _items(marc8)[0].record.title == "Repositioning Ásia"


def test_blank_leader_with_utf8_data_is_read_as_utf8():
    """SLiMS writes leader/09 blank for UTF-8 data."""
    raw = _first_indonesian()
    slims = _with_byte(raw[:9] + b" " + raw[10:], b"Asia :", "Äsia:".encode())
    assert detect_encoding(slims) == ("utf-8", None)
    assert _items(slims)[0].record.title == "Repositioning Äsia"


def test_directory_errors_are_named():
    raw = GOOD.read_bytes()
    bad = raw[:24] + b"245XXXX00000" + raw[36:]
    item = _items(bad)[0]
    assert item.error == "directory entry 1 (tag 245) has a non-numeric length or position"


def test_source_id_and_deleted():
    items = list(read(FIXTURES / "traject" / "test_data.utf8.mrc"))
    assert all(i.source_id for i in items)
    deleted = [i for i in items if i.deleted]
    assert len(deleted) == 1 and deleted[0].raw[5:6] == b"d"
    assert next(read(OPEN_LIBRARY / "talis_no_title.mrc")).error == "no title (245 $a, $k and $b are missing or empty)"


class _EndlessMarc:
    """A virtual file of ``size`` bytes made by repeating fixture records; counts what was read."""

    def __init__(self, size: int) -> None:
        self._record_bytes = INDONESIA.read_bytes()[:200_000]
        self._record_bytes = self._record_bytes[: self._record_bytes.rindex(b"\x1d") + 1]
        self.size = size
        self.consumed = 0

    def read(self, n: int = -1) -> bytes:
        n = self.size - self.consumed if n < 0 else min(n, self.size - self.consumed)
        start = self.consumed % len(self._record_bytes)
        chunk = (self._record_bytes[start:] + self._record_bytes)[:n]
        self.consumed += len(chunk)
        return chunk


def test_reader_is_lazy_on_a_50_mb_stream():
    stream = _EndlessMarc(50_000_000)
    items = read(stream, format="marc21")
    first = list(itertools.islice(items, 200))
    assert all(i.ok for i in first)
    assert stream.consumed < 1_000_000


def test_framing_50_mb_keeps_memory_flat():
    stream = _EndlessMarc(50_000_000)
    tracemalloc.start()
    try:
        count = sum(1 for _ in split_records(stream))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert stream.consumed == 50_000_000 and count > 40_000
    assert peak < 5_000_000
