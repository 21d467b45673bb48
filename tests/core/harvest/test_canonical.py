"""A record's bytes (and so its checksum) do not depend on its place in the page or the page's declarations."""

from lxml import etree

from jaringan.core.harvest.page import canonical_bytes, list_items, record_from_element

RECORD = ('<record><header><identifier>oai:slims:1</identifier></header><metadata>'
          '<oai_dc:dc{declare}><dc:title>Gurindam dua belas</dc:title><dc:identifier_isbn>9799339049'
          '</dc:identifier_isbn><image>1.jpg</image></oai_dc:dc></metadata></record>')
DC = ' xmlns:oai_dc="http://www.openarchives.org/OAI/2.0/oai_dc/" xmlns:dc="http://purl.org/dc/elements/1.1/"'


def _records(page: str) -> list:
    return [record_from_element(e) for e in list_items(etree.fromstring(page.encode()), "ListRecords", "record")]


def test_the_same_record_elsewhere_in_another_page_has_the_same_bytes():
    # first in an indented page, its namespaces declared on the page's root
    first = _records(f'<OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/"{DC} '
                     'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><ListRecords>\n    '
                     + RECORD.format(declare="") + '\n    ' + RECORD.format(declare="").replace(":1<", ":2<")
                     + '\n  </ListRecords></OAI-PMH>')
    # last in a page without whitespace, its namespaces declared on the metadata
    last = _records('<OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/"><ListRecords>'
                    + RECORD.format(declare=DC).replace(":1<", ":2<") + RECORD.format(declare=DC)
                    + '</ListRecords></OAI-PMH>')
    assert first[0].identifier == last[1].identifier == "oai:slims:1"
    assert first[0].raw == last[1].raw and first[1].raw == last[0].raw
    assert first[0].raw.startswith(b'<record xmlns="http://www.openarchives.org/OAI/2.0/" xmlns:dc=')
    assert b"xmlns:xsi" not in first[0].raw and not first[0].raw.endswith(b"\n")  # unused, and no tail
    assert first[0].record.title == last[1].record.title == "Gurindam dua belas"
    assert first[0].record.isbns and first[0].record.isbns == last[1].record.isbns


def test_a_changed_record_has_other_bytes():
    page = etree.fromstring(f'<r xmlns="http://www.openarchives.org/OAI/2.0/"{DC}><a>x</a><a>y</a></r>'.encode())
    one, two = list(page)
    assert canonical_bytes(one) != canonical_bytes(two)
    assert canonical_bytes(one) == b'<a xmlns="http://www.openarchives.org/OAI/2.0/">x</a>'
