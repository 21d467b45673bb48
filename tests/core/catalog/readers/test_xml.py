"""MARCXML and Dublin Core: safe parsing, broken files, envelopes, bounded memory."""

import io
import itertools
import time

import pytest

from jaringan.core.catalog.readers import ForbiddenDtd, NotXml, read
from jaringan.core.catalog.readers.marcxml import read_marcxml
from jaringan.core.catalog.readers.xmlstream import local_name, xml_units
from tests.paths import FIXTURES

CONCERTO = FIXTURES / "evergreen" / "concerto_enhanced" / "concerto_bibs.marcxml"
BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol9 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<collection xmlns="http://www.loc.gov/MARC21/slim"><record><leader>00000nam a2200000 a 4500</leader>
<datafield tag="245" ind1="0" ind2="0"><subfield code="a">&lol9;</subfield></datafield></record></collection>
"""
RECORD = (b'<record><leader>00000nam a2200000 a 4500</leader><controlfield tag="001">%d</controlfield>'
          b'<datafield tag="245" ind1="0" ind2="0"><subfield code="a">Buku ke-%d</subfield></datafield></record>\n')


@pytest.mark.parametrize("fmt", ["marcxml", "dc", "mods", None])
def test_billion_laughs_is_refused_before_parsing(fmt):
    started = time.perf_counter()
    with pytest.raises(ForbiddenDtd, match="DOCTYPE"):
        list(read(io.BytesIO(BILLION_LAUGHS), format=fmt))
    assert time.perf_counter() - started < 1


def test_doctype_after_comments_and_declaration_is_refused():
    data = b'\xef\xbb\xbf<?xml version="1.0"?>\n<!-- export -->\n<?pi x?>\n<!DOCTYPE collection SYSTEM "x.dtd">\n<collection/>'
    with pytest.raises(ForbiddenDtd):
        list(read_marcxml(io.BytesIO(data)))


@pytest.mark.parametrize("data", [b"", b"   \n", b"%PDF-1.4 not xml", b"\x00\x01\x02"])
def test_not_xml_raises(data):
    with pytest.raises(NotXml):
        list(read_marcxml(io.BytesIO(data)))


def test_truncated_xml_yields_records_before_the_break_then_one_error():
    data = CONCERTO.read_bytes()
    cut = data.index(b"<record", data.index(b"<record", data.index(b"<record") + 1) + 1) + 400
    items = list(read(io.BytesIO(data[:cut]), format="marcxml"))
    assert [i.ok for i in items] == [True, True, False]
    assert items[2].error.startswith("the file ends in the middle of the XML document")
    assert items[2].raw.startswith(b"<record")  # what was parsed of the broken record


def test_malformed_xml_in_the_middle_says_where():
    data = b"<collection>" + RECORD % (1, 1) + b"<record><leader>x</leader><oops></record>" + RECORD % (3, 3)
    items = list(read_marcxml(io.BytesIO(data + b"</collection>")))
    assert items[0].ok and len(items) == 2
    assert "line 2" in items[1].error


def test_bare_sibling_records_without_collection():
    items = list(read(FIXTURES / "evergreen" / "serials_marc21.xml"))
    assert len(items) == 7 and all(i.ok for i in items)
    assert items[0].source_id == "21061" and items[0].record.format == "serial"
    assert items[0].record.issns[0] == "0009-7330"


def test_namespaced_and_plain_marcxml_agree():
    plain = list(read(FIXTURES / "traject" / "test_data.utf8.marc.xml"))
    binary = list(read(FIXTURES / "traject" / "test_data.utf8.mrc"))
    assert [i.record for i in plain] == [i.record for i in binary]
    assert [i.deleted for i in plain] == [i.deleted for i in binary]


def test_marcxml_inside_an_oai_envelope():
    data = (b'<OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/"><ListRecords>'
            b"<record><header><identifier>oai:perpus:1</identifier></header><metadata>"
            b'<marc:record xmlns:marc="http://www.loc.gov/MARC21/slim"><marc:leader>00000nam a2200000 a 4500</marc:leader>'
            b'<marc:datafield tag="245" ind1="0" ind2="0"><marc:subfield code="a">Sejarah Indonesia modern</marc:subfield>'
            b"</marc:datafield></marc:record></metadata></record>"
            b'<record><header status="deleted"><identifier>oai:perpus:2</identifier></header></record>'
            b"</ListRecords></OAI-PMH>")
    first, second = read(io.BytesIO(data))
    assert (first.source_id, first.record.title, first.deleted) == ("oai:perpus:1", "Sejarah Indonesia modern", False)
    assert (second.source_id, second.record, second.error, second.deleted) == ("oai:perpus:2", None, None, True)


def test_dublin_core_slims_quirks_and_oai_identifier():
    data = """<?xml version="1.0" encoding="UTF-8"?>
<OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/"><ListRecords><record>
<header><identifier>oai:slims:42</identifier></header><metadata>
<oai_dc:dc xmlns:oai_dc="http://www.openarchives.org/OAI/2.0/oai_dc/" xmlns:dc="http://purl.org/dc/elements/1.1/">
<dc:title>Pengantar ilmu perpustakaan : edisi revisi</dc:title><dc:creator>Sulistyo-Basuki</dc:creator>
<dc:subject>020</dc:subject><dc:subject>Perpustakaan</dc:subject><dc:identifier_isbn>979-511-141-8</dc:identifier_isbn>
<dc:language>Indonesia</dc:language></oai_dc:dc><image>cover.jpg</image></metadata></record>
<record><header><identifier>oai:slims:43</identifier></header><metadata><oai_dc:dc
 xmlns:oai_dc="http://www.openarchives.org/OAI/2.0/oai_dc/" xmlns:dc="http://purl.org/dc/elements/1.1/">
<dc:creator>Tanpa judul</dc:creator></oai_dc:dc></metadata></record></ListRecords></OAI-PMH>""".encode()
    ok, untitled = read(io.BytesIO(data))
    assert ok.source_id == "oai:slims:42" and ok.format == "dc"
    assert (ok.record.title, ok.record.subtitle, ok.record.isbns) == (
        "Pengantar ilmu perpustakaan", "edisi revisi", ("9789795111412",))
    assert ok.record.classifications[0].number == "020" and ok.record.language == "ind"
    assert untitled.error == "no title (dc:title is missing or empty)" and untitled.source_id == "oai:slims:43"


class _EndlessCollection:
    """A virtual MARCXML collection of ``count`` records; counts the bytes read."""

    def __init__(self, count: int) -> None:
        self._parts = itertools.chain([b'<collection xmlns="http://www.loc.gov/MARC21/slim">\n'],
                                      (RECORD % (n, n) for n in range(count)), [b"</collection>"])
        self._buffer = b""
        self.consumed = 0

    def read(self, n: int = -1) -> bytes:
        while len(self._buffer) < n:
            part = next(self._parts, None)
            if part is None:
                break
            self._buffer += part
        chunk, self._buffer = self._buffer[:n], self._buffer[n:]
        self.consumed += len(chunk)
        return chunk


def test_xml_reader_is_lazy_and_drops_what_it_has_read():
    stream = _EndlessCollection(400_000)  # about 70 MB
    items = read_marcxml(stream)
    first = list(itertools.islice(items, 300))
    assert [i.source_id for i in first[:2]] == ["0", "1"] and all(i.ok for i in first)
    assert stream.consumed < 1_000_000


def test_xml_tree_does_not_grow():
    """Each record is removed once read: no earlier record stays, only the parser's read-ahead follows.

    (lxml's tree lives in libxml2's memory, which ``tracemalloc`` cannot see, so the tree is inspected.)
    """
    sizes = []
    for unit in xml_units(_EndlessCollection(5_000), is_unit=lambda e: local_name(e) == "record"):
        collection = unit.element.getparent()
        sizes.append(len(collection))
        assert unit.element.getprevious() is None
    assert len(sizes) == 5_000 and max(sizes) < 500  # one parser chunk holds ~170 of these records
