"""SLiMS push bodies as ``ucs_upload.php`` and ``ucs_update.php`` really send them: SQL column names, deletions."""

import json

import pytest

from jaringan.core.catalog.readers import NotSlimsPush, read, read_slims_push
from jaringan.core.catalog.readers.slims import parse_push, push_operation

# One row of ucs_upload.php's SELECT (mysqli gives strings), as json_encode writes it.
ROW = {"biblio_id": "2", "title": "Linux In a Nutshell", "spec_detail_info": None, "gmd_code": "TE",
       "gmd_name": "Text", "edition": "Fifth Edition", "isbn_issn": "9780596009304", "publisher_name": "OReilly",
       "publish_year": "2005", "collation": "xiv, 925 p. : ill. ; 23 cm.", "series_title": "In a Nutshell",
       "call_number": "005.4/32-22 Ell l", "language_id": "en", "language_name": "English",
       "place_name": "Sebastopol, CA", "classification": "005.4/32 22", "notes": None, "frequency": None,
       "authors": [{"name": "Siever, Ellen", "level": "1", "type": "p", "auth_list": None}],
       "subjects": [{"name": "Linux", "level": "1", "type": "t", "auth_list": None}]}
INFO = {"enable": True, "serveraddr": "http://127.0.0.1/ucs", "serverversion": 2, "id": "slims-node",
        "password": "2325f677e21c1613909c953eb03c57352259cc5d", "name": "SLiMS Library"}


def encoded(value) -> bytes:
    return json.dumps(value, separators=(",", ":")).replace("/", "\\/").encode()


def test_sql_column_names_of_the_real_client():
    info, items = read_slims_push(encoded({"node_info": INFO, "node_data": {"2": ROW}}))
    (item,) = items
    record = item.record
    assert (record.format, record.carrier, record.language, record.pages) == ("book", "text", "eng", 925)
    assert (record.authors, record.subjects, record.holdings[0].call_number) == (
        ("Siever, Ellen",), ("Linux",), "005.4/32-22 Ell l")
    assert info["password"] and INFO["password"].encode() not in item.raw


@pytest.mark.parametrize(("changes", "fmt", "language"), [
    ({"gmd_name": None, "gmd_code": "MA"}, "map", "eng"),
    ({"gmd_name": "Sound Recording"}, "music", "eng"),
    ({"language_id": None, "language_name": "Indonesia"}, "book", "ind"),
    ({"language_id": "xx", "language_name": None}, "book", None),
    ({"frequency": "Bulanan"}, "serial", "eng"),
])
def test_gmd_code_and_language_fallbacks(changes, fmt, language):
    _, items = read_slims_push({"node_data": {"2": {**ROW, **changes}}})
    record = next(items).record
    assert (record.format, record.language) == (fmt, language)


def test_raw_is_a_one_record_push_read_again_the_same():
    _, items = read_slims_push({"node_info": INFO, "node_data": {"2": ROW, "3": {**ROW, "title": ""}}})
    good, broken = items
    assert json.loads(good.raw) == {"node_data": {"2": ROW}}
    again = list(read(good.raw, format="slims"))
    assert [(i.source_id, i.record) for i in again] == [("2", good.record)]
    assert [(i.source_id, i.error) for i in read(broken.raw, format="slims")] == [("3", broken.error)]


@pytest.mark.parametrize(("biblio", "ids"), [
    ("12,13, 14", ["12", "13", "14"]),
    (7, ["7"]),
    (["7", 8], ["7", "8"]),
    ("", []),
])
def test_delete_operation_yields_deleted_items(biblio, ids):
    body = {"node_info": INFO, "node_data": {"operation": "delete", "biblio": biblio}}
    assert push_operation(parse_push(encoded(body))) == "delete"
    _, items = read_slims_push(encoded(body))
    items = list(items)
    assert [i.source_id for i in items] == ids
    assert all(i.deleted and i.record is None and i.error is None for i in items)


def test_unknown_operation_is_refused():
    with pytest.raises(NotSlimsPush, match="truncate"):
        read_slims_push({"node_data": {"operation": "truncate", "biblio": "1"}})
    assert push_operation({"node_data": {"2": ROW}}) == "upload"
