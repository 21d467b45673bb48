"""The snippet of an abstract: the query's words marked in their Indonesian and English forms, escaped."""

import pytest

from jaringan.core.search.snippet import QueryWords, snippet

ABSTRACTS = [
    ("eng", "Secondary school libraries in Yogyakarta record book loans by hand. The web-based <information> "
            "system built here speeds up finding the collection & reporting loans."),
    ("ind", "Perpustakaan sekolah menengah di Yogyakarta mencatat peminjaman buku secara manual. Sistem informasi "
            "berbasis web yang dibangun mempercepat pencarian koleksi dan pelaporan peminjaman."),
]


def test_indonesian_word_forms_are_marked_in_the_abstract_that_has_them():
    found = snippet(ABSTRACTS, QueryWords.of("pustaka pinjam"), prefer="eng")
    assert found.startswith("<mark>Perpustakaan</mark> sekolah menengah")
    assert "<mark>peminjaman</mark> buku" in found and found.endswith("pelaporan <mark>peminjaman</mark>.")


def test_english_word_forms_and_the_readers_language_first():
    found = snippet(ABSTRACTS, QueryWords.of("library Yogyakarta"), prefer="ind")
    assert "school <mark>libraries</mark> in <mark>Yogyakarta</mark>" in found  # only the English one has both
    assert snippet(ABSTRACTS, QueryWords.of("yogyakarta"), prefer="ind").startswith("Perpustakaan sekolah")


def test_markup_in_an_abstract_is_escaped():
    found = snippet(ABSTRACTS, QueryWords.of("information"), prefer="eng")
    assert "&lt;<mark>information</mark>&gt;" in found and "collection &amp; reporting" in found


@pytest.mark.parametrize("query, marked", [
    ("perpus*", ["Perpustakaan"]),
    ("sekolah -buku", ["sekolah"]),
    ('title:"sistem informasi" AND koleksi', ["Sistem", "informasi", "koleksi"]),
    ("dan OR di", []),  # stop words are not marked
])
def test_query_language(query, marked):
    found = snippet(ABSTRACTS[1:], QueryWords.of(query))
    import re
    assert re.findall(r"<mark>(.*?)</mark>", found) == marked


def test_a_long_abstract_is_cut_around_the_first_word_found():
    text = " ".join(f"kata{n}" for n in range(100)) + " literasi " + " ".join(f"akhir{n}" for n in range(100))
    found = snippet([(None, text)], QueryWords.of("literasi"))
    assert found.startswith("… kata92 ") and "<mark>literasi</mark>" in found and found.endswith(" …")
    assert len(found.split()) < 45
    assert snippet([], QueryWords.of("x")) == "" and snippet([(None, "Tanpa kata dicari.")], QueryWords.of("zzz")) == (
        "Tanpa kata dicari.")
