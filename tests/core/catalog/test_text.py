"""The shared text analyser: folding, stemming, stop words, match normalisation."""

import pytest

from jaringan.core.catalog.text import analyse, fold, normalise_for_match, stem, tokenise


@pytest.mark.parametrize(
    ("word", "term"),
    [
        ("perpustakaan", "pustaka"),
        ("membaca", "baca"),
        ("bacaan", "baca"),
        ("peminjaman", "pinjam"),
        ("buku-buku", "buku"),
        ("kerjasama", "kerjasama"),
        ("pustakawan", "pustakawan"),
        ("sekolah", "sekolah"),
        ("libraries", "librari"),
        ("library", "librari"),
    ],
)
def test_analyse_examples(word, term):
    assert analyse(word) == [term]


def test_shared_terms_between_derived_words():
    assert analyse("perpustakaan") == analyse("pustaka")
    assert analyse("libraries") == analyse("library")
    assert analyse("membaca") == analyse("bacaan")


def test_english_stems_come_from_the_compiled_snowball():
    """PyStemmer, not the pure-Python twin: an index built by one must be searched with the same stems,
    and the pure-Python one was a fifth of the time spent indexing."""
    import Stemmer
    from snowballstemmer.english_stemmer import EnglishStemmer

    from jaringan.core.catalog import text

    assert isinstance(text._english, Stemmer.Stemmer)
    twin = EnglishStemmer()
    words = ["libraries", "historical", "generously", "universities", "dying", "skies", "news", "cataloguing"]
    assert [text._english.stemWord(w) for w in words] == [twin.stemWord(w) for w in words]


def test_language_selects_one_stemmer():
    assert analyse("perpustakaan", "ind") == ["pustaka"]
    assert analyse("libraries", "eng") == ["librari"]
    # an English-only analysis leaves Indonesian affixes alone
    assert analyse("perpustakaan", "eng") == ["perpustakaan"]


def test_stop_words_of_both_languages_are_dropped():
    assert analyse("Sejarah dan budaya yang ada di Jawa") == ["sejarah", "budaya", "ada", "jawa"]
    assert analyse("The history of the libraries") == ["histori", "librari"]


def test_hyphenated_names_split_but_reduplication_collapses():
    assert analyse("Sulistyo-Basuki") == ["sulistyo", "basuki"]
    assert analyse("anak-anak") == ["anak"]


def test_digits_are_kept_as_terms():
    assert analyse("Laporan 1998") == ["lapor", "1998"]
    assert stem("1998") == "1998"


@pytest.mark.parametrize(
    ("text", "folded"),
    [("Ümit", "umit"), ("Straße", "strasse"), ("Ørsted", "orsted"), ("ÉCOLE", "ecole"), ("plain", "plain")],
)
def test_fold(text, folded):
    assert fold(text) == folded


def test_tokenise_keeps_apostrophe_words_whole():
    assert tokenise("Children's books, Ümit!") == ["childrens", "books", "umit"]


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Sejarah & budaya", "Sejarah dan budaya"),
        ("Sejarah & budaya", "sejarah and BUDAYA"),
        ("Pengantar: ilmu perpustakaan.", "pengantar ilmu perpustakaan"),
        ("  many   spaces ", "many spaces"),
    ],
)
def test_normalise_for_match_equivalences(a, b):
    assert normalise_for_match(a) == normalise_for_match(b)


def test_normalise_for_match_empty():
    assert normalise_for_match(None) == ""
    assert normalise_for_match("") == ""


def test_non_latin_scripts_pass_through():
    assert analyse("Шолохов") == ["шолохов"]
    assert analyse("עברית") == ["עברית"]
    assert analyse("Ḥadīth") == ["hadith"]


@pytest.mark.parametrize(
    "word",
    ["legislature", "volcano", "strategies", "perpustakaan", "membaca", "bukunya", "1990an", "ke2", "american",
     "between", "digital"],
)
def test_words_that_skip_sastrawi_get_the_terms_sastrawi_would_give(word):
    """Sastrawi is asked only when its answer could be kept; the terms are those of asking it always."""
    from jaringan.core.catalog import text

    root = text.stem_indonesian(word)
    expected = root if text._is_indonesian_affixation(word, root) else text.stem_english(word)
    assert text.stem(word) == expected


@pytest.mark.parametrize("token", ["1914-1918", "20-20", "ke-2", "abad-20", "tahun-1990-an"])
def test_hyphenated_words_with_digits_are_no_reduplication(token):
    from jaringan.core.catalog import text

    assert text.stem_indonesian(token) == token  # what the shortcut assumes
    assert analyse(token) == [text.stem(part) for part in token.split("-") if part not in text.ALL_STOP_WORDS]
