"""The catalogue query language's syntax tree (``syntax``) built into Tantivy queries: which fields a word
is looked for in and how each ranks, phrases, prefixes, identifiers and years.

Words and phrases go through the shared analyser (``catalog.text.analyse``)
exactly as the indexed text did.  What cannot be searched raises
:class:`QueryError` with a message fit for the user.
"""

from __future__ import annotations

import re

import tantivy

from jaringan.core.catalog.text import tokenise

from .index import index_terms, isbn_terms, normalise_call_number, term_pairs
from .syntax import (
    EXACT_FIELDS,
    MATCH_ALL,
    MIN_PREFIX,
    And,
    Not,
    Or,
    Phrase,
    Prefix,
    QueryError,
    Word,
    YearRange,
    parse,
)

__all__ = [
    "FIELD_BOOSTS",
    "QueryError",
    "build_query",
    "compile_query",
]

MAX_CLAUSES = 64
#: A prefix expanding to more words of a field than this is searched as a regular expression.
MAX_EXPANSIONS = 64
#: Fields that rank up a word found through ``all`` (series, publisher and notes count as ``all``) ...
WORD_RANKING_FIELDS = ("title", "author", "subject")
#: ... and a phrase or a prefix (costlier to look at).
RANKING_FIELDS = ("title", "author")

#: Text field → boost.  Title and author hits rank above notes.
FIELD_BOOSTS = {
    "title": 4.0,
    "author": 3.0,
    "subject": 2.0,
    "all": 0.3,  # every field: series, publisher and notes rank as this
}
#: Extra weight when the query's words appear as a phrase in the title.
PHRASE_BOOST = 2.0


# --- building Tantivy queries ----------------------------------------------


class _Vacuous:
    """A clause that constrains nothing (only stop words): dropped from its parent."""


VACUOUS = _Vacuous()


class _Builder:
    def __init__(self, schema: tantivy.Schema, matching_only: bool = False,
                 searcher: tantivy.Searcher | None = None) -> None:
        self.schema = schema
        self.searcher = searcher
        self.clauses = 0
        self.matching_only = matching_only

    def count(self) -> None:
        self.clauses += 1
        if self.clauses > MAX_CLAUSES:
            raise QueryError(f"The query has too many parts (more than {MAX_CLAUSES}).")

    # text
    def terms_query(self, field: str, terms: list[str]) -> tantivy.Query:
        if len(terms) == 1:
            return tantivy.Query.term_query(self.schema, field, terms[0])
        return tantivy.Query.phrase_query(self.schema, field, terms)

    def across_fields(self, field: str | None, make) -> tantivy.Query:
        if field is not None:
            return make(field)
        if self.matching_only:  # ``all`` holds every field's values: the same editions, one field to read
            return make("all")
        return self.ranked(make("all"), make, WORD_RANKING_FIELDS)

    def text(self, text: str, field: str | None):
        if field in EXACT_FIELDS:
            return self.exact(text, field)
        terms = index_terms(text)
        if not terms:
            return VACUOUS
        self.count()
        if field is None and len(terms) > 1:
            query = self.phrase(terms)
        else:
            query = self.across_fields(field, lambda f: self.terms_query(f, terms))
        if field is None:
            identifier = self.identifier(text)
            if identifier is not None:
                query = tantivy.Query.boolean_query(
                    [(tantivy.Occur.Should, query), (tantivy.Occur.Should, identifier)]
                )
        return query

    def phrase(self, terms: list[str]) -> tantivy.Query:
        """An unfielded phrase, ranked up where title or author hold it.

        Adjacent common terms are looked up as one term of ``all_pairs`` (no positions read for the
        editions that lack them); the positions of ``all`` decide the rest, and only for the
        editions those pair terms leave (a phrase of two common words needs none).
        """
        pairs = list(dict.fromkeys(term_pairs(terms)))
        clauses = [(tantivy.Occur.Must, tantivy.Query.term_query(self.schema, "all_pairs", p)) for p in pairs]
        if not (len(terms) == 2 and pairs):
            clauses.append((tantivy.Occur.Must, tantivy.Query.phrase_query(self.schema, "all", terms)))
        found = clauses[0][1] if len(clauses) == 1 else tantivy.Query.boolean_query(clauses)
        if self.matching_only:
            return found
        return self.ranked(found, lambda f: tantivy.Query.phrase_query(self.schema, f, terms))

    def identifier(self, text: str) -> tantivy.Query | None:
        """A bare ISBN typed without ``isbn:`` still finds its edition."""
        digits = re.sub(r"[\s-]", "", text)
        if not re.fullmatch(r"\d{9}[\dXx]|\d{13}", digits):
            return None
        terms = isbn_terms(digits)
        return tantivy.Query.boost_query(tantivy.Query.term_set_query(self.schema, "isbn", terms), 5.0)

    def exact(self, text: str, field: str) -> tantivy.Query:
        self.count()
        if field == "isbn":
            terms = isbn_terms(text)
        elif field == "issn":
            terms = [re.sub(r"\s", "", text).upper()]
            if re.fullmatch(r"\d{7}[\dX]", terms[0]):
                terms.append(f"{terms[0][:4]}-{terms[0][4:]}")
        else:
            terms = [normalise_call_number(text)]
        terms = [t for t in terms if t]
        if not terms:
            raise QueryError(f"{field}: needs a value.")
        return tantivy.Query.term_set_query(self.schema, field, terms)

    def prefix(self, text: str, field: str | None):
        if field in ("isbn", "issn", "year"):
            raise QueryError(f"{field}: does not take a prefix (*).")
        if field == "callnumber":
            stem = normalise_call_number(text)
        else:
            words = tokenise(text)
            if len(words) != 1:
                raise QueryError(f"A prefix search ({text}*) takes one word.")
            stem = words[0]
        if len(stem) < MIN_PREFIX:
            raise QueryError(f"A prefix search needs at least {MIN_PREFIX} letters before the *.")
        self.count()
        pattern = _regex_escape(stem) + ".*"
        if field == "callnumber":
            return tantivy.Query.regex_query(self.schema, "callnumber", pattern)
        # Words that begin with the prefix: the folded, unstemmed words (``*_words``).
        if field is not None:
            return self.expanded(f"{field}_words", stem, pattern)
        found = self.expanded("all_words", stem, pattern)
        if self.matching_only:
            return found
        return self.ranked(found, lambda f: self.expanded(f"{f}_words", stem, pattern))

    def ranked(self, found: tantivy.Query, make, fields=RANKING_FIELDS) -> tantivy.Query:
        """What ``found`` matches (through ``all``), ranked up where ``fields`` hold it too; those
        fields are read only for the editions found (cheap, unlike a union over every field)."""
        return tantivy.Query.boolean_query(
            [(tantivy.Occur.Must, tantivy.Query.boost_query(found, FIELD_BOOSTS["all"]))]
            + [(tantivy.Occur.Should, tantivy.Query.boost_query(make(f), FIELD_BOOSTS[f])) for f in fields]
        )

    def expanded(self, field: str, stem: str, pattern: str) -> tantivy.Query:
        """The words of ``field`` that begin with ``stem``.

        With a searcher, the prefix is looked up in the term dictionary (microseconds): one word
        becomes a term query, a few a term set.  A prefix of more than ``MAX_EXPANSIONS`` words
        (or no searcher) stays a regular expression run over the dictionary.
        """
        if self.searcher is None:
            return tantivy.Query.regex_query(self.schema, field, pattern)
        terms = self.searcher.terms_with_prefix(field, stem, limit=MAX_EXPANSIONS + 1)
        if len(terms) > MAX_EXPANSIONS:
            return tantivy.Query.regex_query(self.schema, field, pattern)
        if not terms:
            return tantivy.Query.empty_query()
        if len(terms) == 1:
            return tantivy.Query.term_query(self.schema, field, terms[0][0])
        return tantivy.Query.term_set_query(self.schema, field, [term for term, _n in terms])

    def year(self, node: YearRange) -> tantivy.Query:
        self.count()
        return tantivy.Query.range_query(
            self.schema, "year", tantivy.FieldType.Integer, lower_bound=node.lower, upper_bound=node.upper
        )

    # structure
    def build(self, node):
        if node is MATCH_ALL:
            return tantivy.Query.all_query()
        if isinstance(node, Word):
            return self.text(node.text, node.field)
        if isinstance(node, Phrase):
            return self.text(node.text, node.field)
        if isinstance(node, Prefix):
            return self.prefix(node.text, node.field)
        if isinstance(node, YearRange):
            return self.year(node)
        if isinstance(node, Not):
            inner = self.build(node.child)
            if inner is VACUOUS:
                return VACUOUS
            return tantivy.Query.boolean_query(
                [(tantivy.Occur.Must, tantivy.Query.all_query()), (tantivy.Occur.MustNot, inner)]
            )
        if isinstance(node, And):
            return self.conjunction(node)
        if isinstance(node, Or):
            parts = [q for q in (self.build(c) for c in node.children) if q is not VACUOUS]
            if not parts:
                return VACUOUS
            if len(parts) == 1:
                return parts[0]
            return tantivy.Query.boolean_query([(tantivy.Occur.Should, q) for q in parts])
        raise QueryError("The query could not be understood.")  # pragma: no cover

    def conjunction(self, node: And):
        clauses = []
        positive = False
        for child in node.children:
            if isinstance(child, Not):
                inner = self.build(child.child)
                if inner is not VACUOUS:
                    clauses.append((tantivy.Occur.MustNot, inner))
                continue
            query = self.build(child)
            if query is not VACUOUS:
                clauses.append((tantivy.Occur.Must, query))
                positive = True
        if not clauses:
            return VACUOUS
        if not positive:
            clauses.insert(0, (tantivy.Occur.Must, tantivy.Query.all_query()))
        phrase = None if self.matching_only else self.phrase_boost(node)
        if phrase is not None:
            clauses.append((tantivy.Occur.Should, phrase))
        return tantivy.Query.boolean_query(clauses)

    def phrase_boost(self, node: And) -> tantivy.Query | None:
        """Plain words of a conjunction, also as a title phrase: the exact title ranks first."""
        terms = [t for c in node.children if isinstance(c, Word) and c.field is None for t in index_terms(c.text)]
        if len(terms) < 2:
            return None
        return tantivy.Query.boost_query(
            tantivy.Query.phrase_query(self.schema, "title", terms), FIELD_BOOSTS["title"] * PHRASE_BOOST
        )


def _regex_escape(text: str) -> str:
    return "".join("\\" + ch if ch.isascii() and not ch.isalnum() else ch for ch in text)


def build_query(node, schema: tantivy.Schema, *, matching_only: bool = False,
                searcher: tantivy.Searcher | None = None) -> tantivy.Query:
    """The Tantivy query of a syntax tree; raises :class:`QueryError` for what cannot be searched.

    ``matching_only``: a query that matches the same editions but does not rank them (unfielded
    words read the ``all`` field alone, no phrase bonus), for counting facets: much cheaper.
    ``searcher``: the view the query will run on; prefixes (``libr*``) are then expanded through
    its term dictionary into the words it holds.  Such a query belongs to that view: build it
    again for another.
    """
    try:
        query = _Builder(schema, matching_only, searcher).build(node)
    except QueryError:
        raise
    except (ValueError, OverflowError) as error:  # Tantivy refused a part (e.g. a bad regex)
        raise QueryError("The query could not be understood.") from error
    if query is VACUOUS:
        raise QueryError("The query has only very common words (such as 'the', 'dan'); add a more specific word.")
    return query


def compile_query(text: str | None, schema: tantivy.Schema, *, matching_only: bool = False) -> tantivy.Query:
    """Parse and build in one step."""
    return build_query(parse(text), schema, matching_only=matching_only)
