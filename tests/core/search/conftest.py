"""One edition index for the module's tests: real LoC records plus a few made here."""

from __future__ import annotations

import pymarc
import pytest

from jaringan.core.catalog.errors import CatalogError
from jaringan.core.catalog.marc import record_from_marc
from jaringan.core.catalog.text import analyse
from jaringan.core.catalog.record import CanonicalRecord, Holding, Series
from jaringan.core.search import SearchIndex, document_from_records
from tests.paths import LOC_INDONESIA

MARC_FILE = LOC_INDONESIA
EVERY_NTH = 6  # ~520 of the file's ~3,100 records, spread over all of it


def _marc_records() -> list[CanonicalRecord]:
    records = []
    with MARC_FILE.open("rb") as handle:
        for marc in pymarc.MARCReader(handle, to_unicode=True, force_utf8=True, permissive=True):
            if marc is None:
                continue
            try:
                records.append(record_from_marc(marc))
            except CatalogError:
                continue
    # Every 6th record, and those with "pustaka" or "library" in any form.
    return [
        r for i, r in enumerate(records)
        if i % EVERY_NTH == 0 or {"pustaka", "librari"} & set(analyse(r.full_title))
    ]


def _holdings(i: int) -> list[dict]:
    holdings = [
        {
            "library": f"LIB{i % 5}",
            "network_codes": ["JAWA" if i % 2 else "SUMATERA"],
            "library_kind": "public" if i % 3 else "university",
            "call_numbers": [],
        }
    ]
    if i % 4 == 0:
        holdings.append({"library": "LIB9", "network_codes": ["JAWA", "NASIONAL"], "library_kind": "national", "call_numbers": []})
    return holdings


MADE = {
    "umit": (
        [CanonicalRecord(title="Ümit ve umut", authors=("Yılmaz, Ümit",), language="tur", year=1995,
                         isbns=("9789793062792",), subjects=("Turkish poetry",),
                         holdings=(Holding(call_number="894.351 YIL u"),))],
        [{"library": "LIB1", "network_codes": ["JAWA"], "library_kind": "university", "call_numbers": ["894.351 YIL u"]}],
    ),
    # Held by 25 libraries; "katalogisasi" only in a note.
    "popular": (
        [CanonicalRecord(title="Panduan umum administrasi kantor", responsibility="dengan lampiran katalogisasi",
                         year=2001, language="ind")],
        [{"library": f"P{n}", "network_codes": ["JAWA"], "library_kind": "public", "call_numbers": []} for n in range(25)],
    ),
    # Held by one library; "katalogisasi" in the title.
    "rare": (
        [CanonicalRecord(title="Katalogisasi naskah kuno", authors=("Sulistyo-Basuki",), year=1991, language="ind",
                         series=(Series("Seri pustaka nusantara"),))],
        [{"library": "LIB3", "network_codes": ["SUMATERA"], "library_kind": "special", "call_numbers": ["025.3 SUL k"]}],
    ),
}


@pytest.fixture(scope="session")
def catalogue(tmp_path_factory):
    """(index, {edition_id: EditionDocument}) over ~520 LoC records and the made ones."""
    index = SearchIndex(tmp_path_factory.mktemp("search") / "editions")
    documents = {}
    for i, record in enumerate(_marc_records()):
        documents[str(i)] = document_from_records(i, [record], _holdings(i))
    for edition_id, (records, holdings) in MADE.items():
        documents[edition_id] = document_from_records(edition_id, records, holdings)
    with index.writer() as writer:
        for document in documents.values():
            writer.add(document)
    return index, documents
