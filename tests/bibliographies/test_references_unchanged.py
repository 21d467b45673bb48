"""References read exactly as they did: every style and locale, compared byte for byte with the file
``references.json.xz`` written before the way citeproc-py is driven was made faster.

The records are real (every eighth of the first 1,000 LoC Indonesian records the benchmark exports)
and made by hand where the catalogue's records are all alike (articles with many authors, no author, no
year, a body as author, particles, series, editions, every CSL type the catalogue writes, text that looks
like markup). Each style renders them one at a time (:func:`citations.render_entries`), as a bibliography's
export does.

To write the file again (only when a reference is meant to read differently)::

    PYTHONPATH=src python -m tests.bibliographies.test_references_unchanged
"""

from __future__ import annotations

import json
import lzma
from pathlib import Path

import pytest

from jaringan.core import citations
from jaringan.core.catalog.export import formatted_citation
from jaringan.core.catalog.record import CanonicalRecord, Series
from jaringan.core.citations import Entry, writers

from ..catalog.items import loc_items

EXPECTED = Path(__file__).with_name("references.json.xz")
PAIRS = [(style, locale) for style in citations.STYLES for locale in citations.LOCALES.values()]
#: The catalogue's record page writes one reference with a style citeproc-py ships.
CATALOGUE_STYLES = ("harvard-cite-them-right",)

_MANY = tuple(f"Penulis{n}, Nama{n}" for n in range(1, 26))
MADE = (
    CanonicalRecord(title="Perpustakaan sebagai jaringan informasi", subtitle="sebuah kajian",
                    authors=("Sulistyo-Basuki", "Toer, Pramoedya Ananta", "Universitas Pattimura"), year=2019,
                    format="article", container="Jurnal Ilmu Perpustakaan", volume="5", issue="2",
                    extent="100-110", doi="10.1234/jip.v5i2.100", language="ind"),
    CanonicalRecord(title="Eight authors", authors=_MANY[:8], year=2020, format="article",
                    container="Berkala Ilmu", volume="12", extent="1201-1219", language="eng"),
    CanonicalRecord(title="Twenty-five authors", authors=_MANY, year=2021, format="article",
                    container="Berkala Ilmu", volume="13", issue="1", extent="5-9", language="eng"),
    CanonicalRecord(title="Three authors", authors=_MANY[:3], year=2003, format="article",
                    container="Majalah", issue="4", extent="e12"),
    CanonicalRecord(title="Sejarah Maluku", publisher="Balai Pustaka", place="Jakarta", year=1998, language="ind"),
    CanonicalRecord(title="Tanpa tahun", authors=("Hatta, Mohammad",), publisher="Pustaka", place="Bukittinggi"),
    CanonicalRecord(title="Statistik Indonesia 2010", authors=("Indonesia. Badan Pusat Statistik",),
                    publisher="BPS", place="Jakarta", year=2010, edition="Edisi ke-2", pages=412,
                    isbns=("9789790640123",), series=(Series("Seri statistik", "no. 7"),), language="ind"),
    CanonicalRecord(title="The particle", authors=("van der Berg, Jan", "de la Cruz, Maria", "Smith, John, Jr."),
                    publisher="Brill", place="Leiden", year=1995, edition="3rd ed.", language="eng"),
    CanonicalRecord(title="Kajian perpustakaan perguruan tinggi", authors=("Rahayu, Sri",), publisher="UGM",
                    place="Yogyakarta", year=2015, format="thesis", language="ind"),
    CanonicalRecord(title="Peta Pulau Ambon", authors=("Dinas Topografi",), year=1932, format="map"),
    CanonicalRecord(title="Lagu-lagu Maluku", authors=("Pattiasina, Bram",), year=1980, format="music",
                    carrier="score"),
    CanonicalRecord(title="Rekaman Gamelan", year=1975, format="music", carrier="sound", publisher="Lokananta"),
    CanonicalRecord(title="Film dokumenter", authors=("Umar, Ismail",), year=1962, format="video"),
    CanonicalRecord(title="Berita Bibliografi", issns=("0215-1111",), year=1955, format="serial",
                    publisher="Perpustakaan Nasional", place="Jakarta"),
    CanonicalRecord(title="<script>alert(1)</script> & co <span class=\"nocase\">iPhone</span>", year=2000),
    CanonicalRecord(title="Laporan", authors=("Kementerian Pendidikan",), year=-50, format="other"),
)


def _records() -> list[CanonicalRecord]:
    return [item.record for item in loc_items(1000)[::8]] + list(MADE)


def rendered() -> dict:
    """Every record in every style and locale, as the bibliographies' exports and the record page write them."""
    records = _records()
    items = writers.csl_items([Entry(id=str(n), record=r) for n, r in enumerate(records)])
    out = {f"{style} {locale}": citations.render_entries(items, style, locale) for style, locale in PAIRS}
    for style in CATALOGUE_STYLES:
        for locale in citations.LOCALES.values():
            out[f"catalogue {style} {locale}"] = [formatted_citation(r, style, locale=locale) for r in records[::4]]
    return out


def _write() -> None:
    with lzma.open(EXPECTED, "wt", encoding="utf-8") as fh:
        json.dump(rendered(), fh, ensure_ascii=False, indent=0, sort_keys=True)


@pytest.fixture(scope="module")
def now():
    return rendered()


@pytest.fixture(scope="module")
def expected():
    with lzma.open(EXPECTED, "rt", encoding="utf-8") as fh:
        return json.load(fh)


def test_the_file_covers_every_style_and_locale(expected):
    assert {f"{s} {loc}" for s, loc in PAIRS} <= set(expected)
    assert all(len(v) == len(_records()) for k, v in expected.items() if not k.startswith("catalogue "))


@pytest.mark.parametrize("key", [f"{s} {loc}" for s, loc in PAIRS]
                         + [f"catalogue {s} {loc}" for s in CATALOGUE_STYLES for loc in citations.LOCALES.values()])
def test_every_reference_reads_as_before(now, expected, key):
    changed = [(n, before, after) for n, (before, after) in enumerate(zip(expected[key], now[key])) if before != after]
    assert len(now[key]) == len(expected[key])
    assert not changed, f"{len(changed)} references differ; the first: {changed[0]}"


if __name__ == "__main__":
    _write()
