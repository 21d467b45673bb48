"""The words Zebra indexes for an edition (interop/z3950/words.py): the search index's terms, each
spelled as every word of the catalogue that analyses to it."""

from __future__ import annotations

from jaringan.core.search.document import EditionDocument
from jaringan.interop.z3950.words import Vocabulary, edition_words, word_terms


def _edition(title: str, **more) -> EditionDocument:
    return EditionDocument(edition_id="1", title=title, **more)


def test_a_term_is_written_as_every_word_the_catalogue_spells_it():
    vocabulary = Vocabulary()
    vocabulary.learn(["Sejarah kepustakaan Maluku", "Perpustakaan umum"])
    assert word_terms("perpustakaan") == word_terms("kepustakaan") == ("pustaka",)
    words = dict(edition_words(_edition("Pustaka Maluku"), vocabulary))["title"].split()
    # "pustaka" analyses to itself: a reader may type it, or either word the catalogue spells it as.
    assert {"pustaka", "perpustakaan", "kepustakaan"} <= set(words)
    # The word as written stands first and last, beside its neighbours: phrases still meet.
    assert words[0] == "pustaka" and words[words.index("maluku") - 1] == "pustaka"


def test_stop_words_are_left_out_and_fields_keep_their_index():
    vocabulary = Vocabulary()
    found = edition_words(_edition("Sejarah dan budaya", authors=("Hamka",), place="Jakarta"), vocabulary)
    assert found == [("title", "sejarah budaya"), ("author", "hamka"), ("all", "jakarta")]


def test_a_hyphenated_spelling_is_not_spread_to_other_editions():
    """"sosial-ekonomi" is a spelling of "sosial", but written for an edition that says only
    "sosial" Zebra would index "ekonomi" too."""
    vocabulary = Vocabulary()
    vocabulary.learn(["Masalah sosial-ekonomi"])
    words = dict(edition_words(_edition("Perubahan sosial"), vocabulary))["title"].split()
    assert "ekonomi" not in " ".join(words) and "sosial" in words


def test_the_vocabulary_is_kept_between_syncs(tmp_path):
    vocabulary = Vocabulary()
    assert vocabulary.learn(["Perpustakaan", "perpustakaan"]) == 1
    vocabulary.save(tmp_path / "vocabulary.json")
    again = Vocabulary.load(tmp_path / "vocabulary.json")
    assert again.spellings("pustaka") == ["perpustakaan", "pustaka"]
    assert again.learn(["perpustakaan"]) == 0 and len(again) == 1
    assert len(Vocabulary.load(tmp_path / "missing.json")) == 0
