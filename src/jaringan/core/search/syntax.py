"""The catalogue query language: its syntax tree, read from the text a reader types.


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

Sloppy input degrades: an unbalanced quote or parenthesis is closed at the
end, a dangling operator is dropped, an unknown ``name:`` is just text.  What
cannot be searched raises :class:`QueryError` with a message fit for the
user.  ``query`` builds the tree into Tantivy queries.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from jaringan.core.errors import Invalid

__all__ = [
    "EXACT_FIELDS",
    "KNOWN_FIELDS",
    "MATCH_ALL",
    "MAX_NESTING",
    "MAX_QUERY_LENGTH",
    "MIN_PREFIX",
    "And",
    "MatchAll",
    "Not",
    "Or",
    "Phrase",
    "Prefix",
    "QueryError",
    "Word",
    "YearRange",
    "field_phrase",
    "parse",
]

MAX_QUERY_LENGTH = 1000
#: Brackets, NOTs and fields nested in one another at the most ("((a))" is 2 deep).
MAX_NESTING = 32
#: Letters a prefix search (``libr*``) needs before the ``*``.
MIN_PREFIX = 2

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


def field_phrase(field: str, text: str) -> str:
    """The query, in this syntax, that finds ``text`` as a phrase in ``field``: ``author:"Toer, Pramoedya"``
    (a heading's own quotation marks dropped, since a phrase cannot hold them)."""
    if field not in TEXT_QUERY_FIELDS:
        raise ValueError(f"{field!r} is not a text field of the query language")
    words = " ".join(text.translate(_QUOTES).replace('"', " ").split())
    return f'{field}:"{words}"'


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
