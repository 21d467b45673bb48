"""The Tantivy index behind the search interface.

Text is analysed in Python by the shared analyser (``catalog.text.analyse``:
folding, stop words, Indonesian + English stemming) and the joined terms are
indexed with Tantivy's ``whitespace`` tokenizer, so Tantivy neither re-stems
nor re-folds them and queries built from the same analyser meet them.  Each
text field has a ``*_words`` twin holding the folded but *unstemmed* words,
for prefix queries ("perpus*" must find "perpustakaan", whose stem is
"pustaka").  ``all_pairs`` holds each two adjacent *common* terms of a value
as one term, so a phrase of common words is found by looking up terms, not
positions.  What is analysed how is versioned (``ANALYSIS_VERSION``, kept in
the index folder): an index of another version is refused, and rebuilt.

One writer at a time (Tantivy also holds a lock file); any number of readers.
"""

from __future__ import annotations

import hashlib
import re
import threading
import zlib
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

import tantivy

from jaringan.core.catalog.identifiers import is_isbn13, isbn10_of, normalise_isbn, normalise_issn
from jaringan.core.catalog.text import analyse, analyse_tokens, fold, tokenise

from .document import EditionDocument

__all__ = [
    "FACET_FIELDS",
    "TEXT_FIELDS",
    "SearchIndex",
    "SearchIndexWriter",
    "document_fields",
    "sample_levels",
    "subject_key",
    "isbn_terms",
    "normalise_call_number",
    "index_terms",
    "term_pairs",
    "tantivy_document",
    "text_values",
]

#: Analysed text fields (and the ``*_words`` twins of each).
TEXT_FIELDS = ("title", "author", "subject", "series", "publisher", "notes", "all")

#: Facet name → its raw fast field. Every facet is also a filter of the same name (``service.FILTERS``):
#: values of one filter are ORed, filters ANDed; ``year`` takes years and ranges, ``available`` a truth.
FACET_FIELDS = {
    "library": "library",
    "network": "network",
    "kind": "kind",
    "format": "format",
    "language": "language",
    "subject": "subject_facet",
    "journal": "journal",
    "holds": "holds",  # a library whose stated holdings of a journal cover the edition
    "year": "year",
    "available": "available",
}
#: Nested samples of the editions, by a hash of their id: level L holds one edition in 2**L.
#: Facets of a very large result are counted on one level (see ``service``).
SAMPLE_LEVELS = 8

_WHITESPACE = re.compile(r"\s+")
_NON_ISBN = re.compile(r"[^0-9Xx]")
DEFAULT_HEAP = 64_000_000


def normalise_call_number(value: str) -> str:
    """Call numbers compared without case, accents or spaces: "QA76.73 .P98" → "qa76.73.p98"."""
    return _WHITESPACE.sub("", fold(value or ""))


def isbn_terms(value: str) -> list[str]:
    """Index/query terms of one ISBN: the ISBN-13, its ISBN-10 when there is one.

    Invalid ISBNs are kept as their bare digits so a typed number still finds
    what the record says.
    """
    if len(value) == 13 and value.isdigit():  # the catalogue's own form: check it, no parsing
        isbn13 = value if is_isbn13(value) else None
    else:
        isbn13 = normalise_isbn(value)
    if isbn13 is None:
        digits = _NON_ISBN.sub("", value or "").upper()
        return [digits] if digits else []
    isbn10 = isbn10_of(isbn13)
    return [isbn13, isbn10] if isbn10 else [isbn13]


def _issn_term(value: str) -> str | None:
    return normalise_issn(value) or (value.strip().upper() or None)


def build_schema() -> tantivy.Schema:
    builder = tantivy.SchemaBuilder()
    builder.add_text_field("edition_id", stored=True, tokenizer_name="raw", index_option="basic")
    for name in TEXT_FIELDS:
        builder.add_text_field(name, tokenizer_name="whitespace", index_option="position")
        builder.add_text_field(f"{name}_words", tokenizer_name="whitespace", index_option="freq")
    # Each two adjacent common terms of a value as one term ("unit_state"): a phrase found without positions.
    builder.add_text_field("all_pairs", tokenizer_name="whitespace", index_option="freq")
    for name in ("isbn", "issn", "callnumber"):
        builder.add_text_field(name, tokenizer_name="raw", index_option="basic")
    for name in ("library", "network", "kind", "format", "language", "subject_facet", "journal", "holds"):
        builder.add_text_field(name, tokenizer_name="raw", index_option="basic", fast=True,
                               stored=name == "subject_facet")
    builder.add_text_field("title_sort", tokenizer_name="raw", index_option="basic", fast=True)
    builder.add_integer_field("year", indexed=True, fast=True)
    builder.add_boolean_field("available", indexed=True, fast=True)
    builder.add_text_field("sample", tokenizer_name="raw", index_option="basic")
    # Subjects are counted by a number (no term-dictionary look-ups); the text is stored to name them.
    builder.add_integer_field("subject_key", indexed=True, fast=True)
    return builder.build()


#: Analysed values remembered: authors, subjects, publishers and places repeat across a catalogue.
ANALYSIS_CACHE_SIZE = 200_000


#: Joins two adjacent terms into one term of ``all_pairs`` (analysed terms never hold it).
PAIR_JOINER = "_"
#: The version of what the index holds beyond its schema (the analyser, the common terms): an index
#: written by another version is rebuilt.
ANALYSIS_VERSION = "3"
_ANALYSIS_MARKER = "jaringan-analysis"


def _common_terms() -> frozenset[str]:
    text = Path(__file__).with_name("common_terms.txt").read_text(encoding="utf-8")
    return frozenset(line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#"))


#: Terms frequent in catalogues (``common_terms.txt``): a phrase of two of them is costly to find by
#: positions (both words in a tenth of the catalogue), so such pairs are indexed as terms.
COMMON_TERMS = _common_terms()


def term_pairs(terms: list[str]) -> list[str]:
    """Each two adjacent common terms as one pair term: ["unit", "state", "kansa"] → ["unit_state"].

    A phrase with a rarer word is found by positions cheaply: that word's few editions are all
    there is to look at.
    """
    return [f"{a}{PAIR_JOINER}{b}" for a, b in zip(terms, terms[1:]) if a in COMMON_TERMS and b in COMMON_TERMS]


def index_terms(text: str) -> list[str]:
    """The analyser's terms as the index holds them: one word each (Sastrawi returns "kos ian" for
    "kosʹian", which the whitespace tokenizer makes two terms)."""
    return _one_word_each(analyse(text))


def _one_word_each(terms: list[str]) -> list[str]:
    return " ".join(terms).split() if any(" " in t for t in terms) else terms


@lru_cache(maxsize=ANALYSIS_CACHE_SIZE)
def _analysed(value: str) -> tuple[str, str, str]:
    """(stemmed terms, folded words, pairs of adjacent terms) of one value, each joined by spaces."""
    words = tokenise(value)
    # Joined, the terms are the same text whether or not one of them is two words ("kos ian"): split
    # once to pair them, not looked through for spaces first (see ``_one_word_each``).
    terms = " ".join(analyse_tokens(words))
    return terms, " ".join(words), " ".join(term_pairs(terms.split()))


def _add_text(fields: dict[str, list], field: str, values, also_all: bool = True) -> None:
    """Add each value as analysed terms to ``field`` and ``all`` (and the word twins)."""
    words_field = f"{field}_words"
    for value in values:
        if not value:
            continue
        terms, words, pairs = _analysed(value)
        if terms:
            fields[field].append(terms)
            if also_all:
                fields["all"].append(terms)
            if pairs:
                fields["all_pairs"].append(pairs)
        if words:
            fields[words_field].append(words)
            if also_all:
                fields["all_words"].append(words)


def display_title(edition: EditionDocument) -> str:
    """Title and subtitle as one value ("Sejarah Maluku : dari masa ke masa")."""
    return " : ".join(t for t in (edition.title, edition.subtitle) if t)


def text_values(edition: EditionDocument) -> list[tuple[str, list]]:
    """The text an edition is searched by: (field of :data:`TEXT_FIELDS`, its values). Every field's
    values are also searched as ``all``; the values listed under ``all`` (the place) only there."""
    return [
        ("title", [display_title(edition), *edition.variant_titles]),
        ("author", list(edition.authors)),
        ("subject", [*edition.subjects, *edition.keywords]),  # an article's keywords are searched as subjects
        ("series", list(edition.series)),
        ("publisher", [edition.publisher]),
        ("notes", list(edition.notes)),
        ("all", [edition.place, edition.container]),  # an article's journal
    ]


def _add_prose(fields: dict[str, list], texts) -> None:
    """Long texts (abstracts) into ``all``, analysed without the cache of repeated values: each is
    unique, and would push out the authors and subjects that repeat."""
    for text in texts:
        words = tokenise(text)
        terms = _one_word_each(analyse_tokens(words))
        if terms:
            fields["all"].append(" ".join(terms))
            if pairs := term_pairs(terms):
                fields["all_pairs"].append(" ".join(pairs))
        if words:
            fields["all_words"].append(" ".join(words))


def document_fields(edition: EditionDocument) -> dict[str, list]:
    """The indexed values of an edition as plain data (field → values).

    ``tantivy.Document(**document_fields(edition))`` is its Tantivy document;
    its JSON text can be made in another process and given to
    ``SearchIndexWriter.add_json``.
    """
    fields: dict[str, list] = defaultdict(list)
    fields["edition_id"].append(edition.edition_id)
    for field, values in text_values(edition):
        _add_text(fields, field, values, also_all=field != "all")
    _add_prose(fields, edition.abstracts)  # searched anywhere (``all``), ranked as notes are
    for isbn in edition.isbns:
        fields["isbn"].extend(isbn_terms(isbn))
    for issn in edition.issns:
        if term := _issn_term(issn):
            fields["issn"].append(term)
    for number in edition.call_numbers:
        if term := normalise_call_number(number):
            fields["callnumber"].append(term)
    for field, values in (
        ("library", edition.libraries),
        ("network", edition.networks),
        ("kind", edition.library_kinds),
        ("format", [edition.format] if edition.format else []),
        ("language", [edition.language] if edition.language else []),
        ("subject_facet", edition.subjects),
        ("journal", [edition.container] if edition.container else []),
        ("holds", edition.holders),
    ):
        fields[field].extend(values)
    fields["subject_key"].extend(subject_key(s) for s in edition.subjects)
    fields["title_sort"].append(_analysed(display_title(edition))[1])
    if edition.year is not None:
        fields["year"].append(int(edition.year))
    fields["available"].append(bool(edition.available))
    fields["sample"].extend(sample_levels(edition.edition_id))
    return {name: values for name, values in fields.items() if values}


def sample_levels(edition_id: str) -> list[str]:
    """The sample levels an edition belongs to ("1" = one edition in 2, ... "8" = one in 256): stable,
    spread evenly, and nested (an edition of level 3 is also in levels 1 and 2)."""
    bucket = zlib.crc32(str(edition_id).encode()) % (1 << SAMPLE_LEVELS)
    return [str(level) for level in range(1, SAMPLE_LEVELS + 1) if bucket < (1 << (SAMPLE_LEVELS - level))]


def subject_key(subject: str) -> int:
    """A subject as a number for counting: 52 bits of its hash, so that it survives the trip through
    the aggregation's floating-point keys (two subjects sharing one: about 1 in 10,000 for a million)."""
    return int.from_bytes(hashlib.blake2b(subject.encode(), digest_size=8).digest(), "big") >> 12


def tantivy_document(edition: EditionDocument) -> tantivy.Document:
    """The Tantivy document of an edition."""
    return tantivy.Document(**document_fields(edition))


class SearchIndexWriter:
    """The one open writer of a :class:`SearchIndex` (get it from ``SearchIndex.writer()``)."""

    def __init__(self, index: SearchIndex, writer: tantivy.IndexWriter) -> None:
        self._index = index
        self._writer = writer

    def add(self, edition: EditionDocument) -> None:
        """Add a new edition (use ``replace`` when it may already be indexed)."""
        self._writer.add_document(tantivy_document(edition))

    def add_json(self, text: str) -> None:
        """Add a new edition given as the JSON text of its ``document_fields`` (e.g. made in another process)."""
        self._writer.add_json(text)

    def replace(self, edition: EditionDocument) -> None:
        """Add an edition, removing any earlier document with its id."""
        self.delete(edition.edition_id)
        self.add(edition)

    def delete(self, edition_id: str | int) -> None:
        """Remove the edition with this id (no error when it is absent)."""
        self._writer.delete_documents_by_term("edition_id", str(edition_id))

    def delete_all(self) -> None:
        """Remove every document (before a full rebuild)."""
        self._writer.delete_all_documents()

    def commit(self) -> None:
        """Publish the changes so far and make readers see them."""
        self._writer.commit()
        self._index.reload()

    def rollback(self) -> None:
        """Drop the changes since the last commit."""
        self._writer.rollback()


class SearchIndex:
    """An edition index in a directory (created when missing), or in memory when ``path`` is None."""

    def __init__(self, path: str | Path | None = None) -> None:
        self.schema = build_schema()
        if path is None:
            self._index = tantivy.Index(self.schema)
        else:
            Path(path).mkdir(parents=True, exist_ok=True)
            marker = Path(path) / _ANALYSIS_MARKER
            existing = (Path(path) / "meta.json").exists()
            if existing and (not marker.exists() or marker.read_text().strip() != ANALYSIS_VERSION):
                raise ValueError(f"{path}: schema does not match (written by another analysis version)")
            self._index = tantivy.Index(self.schema, path=str(path), reuse=True)
            if not existing:
                marker.write_text(ANALYSIS_VERSION + "\n")
        self.path = Path(path) if path is not None else None
        self._writer_lock = threading.Lock()
        #: Goes up with every :meth:`reload`: what a searcher taken after reading it sees is at least
        #: that commit, so results kept under it are never older than the index they are served for.
        self.version = 0

    @contextmanager
    def writer(self, *, heap_size: int = DEFAULT_HEAP, num_threads: int = 1) -> Iterator[SearchIndexWriter]:
        """The single writer: commits on a clean exit, rolls back on an exception.

        Raises RuntimeError when a writer of this index is already open.
        """
        if not self._writer_lock.acquire(blocking=False):
            raise RuntimeError("a writer of this search index is already open")
        try:
            raw = self._index.writer(heap_size=heap_size, num_threads=num_threads)
            session = SearchIndexWriter(self, raw)
            try:
                yield session
            except BaseException:
                raw.rollback()
                raw.wait_merging_threads()  # releases Tantivy's lock now, not when the traceback dies
                raise
            session.commit()
            raw.wait_merging_threads()
        finally:
            self._writer_lock.release()

    def reload(self) -> None:
        """Make new searchers see the last commit."""
        self._index.reload()
        self.version += 1

    def searcher(self) -> tantivy.Searcher:
        """A consistent view of the index; use one per search."""
        return self._index.searcher()

    @property
    def num_docs(self) -> int:
        return self.searcher().num_docs
