"""CQL (parsed by cql-parser) into the search core's query tree.

Indexes, from the ``dc``, ``bath`` and ``cql`` context sets and unprefixed:

==========================================  ==========================
``cql.serverChoice``, ``cql.anywhere``,     every text field
``cql.keywords``, ``bath.any``, ``any``
``dc.title``, ``bath.title``, ``title``     title
``dc.creator``, ``dc.author``,              author
``bath.author``, ``bath.name``, ``author``
``dc.subject``, ``bath.subject``            subject
``dc.publisher``, ``dc.date``,              publisher, year
``bath.isbn``, ``bath.issn``,               ISBN, ISSN (ISBN-10 finds ISBN-13)
``dc.identifier``                           ISBN or ISSN
``cql.allRecords``                          every edition
==========================================  ==========================

Relations on words: ``=`` (on ``cql.serverChoice``: all the words; on a
field: the words as a phrase, as CQL 1.2 says), ``==``/``exact``/``adj``
(phrase), ``all``, ``any``, ``<>`` (not). On dates: ``=``, ``<``, ``>``,
``<=``, ``>=``, ``within "1990 2000"``. Booleans ``and``, ``or``, ``not``;
``prox`` is refused. A word ending in ``*`` is a prefix; ``\\*`` is a
literal star. ``sortBy dc.date[/sort.descending]`` or ``dc.title``.

Whatever cannot be searched raises :class:`Diagnostic` with the standard's
number.
"""

from __future__ import annotations

import logging
import re
import threading
from dataclasses import dataclass

import cql as cql_parser

from jaringan.core.catalog.text import analyse
from jaringan.core.search.syntax import MATCH_ALL, MIN_PREFIX, And, Not, Or, Phrase, Prefix, Word, YearRange

from .diagnostics import Diagnostic

__all__ = ["SCAN_FIELDS", "Translated", "parse_clause", "translate"]

# cql-parser logs every syntax error at ERROR level; the diagnostic tells the client instead.
logging.getLogger("cql").setLevel(logging.CRITICAL)

MAX_QUERY_LENGTH = 2000
MAX_BOOLEANS = 64

CONTEXT_SETS = {
    "info:srw/cql-context-set/1/cql-v1.1": "cql",
    "info:srw/cql-context-set/1/cql-v1.2": "cql",
    "info:srw/cql-context-set/1/dc-v1.1": "dc",
    "http://zing.z3950.org/cql/bath/2.0/": "bath",
    "info:srw/cql-context-set/2/bath-v2.0": "bath",
}

ANY = "any"
ALL_RECORDS = "allRecords"
DATE = "date"
IDENTIFIER = "identifier"
TEXT_TARGETS = frozenset({ANY, "title", "author", "subject", "publisher", "series", "notes"})
EXACT_TARGETS = frozenset({"isbn", "issn", IDENTIFIER, "callnumber"})

#: (context set, index) → what it searches; context set None for unprefixed names.
INDEXES = {
    ("cql", "serverchoice"): ANY, ("cql", "anywhere"): ANY, ("cql", "keywords"): ANY,
    ("cql", "allindexes"): ANY, ("cql", "allrecords"): ALL_RECORDS,
    ("dc", "title"): "title", ("dc", "creator"): "author", ("dc", "author"): "author",
    ("dc", "contributor"): "author", ("dc", "subject"): "subject", ("dc", "publisher"): "publisher",
    ("dc", "date"): DATE, ("dc", "identifier"): IDENTIFIER, ("dc", "description"): "notes",
    ("dc", "relation"): "series", ("dc", "any"): ANY,
    ("bath", "title"): "title", ("bath", "keytitle"): "title", ("bath", "author"): "author",
    ("bath", "name"): "author", ("bath", "personalname"): "author", ("bath", "corporatename"): "author",
    ("bath", "conferencename"): "author", ("bath", "subject"): "subject", ("bath", "topicalsubject"): "subject",
    ("bath", "isbn"): "isbn", ("bath", "issn"): "issn", ("bath", "standardidentifier"): IDENTIFIER,
    ("bath", "any"): ANY, ("bath", "publisher"): "publisher", ("bath", "date"): DATE,
    ("bath", "lccallnumber"): "callnumber", ("bath", "deweyclassification"): "callnumber",
    ("bath", "seriestitle"): "series",
    (None, "title"): "title", (None, "author"): "author", (None, "creator"): "author", (None, "name"): "author",
    (None, "subject"): "subject", (None, "publisher"): "publisher", (None, "series"): "series",
    (None, "isbn"): "isbn", (None, "issn"): "issn", (None, "identifier"): IDENTIFIER,
    (None, "callnumber"): "callnumber", (None, "date"): DATE, (None, "year"): DATE,
    (None, "any"): ANY, (None, "keyword"): ANY, (None, "keywords"): ANY, (None, "serverchoice"): ANY,
}

#: Scan works on these (word lists of the index): target → index field.
SCAN_FIELDS = {"title": "title_words", "author": "author_words", "subject": "subject_words", ANY: "all_words",
               "series": "series_words", "publisher": "publisher_words"}

#: Relation modifiers that change nothing here (relevance ranking is always on).
HARMLESS_MODIFIERS = frozenset({"relevant", "stem", "word", "string", "ignorecase", "ignoreaccents", "unmasked",
                                "locale", "lang", "cql.relevant", "cql.stem", "cql.word", "cql.string",
                                "cql.ignorecase", "cql.ignoreaccents", "cql.unmasked"})
DATE_RELATIONS = frozenset({"=", "==", "exact", "adj", "scr", "<", ">", "<=", ">=", "within", "any", "<>"})
WORD_RELATIONS = frozenset({"=", "==", "exact", "adj", "scr", "all", "any", "<>"})
_YEAR = re.compile(r"^\d{1,4}$")


@dataclass(frozen=True)
class Translated:
    """The query tree and the sort (``relevance``, ``year``, ``-year`` or ``title``)."""

    node: object
    sort: str = "relevance"


_local = threading.local()


def _parser():
    """cql-parser builds its tables once per thread (8 ms); a parse then takes ~0.1 ms."""
    parser = getattr(_local, "parser", None)
    if parser is None:
        lexer = cql_parser.CQLLexer()
        lexer.build()
        parser = cql_parser.CQLParser12()
        parser.build(lexer)
        _local.parser = parser
    return parser


def _parse(text: str):
    if text is None or not text.strip():
        raise Diagnostic(10, "empty query")
    if len(text) > MAX_QUERY_LENGTH:
        raise Diagnostic(10, f"longer than {MAX_QUERY_LENGTH} characters")
    try:
        parsed = _parser().parse(text)
    except (cql_parser.CQLParserError, cql_parser.CQLLexerError) as error:
        raise Diagnostic(10, str(error)) from None
    except Exception as error:  # the vendored PLY parser raises odd things on odd input
        raise Diagnostic(10, type(error).__name__) from None
    if parsed is None:
        raise Diagnostic(10, text)
    return parsed


# --- terms -----------------------------------------------------------------------------


@dataclass(frozen=True)
class _Piece:
    """One word of a term: its text (escapes resolved), and whether it ends in a mask."""

    text: str
    prefix: bool


def _pieces(term: str) -> list[_Piece]:
    """Split a term into words, resolving ``\\`` escapes and checking masks and anchors."""
    pieces, current, masked = [], [], False
    chars = iter(term + " ")
    for ch in chars:
        if ch == "\\":
            nxt = next(chars, "")
            if masked:
                raise Diagnostic(28, term)
            current.append(nxt)
        elif ch.isspace():
            if current or masked:
                pieces.append(_Piece("".join(current), masked))
            current, masked = [], False
        elif ch == "*":
            if masked:
                raise Diagnostic(28, term)
            masked = True
        elif ch == "?":
            raise Diagnostic(28, term)
        elif ch == "^":
            raise Diagnostic(31, term)
        else:
            if masked:  # a star inside a word
                raise Diagnostic(28, term)
            current.append(ch)
    for piece in pieces:
        if piece.prefix and piece.text and len(piece.text) < MIN_PREFIX:
            raise Diagnostic(29, piece.text + "*")
    return pieces


def _leaf(piece: _Piece, field: str | None):
    if piece.prefix:
        return Prefix(piece.text, field) if piece.text else MATCH_ALL
    return Word(piece.text, field)


def _combine(kind, nodes: list):
    nodes = [n for n in nodes if n is not None]
    if not nodes:
        return None
    return nodes[0] if len(nodes) == 1 else kind(tuple(nodes))


def _text(target: str, relation: str, term: str):
    field = None if target == ANY else target
    pieces = _pieces(term)
    if not pieces:
        raise Diagnostic(27, term)
    if len(pieces) == 1 and pieces[0].prefix and not pieces[0].text:
        return MATCH_ALL
    words = [p for p in pieces if p.text or p.prefix]
    masked = any(p.prefix for p in words)
    if relation in ("all", "any") or (relation in ("=", "scr") and (target == ANY or masked)):
        leaves = [_leaf(p, field) for p in words if not (p.prefix and not p.text)]
        return _combine(Or if relation == "any" else And, leaves) or MATCH_ALL
    # =, ==, exact, adj on a field: the words as they stand together
    if masked:
        raise Diagnostic(33, term)
    if len(words) == 1:
        return Word(words[0].text, field)
    return Phrase(" ".join(p.text for p in words), field)


def _exact(target: str, relation: str, term: str):
    pieces = _pieces(term)
    if not pieces:
        raise Diagnostic(27, term)
    if any(p.prefix for p in pieces):
        raise Diagnostic(28, term)
    fields = ("isbn", "issn") if target == IDENTIFIER else (target,)
    values = [p.text for p in pieces] if relation == "any" else ["".join(p.text for p in pieces)]
    if target == "callnumber" and relation != "any":
        values = [" ".join(p.text for p in pieces)]
    return _combine(Or, [_combine(Or, [Word(v, f) for f in fields]) for v in values])


def _year(text: str) -> int:
    text = text.strip()
    if not _YEAR.match(text):
        raise Diagnostic(36, text)
    return int(text)


def _date(relation: str, term: str):
    if relation not in DATE_RELATIONS:
        raise Diagnostic(19, relation)
    words = term.split()
    if not words:
        raise Diagnostic(27, term)
    if relation == "within":
        if len(words) != 2:
            raise Diagnostic(36, term)
        low, high = sorted((_year(words[0]), _year(words[1])))
        return YearRange(low, high)
    if relation == "any":
        return _combine(Or, [YearRange(y, y) for y in map(_year, words)])
    if len(words) != 1:
        raise Diagnostic(36, term)
    year = _year(words[0])
    return {
        "<": YearRange(None, year - 1), "<=": YearRange(None, year),
        ">": YearRange(year + 1, None), ">=": YearRange(year, None),
        "<>": Not(YearRange(year, year)),
    }.get(relation, YearRange(year, year))


# --- indexes and clauses -----------------------------------------------------------------


def _target(index, prefixes: dict[str, str]) -> str:
    """What an index searches; Diagnostic 15/16 for an unknown context set or index."""
    name = str(index).strip().lower()
    context, _, base = name.rpartition(".")
    if context:
        context = prefixes.get(context, context)
        if context not in ("cql", "dc", "bath"):
            raise Diagnostic(15, str(index).rpartition(".")[0])
    target = INDEXES.get((context or None, base))
    if target is None:
        raise Diagnostic(16, str(index))
    return target


def _relation(relation) -> str:
    name = str(relation.comparitor).lower()
    for modifier in relation.modifiers or ():
        if str(modifier.name).lower() not in HARMLESS_MODIFIERS:
            raise Diagnostic(20, str(modifier.name))
    return name


def _clause(clause, prefixes: dict[str, str]):
    index = clause.index if clause.index is not None else "cql.serverChoice"
    target = _target(index, prefixes)
    relation = _relation(clause.relation) if clause.relation is not None else "="
    term = clause.term
    if target == ALL_RECORDS:
        return MATCH_ALL
    if term is None or not term.strip():
        raise Diagnostic(27, str(index))
    if target == DATE:
        return _date(relation, term)
    if relation not in WORD_RELATIONS:
        raise Diagnostic(19, relation)
    negate = relation == "<>"
    relation = "adj" if negate else relation
    node = _exact(target, relation, term) if target in EXACT_TARGETS else _text(target, relation, term)
    return Not(node) if negate else node


def _with_prefixes(node, prefixes: dict[str, str]) -> dict[str, str]:
    found = getattr(node, "prefixes", None)
    if not found:
        return prefixes
    out = dict(prefixes)
    for prefix in found:
        known = CONTEXT_SETS.get(prefix.uri)
        if prefix.prefix is None:
            continue  # a default context set for unprefixed indexes: ours are fixed
        if known is None:
            raise Diagnostic(15, prefix.uri)
        out[prefix.prefix.lower()] = known
    return out


class _Walker:
    def __init__(self) -> None:
        self.booleans = 0

    def walk(self, node, prefixes: dict[str, str]):
        prefixes = _with_prefixes(node, prefixes)
        if isinstance(node, cql_parser.parser.CQLTriple):
            self.booleans += 1
            if self.booleans > MAX_BOOLEANS:
                raise Diagnostic(38, str(MAX_BOOLEANS))
            operator = node.operator.value.lower()
            left, right = self.walk(node.left, prefixes), self.walk(node.right, prefixes)
            if operator == "and":
                return And((left, right))
            if operator == "or":
                return Or((left, right))
            if operator == "not":
                return And((left, Not(right)))
            if operator == "prox":
                raise Diagnostic(39, "prox")
            raise Diagnostic(37, operator)
        return _clause(node, prefixes)


def _sort(root, prefixes: dict[str, str]) -> str:
    specs = getattr(root, "sortSpecs", None) or []
    if not specs:
        return "relevance"
    spec = specs[0]
    target = _target(spec.index, prefixes)
    descending = any(str(m.name).lower() in ("sort.descending", "descending") for m in spec.modifiers or ())
    if target == DATE:
        return "-year" if descending else "year"
    if target == "title":
        return "title"
    raise Diagnostic(16, f"sortBy {spec.index}")


def translate(query: str) -> Translated:
    """The query tree of a CQL query, and its sort; raises :class:`Diagnostic`."""
    parsed = _parse(query)
    node = _Walker().walk(parsed.root, {})
    return Translated(node=node, sort=_sort(parsed.root, _with_prefixes(parsed.root, {})))


def only_stopwords(node) -> bool:
    """True when every word of the tree analyses to nothing (diagnostic 35)."""
    if isinstance(node, (Word, Phrase)):
        return not analyse(node.text) and node.field not in ("isbn", "issn", "callnumber")
    if isinstance(node, (And, Or)):
        return all(only_stopwords(c) for c in node.children)
    if isinstance(node, Not):
        return only_stopwords(node.child)
    return False


def parse_clause(scan_clause: str) -> tuple[str, str]:
    """A scan clause (``dc.title = sejarah``) → (index field, start term); raises :class:`Diagnostic`."""
    parsed = _parse(scan_clause)
    root = parsed.root
    if isinstance(root, cql_parser.parser.CQLTriple):
        raise Diagnostic(10, "scan takes one index, relation and term")
    prefixes = _with_prefixes(root, {})
    index = root.index if root.index is not None else "cql.serverChoice"
    target = _target(index, prefixes)
    if target not in SCAN_FIELDS:
        raise Diagnostic(16, f"{index} (scan)")
    if root.relation is not None:
        relation = _relation(root.relation)
        if relation not in ("=", "==", "exact", "scr", ">=", "adj", "all", "any"):
            raise Diagnostic(19, relation)
    return SCAN_FIELDS[target], root.term or ""
