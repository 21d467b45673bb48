"""The catalogue query language, parsed here and built into Tantivy queries.

Syntax (what a cataloguer expects; Tantivy's own query parser never sees
user text):

* plain words are ANDed: ``sejarah jawa``
* ``"exact phrase"``, ``libr*`` (prefix, at least two letters)
* ``AND``, ``OR``, ``NOT`` (upper case), ``-word``, ``( ... )``;
  ``OR`` binds tighter than ``AND``: ``sejarah jawa OR bali`` is
  ``sejarah AND (jawa OR bali)``
* fields: ``title:``, ``author:``, ``subject:``, ``series:``,
  ``publisher:``, ``notes:``, ``isbn:``, ``issn:``, ``callnumber:``,
  ``year:1990``, ``year:1990-2000``, ``year:1990-``, ``year:-2000``;
  a field applies to one word, a phrase or a parenthesised group
  (``title:(sejarah jawa)``)

Words and phrases go through the shared analyser (``catalog.text.analyse``)
exactly as the indexed text did.  Sloppy input degrades: an unbalanced quote
or parenthesis is closed at the end, a dangling operator is dropped, an
unknown ``name:`` is just text.  What cannot be searched raises
:class:`QueryError` with a message fit for the user.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

import tantivy

from jaringan.core.catalog.text import tokenise
from jaringan.core.errors import Invalid

from .index import index_terms, isbn_terms, normalise_call_number, term_pairs

__all__ = [
    "FIELD_BOOSTS",
    "And",
    "Not",
    "Or",
    "Phrase",
    "Prefix",
    "QueryError",
    "Word",
    "YearRange",
    "build_query",
    "compile_query",
    "parse",
]

MAX_QUERY_LENGTH = 1000
MAX_CLAUSES = 64
#: Brackets, NOTs and fields nested in one another at the most ("((a))" is 2 deep).
MAX_NESTING = 32
MIN_PREFIX = 2
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

TEXT_QUERY_FIELDS = frozenset({"title", "author", "subject", "series", "publisher", "notes"})
EXACT_FIELDS = frozenset({"isbn", "issn", "callnumber"})
FIELD_ALIASES = {
    "ti": "title", "judul": "title",
    "au": "author", "pengarang": "author", "creator": "author",
    "su": "subject", "subjek": "subject",
    "se": "series", "seri": "series",
    "pb": "publisher", "penerbit": "publisher",
    "note": "notes", "catatan": "notes",
    "call": "callnumber", "cn": "callnumber", "call_number": "callnumber",
    "tahun": "year", "py": "year",
    "any": None, "all": None,
}
KNOWN_FIELDS = TEXT_QUERY_FIELDS | EXACT_FIELDS | {"year"}

_OPERATORS = {"AND", "OR", "NOT"}
_YEAR = re.compile(r"(\d{1,4})?\s*(?:-|\.\.|–|to)\s*(\d{1,4})?", re.I)


class QueryError(Invalid):
    """The query cannot be searched; ``str(error)`` is a message for the user."""


# --- the syntax tree -------------------------------------------------------


@dataclass(frozen=True)
class Word:
    text: str
    field: str | None = None


@dataclass(frozen=True)
class Phrase:
    text: str
    field: str | None = None


@dataclass(frozen=True)
class Prefix:
    text: str
    field: str | None = None


@dataclass(frozen=True)
class YearRange:
    lower: int | None
    upper: int | None


@dataclass(frozen=True)
class And:
    children: tuple


@dataclass(frozen=True)
class Or:
    children: tuple


@dataclass(frozen=True)
class Not:
    child: object


class MatchAll:
    """``*`` on its own."""


MATCH_ALL = MatchAll()


# --- lexing ----------------------------------------------------------------


@dataclass(frozen=True)
class _Token:
    kind: str  # WORD PHRASE OP LPAREN RPAREN NEG FIELD
    text: str = ""


def _clean(text: str) -> str:
    """Drop what cannot reach Tantivy: lone surrogates, control and format characters."""
    text = text.encode("utf-8", "replace").decode("utf-8")
    text = unicodedata.normalize("NFC", text)
    return "".join(
        " " if unicodedata.category(ch) in ("Cc", "Zl", "Zp", "Zs") else ch
        for ch in text
        if unicodedata.category(ch) not in ("Cf", "Cs", "Co", "Cn")
    )


_QUOTES = str.maketrans({"“": '"', "”": '"', "„": '"', "«": '"', "»": '"', "＂": '"'})


def _field_name(word: str) -> str | None | bool:
    """The canonical field of ``name`` in ``name:``; False when it is no field."""
    name = word.lower()
    if name in KNOWN_FIELDS:
        return name
    if name in FIELD_ALIASES:
        return FIELD_ALIASES[name]
    return False


def _lex(text: str) -> list[_Token]:
    text = text.translate(_QUOTES)
    tokens: list[_Token] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch.isspace():
            i += 1
        elif ch == '"':
            end = text.find('"', i + 1)
            if end < 0:  # unbalanced: the phrase runs to the end
                end = n
            tokens.append(_Token("PHRASE", text[i + 1 : end]))
            i = end + 1
        elif ch == "(":
            tokens.append(_Token("LPAREN"))
            i += 1
        elif ch == ")":
            tokens.append(_Token("RPAREN"))
            i += 1
        elif ch in "-!" and i + 1 < n and not text[i + 1].isspace() and (not tokens or _separated(text, i)):
            tokens.append(_Token("NEG"))
            i += 1
        elif ch == "+" and i + 1 < n and not text[i + 1].isspace():
            i += 1  # "+word": words are required anyway
        else:
            j = i
            while j < n and not text[j].isspace() and text[j] not in '()"':
                j += 1
            word = text[i:j]
            name, colon, rest = word.partition(":")
            field = _field_name(name) if colon and name else False
            if field is not False and (rest or (j < n and text[j] in '("')):
                tokens.append(_Token("FIELD", field or ""))
                if rest:
                    tokens.append(_Token("WORD", rest))
            elif word in _OPERATORS or word in ("&&", "||"):
                tokens.append(_Token("OP", {"&&": "AND", "||": "OR"}.get(word, word)))
            else:
                tokens.append(_Token("WORD", word))
            i = j
    return tokens


def _separated(text: str, i: int) -> bool:
    return i == 0 or text[i - 1].isspace() or text[i - 1] in "("


# --- parsing ---------------------------------------------------------------


class _Parser:
    def __init__(self, tokens: list[_Token]) -> None:
        self.tokens = tokens
        self.pos = 0
        self.depth = 0

    def nested(self, step, field):
        """``step(field)`` one level deeper; past ``MAX_NESTING`` the query is refused, not recursed into."""
        if self.depth >= MAX_NESTING:
            raise QueryError(f"The query is too complex (brackets, NOT or fields nested more than {MAX_NESTING} deep).")
        self.depth += 1
        try:
            return step(field)
        finally:
            self.depth -= 1

    def peek(self) -> _Token | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def take(self) -> _Token:
        token = self.tokens[self.pos]
        self.pos += 1
        return token

    def parse(self):
        node = self.conjunction(field=None)
        while self.peek() is not None:  # stray ")": skip it and go on
            self.take()
            more = self.conjunction(field=None)
            node = _and([node, more])
        return node

    def conjunction(self, field):
        children = []
        while (token := self.peek()) is not None and token.kind != "RPAREN":
            if token.kind == "OP" and token.text in ("AND", "OR"):
                self.take()  # explicit AND is the default; a leading/dangling OR is dropped
                continue
            children.append(self.disjunction(field))
        return _and(children)

    def disjunction(self, field):
        children = [self.unary(field)]
        while (token := self.peek()) is not None and token.kind == "OP" and token.text == "OR":
            self.take()
            nxt = self.peek()
            if nxt is None or nxt.kind == "RPAREN" or (nxt.kind == "OP" and nxt.text in ("AND", "OR")):
                break  # dangling OR
            children.append(self.unary(field))
        children = [c for c in children if c is not None]
        if not children:
            return None
        return children[0] if len(children) == 1 else Or(tuple(children))

    def unary(self, field):
        token = self.peek()
        if token is not None and (token.kind == "NEG" or (token.kind == "OP" and token.text == "NOT")):
            self.take()
            if self.peek() is None or self.peek().kind == "RPAREN":
                return None  # dangling NOT
            child = self.nested(self.unary, field)
            return Not(child) if child is not None else None
        return self.primary(field)

    def primary(self, field):
        token = self.take()
        if token.kind == "LPAREN":
            node = self.nested(self.conjunction, field)
            if self.peek() is not None and self.peek().kind == "RPAREN":
                self.take()
            return node
        if token.kind == "FIELD":
            inner = token.text or None
            if self.peek() is None:
                return None
            return self.nested(self.unary if self.peek().kind != "FIELD" else self.primary, inner)
        if token.kind == "PHRASE":
            return _leaf(Phrase, token.text, field)
        if token.kind == "OP":  # "NOT" handled above; AND/OR here are literal words
            return _leaf(Word, token.text, field)
        if token.kind == "NEG":
            return None
        return _word(token.text, field)


def _and(children):
    children = [c for c in children if c is not None]
    if not children:
        return None
    return children[0] if len(children) == 1 else And(tuple(children))


def _leaf(kind, text: str, field: str | None):
    text = text.strip()
    return kind(text, field) if text else None


def _word(text: str, field: str | None):
    if field == "year":
        return _year(text)
    if text == "*":
        return MATCH_ALL
    if text.endswith("*") and field not in ("isbn", "issn"):
        stem = text.rstrip("*")
        return _leaf(Prefix, stem, field) if stem else MATCH_ALL
    return _leaf(Word, text, field)


def _year(text: str) -> YearRange:
    text = text.strip()
    if re.fullmatch(r"\d{1,4}", text):
        return YearRange(int(text), int(text))
    if found := re.fullmatch(r"(>=?|<=?)\s*(\d{1,4})", text):
        op, year = found.group(1), int(found.group(2))
        if op.startswith(">"):
            return YearRange(year if op == ">=" else year + 1, None)
        return YearRange(None, year if op == "<=" else year - 1)
    found = _YEAR.fullmatch(text)
    if found is None or (found.group(1) is None and found.group(2) is None):
        raise QueryError(f"year: expects a year or a range such as 1990-2000, not {text!r}.")
    lower = int(found.group(1)) if found.group(1) else None
    upper = int(found.group(2)) if found.group(2) else None
    if lower is not None and upper is not None and lower > upper:
        lower, upper = upper, lower
    return YearRange(lower, upper)


def parse(text: str | None):
    """The syntax tree of a query; raises :class:`QueryError` when there is nothing to search."""
    if text is None or not str(text).strip():
        raise QueryError("Type something to search for.")
    text = _clean(str(text))
    if len(text) > MAX_QUERY_LENGTH:
        raise QueryError(f"The query is too long (more than {MAX_QUERY_LENGTH} characters).")
    node = _Parser(_lex(text)).parse()
    if node is None:
        raise QueryError("Type something to search for.")
    return node


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
