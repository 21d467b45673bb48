"""Records and items cross between processes by pickle: they come back equal, field by field."""

from __future__ import annotations

import copy
import pickle
from dataclasses import fields

from jaringan.core.catalog.readers import read
from jaringan.core.catalog.record import CanonicalRecord, Classification, Holding, Series
from jaringan.core.catalog.readers.item import SourceItem
from tests.paths import LOC_INDONESIA

LOC = LOC_INDONESIA


def _same(a, b) -> None:
    assert type(a) is type(b) and a == b
    for f in fields(a):
        assert getattr(a, f.name) == getattr(b, f.name), f.name


def test_every_kind_of_value_comes_back():
    record = CanonicalRecord(
        title="Sejarah Maluku", source_id="x1", library="UNPATTI", subtitle="jilid 1", authors=("Leirissa, R. Z.",),
        year=1975, isbns=("9789794610205",), subjects=("Maluku -- History",),
        series=(Series("Seri sejarah", "2"), Series("Tanpa nomor")),
        classifications=(Classification("ddc", "959.8"), Classification("lcc", "DS646.6")),
        holdings=(Holding("959.8 LEI s", "Ambon", 2), Holding()))
    item = SourceItem(position=3, offset=None, source_id="x1", format="marc21", raw=b"\x1e\x1f", record=record,
                      keys=(1, -2), stored=('{"title":"Sejarah Maluku"}', -7))
    broken = SourceItem(position=4, offset=99, source_id=None, format="marcxml", raw=b"", record=None,
                        error="record 4: no title (245 $a)")
    for value in (record, item, broken, Series("S"), Holding()):
        for protocol in range(2, pickle.HIGHEST_PROTOCOL + 1):
            _same(pickle.loads(pickle.dumps(value, protocol=protocol)), value)
        _same(copy.copy(value), value)
        _same(copy.deepcopy(value), value)
    assert hash(pickle.loads(pickle.dumps(record))) == hash(record)


def test_real_records_come_back_equal():
    items = [item for _n, item in zip(range(300), read(LOC, format="marc21"))]
    assert len(items) == 300 and all(item.ok for item in items)
    for item, back in zip(items, pickle.loads(pickle.dumps(items, protocol=pickle.HIGHEST_PROTOCOL))):
        _same(back, item)
        _same(back.record, item.record)
