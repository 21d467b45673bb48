"""Build SLiMS Union Catalog push bodies from SLiMS's own demo data (``fixtures/slims/sampledata.sql``).

The ``INSERT`` rows of ``biblio``, ``mst_author``, ``biblio_author``,
``mst_topic``, ``biblio_topic``, ``mst_publisher`` and ``mst_place`` are
parsed here (a small tokenizer for MySQL literals: quoted strings with ``''``
and backslash escapes, numbers, NULL, NOW()) and joined the way SLiMS's
union-catalogue client joins them.  ``mst_gmd`` is not in the dump; every
demo biblio has ``gmd_id`` 1, SLiMS's "Text".
"""

from __future__ import annotations

import re

from tests.paths import FIXTURES

SAMPLE_SQL = FIXTURES / "slims" / "sampledata.sql"
GMD_NAMES = {1: "Text"}
_INSERT = re.compile(r"INSERT IGNORE INTO `(\w+)`\s*(?:\(([^)]*)\))?\s*VALUES\s*", re.S)
_TOKEN = re.compile(r"'((?:[^'\\]|''|\\.)*)'|(NULL)|(NOW\(\))|(-?[0-9]+(?:\.[0-9]+)?)|([(),;])", re.S)
_ESCAPES = {"n": "\n", "r": "\r", "t": "\t", "0": "\0"}


def _unquote(text: str) -> str:
    text = text.replace("''", "'")
    return re.sub(r"\\(.)", lambda m: _ESCAPES.get(m.group(1), m.group(1)), text)


def _rows(sql: str, start: int) -> tuple[list[tuple], int]:
    rows: list[tuple] = []
    row: list | None = None
    for match in _TOKEN.finditer(sql, start):
        quoted, null, now, number, punct = match.groups()
        if punct == "(":
            row = []
        elif punct == ")":
            rows.append(tuple(row))
            row = None
        elif punct == ";":
            return rows, match.end()
        elif row is not None and punct is None:
            if quoted is not None:
                row.append(_unquote(quoted))
            elif null or now:
                row.append(None)
            else:
                row.append(int(number) if number.lstrip("-").isdigit() else float(number))
    return rows, len(sql)


def tables() -> dict[str, list[dict]]:
    """Every table of the dump as a list of rows (dicts by column name, or by position)."""
    sql = SAMPLE_SQL.read_text(encoding="utf-8")
    found: dict[str, list[dict]] = {}
    for insert in _INSERT.finditer(sql):
        name, columns = insert.group(1), insert.group(2)
        names = [c.strip(" `") for c in columns.split(",")] if columns else None
        rows, _ = _rows(sql, insert.end())
        found.setdefault(name, []).extend(
            dict(zip(names, row)) if names else {i: v for i, v in enumerate(row)} for row in rows
        )
    return found


def push_body(limit: int | None = None) -> dict:
    """A push body as SLiMS's client sends it, for the first ``limit`` demo biblios."""
    data = tables()
    authors = {row["author_id"]: row for row in data["mst_author"]}
    topics = {row["topic_id"]: row["topic"] for row in data["mst_topic"]}
    publishers = {row["publisher_id"]: row["publisher_name"] for row in data["mst_publisher"]}
    places = {row[0]: row[1] for row in data["mst_place"]}
    node_data = {}
    for biblio in data["biblio"][:limit]:
        biblio_id = biblio["biblio_id"]
        node_data[str(biblio_id)] = {
            "title": biblio["title"],
            "edition": biblio["edition"],
            "isbn_issn": biblio["isbn_issn"],
            "publisher_name": publishers.get(biblio["publisher_id"]),
            "publish_year": biblio["publish_year"],
            "collation": biblio["collation"],
            "series_title": biblio["series_title"],
            "call_number": biblio["call_number"],
            "language": biblio["language_id"],
            "place_name": places.get(biblio["publish_place_id"]),
            "classification": biblio["classification"],
            "notes": biblio["notes"],
            "gmd": GMD_NAMES.get(biblio["gmd_id"]),
            "frequency": None,
            "authors": [
                {"name": authors[link["author_id"]]["author_name"], "level": link["level"],
                 "type": authors[link["author_id"]]["authority_type"], "auth_list": None}
                for link in data["biblio_author"] if link["biblio_id"] == biblio_id
            ],
            "subjects": [topics[link["topic_id"]] for link in data["biblio_topic"] if link["biblio_id"] == biblio_id],
        }
    return {"node_info": {"id": "slims-demo", "password": "rahasia", "name": "SLiMS demo library"},
            "node_data": node_data}
