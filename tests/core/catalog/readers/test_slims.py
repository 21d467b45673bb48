"""SLiMS Union Catalog push bodies, built from SLiMS's own demo data (see ``slims_sample.py``)."""

import json

import pytest

from jaringan.core.catalog.readers import NotSlimsPush, read, read_slims_push
from jaringan.core.catalog.record import Classification, Holding

from .slims_sample import push_body


@pytest.fixture(scope="module")
def pushed():
    node_info, items = read_slims_push(json.dumps(push_body()).encode())
    return node_info, list(items)


def test_all_demo_biblios_are_read(pushed):
    node_info, items = pushed
    assert node_info["id"] == "slims-demo"
    assert [i.source_id for i in items] == [str(n) for n in range(1, 16)]
    assert all(i.ok and i.format == "slims" for i in items)
    assert all(b"rahasia" not in i.raw for i in items)  # the node password stays out of the items


def test_demo_record_fields(pushed):
    linux = pushed[1][1].record  # biblio 2
    assert (linux.title, linux.edition, linux.publisher, linux.place, linux.year) == (
        "Linux In a Nutshell", "Fifth Edition", "OReilly", "Sebastopol, CA", 2005)
    assert linux.authors[0] == "Siever, Ellen" and len(linux.authors) == 5
    assert (linux.pages, linux.isbns, linux.language, linux.format) == (925, ("9780596009304",), "eng", "book")
    assert linux.classifications == (Classification("ddc", "005.432"),)
    assert linux.holdings == (Holding("005.4/32-22 Ell l"),)
    assert linux.series[0].title == "In a Nutshell"
    producing = pushed[1][4].record  # "Producing open source software : how to run ..."
    assert (producing.title, producing.subtitle) == ("Producing open source software",
                                                     "how to run a successful free software project")
    assert pushed[1][3].record.isbns == ("9780596001087",)  # written "0-596-00108-8"


def test_isbn_issn_by_checksum_gmd_frequency_and_author_level():
    body = {"node_info": {"id": "perpus-kota"}, "node_data": {
        "501": {"title": "Media pustakawan", "isbn_issn": "0853-2834", "gmd": "Text", "frequency": "Tiga bulanan",
                "authors": [{"name": "Lane, Max", "level": 2}, {"name": "Toer, Pramoedya Ananta", "level": 1}],
                "subjects": [{"topic": "Perpustakaan"}, "Indonesia"]},
        "502": {"title": "Peta Jawa Barat", "isbn_issn": "979-12345-6-7", "gmd": "Map", "collation": "1 peta"},
        "503": {"title": "", "isbn_issn": "9786020332956"},
        "504": "not an object",
    }}
    _, items = read_slims_push(body)
    serial, peta, untitled, odd = items
    assert (serial.record.issns, serial.record.format) == (("0853-2834",), "serial")
    assert serial.record.authors == ("Toer, Pramoedya Ananta", "Lane, Max")
    assert serial.record.subjects == ("Perpustakaan", "Indonesia")
    assert (peta.record.format, peta.record.isbns, peta.record.invalid_isbns) == ("map", (), ("979-12345-6-7",))
    assert untitled.error == "no title (the 'title' field is empty)" and untitled.source_id == "503"
    assert odd.error == "biblio 504 is not a JSON object of fields"


def test_node_data_sent_as_a_list():
    _, items = read_slims_push({"node_data": [{"biblio_id": 7, "title": "Bumi manusia"}]})
    assert [(i.source_id, i.record.title) for i in items] == [("7", "Bumi manusia")]


@pytest.mark.parametrize("body", [b"<html>", b'{"node_info": {}}', b"[1, 2]"])
def test_bad_bodies_raise(body):
    with pytest.raises(NotSlimsPush):
        read_slims_push(body)


def test_read_dispatches_a_push_body_file(tmp_path):
    path = tmp_path / "push.json"
    path.write_text(json.dumps(push_body(limit=3)), encoding="utf-8")
    assert [i.source_id for i in read(path)] == ["1", "2", "3"]
