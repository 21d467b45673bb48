"""CQL into the search core's query tree, OAI-PMH argument checks and resumption tokens (no database)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from jaringan.core.search.syntax import MATCH_ALL, And, Not, Or, Phrase, Prefix, Word, YearRange
from jaringan.interop.oai import tokens
from jaringan.interop.oai.protocol import OaiError, parse_request
from jaringan.interop.sru.cql import parse_clause, translate
from jaringan.interop.sru.diagnostics import Diagnostic


@pytest.mark.parametrize("query, node", [
    ('"sejarah indonesia"', And((Word("sejarah"), Word("indonesia")))),  # what SLiMS sends: all the words
    ("dc.title = sejarah", Word("sejarah", "title")),
    ('dc.title = "sejarah indonesia"', Phrase("sejarah indonesia", "title")),
    ('dc.title adj "sejarah indonesia"', Phrase("sejarah indonesia", "title")),
    ('dc.title == "sejarah indonesia"', Phrase("sejarah indonesia", "title")),
    ('dc.title all "sejarah indonesia"', And((Word("sejarah", "title"), Word("indonesia", "title")))),
    ('bath.name any "abidin sabang"', Or((Word("abidin", "author"), Word("sabang", "author")))),
    ("DC.CREATOR = abidin", Word("abidin", "author")),
    ("bath.author = abidin", Word("abidin", "author")),
    ("subject = ekonomi", Word("ekonomi", "subject")),
    ("perpus*", Prefix("perpus")),
    ('dc.title = "sejarah indo*"', And((Word("sejarah", "title"), Prefix("indo", "title")))),
    ("perpus\\*", Word("perpus*")),
    ("bath.isbn = 979-8880-16-1", Word("979-8880-16-1", "isbn")),
    ('bath.isbn any "9789798880162 9794146757"', Or((Word("9789798880162", "isbn"), Word("9794146757", "isbn")))),
    ("dc.identifier = 0126-0537", Or((Word("0126-0537", "isbn"), Word("0126-0537", "issn")))),
    ("dc.date = 1999", YearRange(1999, 1999)),
    ('dc.date within "2000 1990"', YearRange(1990, 2000)),
    ("dc.date >= 1995", YearRange(1995, None)),
    ("dc.date > 1995", YearRange(1996, None)),
    ("dc.date < 1995", YearRange(None, 1994)),
    ("dc.date <= 1995", YearRange(None, 1995)),
    ("dc.title <> sejarah", Not(Word("sejarah", "title"))),
    ("cql.allRecords = 1", MATCH_ALL),
    ("a and (b or c) not d", And((And((Word("a"), Or((Word("b"), Word("c"))))), Not(Word("d"))))),
    ("dc.title =/relevant sejarah", Word("sejarah", "title")),
    ('> d = "info:srw/cql-context-set/1/dc-v1.1" d.title = x', Word("x", "title")),
])
def test_cql_translation(query, node):
    assert translate(query).node == node


@pytest.mark.parametrize("query, number", [
    ("(a", 10), ("a and", 10), ("dc.title =", 10), ("", 10),
    ("foo.title = x", 15), ('> q = "http://example.org/x" q.title = x', 15),
    ("dc.format = x", 16), ("title = x sortBy dc.format", 16),
    ("dc.title < x", 19), ("dc.title within x", 19),
    ("dc.title =/fuzzy x", 20),
    ('dc.title = ""', 27),
    ("a*b", 28), ("*ab", 28), ("a?b", 28),
    ("s*", 29),
    ("^sejarah", 31),
    ('dc.title adj "sejarah indo*"', 33),
    ("dc.date = 19x9", 36), ('dc.date within "1990"', 36),
    ("a prox b", 39),
])
def test_cql_diagnostics(query, number):
    with pytest.raises(Diagnostic) as caught:
        translate(query)
    assert caught.value.number == number and caught.value.uri == f"info:srw/diagnostic/1/{number}"


def test_sort_and_scan_clauses():
    assert translate("x sortBy dc.date/sort.descending").sort == "-year"
    assert translate("x sortBy dc.title").sort == "title"
    assert translate("x").sort == "relevance"
    assert parse_clause("dc.title = sejarah") == ("title_words", "sejarah")
    assert parse_clause("bath.name = abidin") == ("author_words", "abidin")
    with pytest.raises(Diagnostic):
        parse_clause("a and b")


def _params(query: str) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for part in query.split("&"):
        if part:
            name, _, value = part.partition("=")
            out.setdefault(name, []).append(value)
    return out


@pytest.mark.parametrize("query, code", [
    ("", "badVerb"), ("verb=Bogus", "badVerb"), ("verb=Identify&verb=Identify", "badVerb"),
    ("verb=Identify&set=x", "badArgument"), ("verb=ListRecords", "badArgument"),
    ("verb=ListRecords&metadataPrefix=oai_dc&metadataPrefix=mods", "badArgument"),
    ("verb=ListRecords&metadataPrefix=oai_dc&from=2024-1-1", "badArgument"),
    ("verb=ListRecords&metadataPrefix=oai_dc&from=2024-01-01&until=2024-01-01T00:00:00Z", "badArgument"),
    ("verb=ListRecords&metadataPrefix=oai_dc&from=2024-02-01&until=2024-01-31", "badArgument"),
    ("verb=ListIdentifiers&resumptionToken=x&set=a", "badArgument"),
    ("verb=GetRecord&identifier=x", "badArgument"),
])
def test_oai_arguments_refused(query, code):
    with pytest.raises(OaiError) as caught:
        parse_request(_params(query))
    assert caught.value.code == code


def test_oai_windows_are_inclusive():
    request = parse_request(_params("verb=ListRecords&metadataPrefix=oai_dc&from=2024-01-01&until=2024-01-01"))
    assert request.from_.instant == datetime(2024, 1, 1, tzinfo=UTC)
    assert request.until.instant == datetime(2024, 1, 2, tzinfo=UTC)  # the whole day
    request = parse_request(_params("verb=ListRecords&metadataPrefix=oai_dc&until=2024-01-01T10:00:00Z"))
    assert request.until.instant == datetime(2024, 1, 1, 10, 0, 1, tzinfo=UTC)
    assert parse_request(_params("verb=ListRecords&resumptionToken=abc")).resumption_token == "abc"


def test_resumption_tokens_cannot_be_forged_or_reused_for_another_verb(settings):
    state = tokens.ListState(verb="ListRecords", prefix="oai_dc", set_spec="library:ITB", from_=None, until=None,
                             after=("2024-01-10T08:00:00.250000+00:00", 42), cursor=200, total=512)
    token = tokens.encode(state)
    assert tokens.decode(token, verb="ListRecords") == state
    with pytest.raises(tokens.BadToken):
        tokens.decode(token, verb="ListIdentifiers")
    with pytest.raises(tokens.BadToken):
        tokens.decode(token.replace(token[5], "A" if token[5] != "A" else "B", 1), verb="ListRecords")
    settings.SECRET_KEY = "another-key"
    with pytest.raises(tokens.BadToken):
        tokens.decode(token, verb="ListRecords")
