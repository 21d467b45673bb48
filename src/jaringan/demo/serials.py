"""The demo's serials (``jaringan demo``): a few real Indonesian journals catalogued by several demo
members (``data/serials.toml``), each member's holdings typed as a librarian types them, read by the
same services staff use."""

from __future__ import annotations

import io

from pymarc import Field, Indicators, Record, Subfield, XMLWriter

from jaringan.catalog.pipeline import import_file
from jaringan.network.models import Library
from jaringan.network.permissions import SYSTEM
from jaringan.serials import services
from jaringan.serials.models import Holding

from . import datafiles

DEMO_ORIGIN = "demo-holdings.csv"


def _record(journal: dict) -> Record:
    title, issn = journal["title"], journal.get("issn")
    record = Record(force_utf8=True)
    record.leader = "     cas a22     2a 4500"
    record.add_field(Field(tag="001", data=f"SER-{issn or title[:20]}"))
    for value in (issn, journal.get("eissn")):
        if value:
            record.add_field(Field(tag="022", indicators=Indicators(" ", " "),
                                   subfields=[Subfield("a", value)] + ([Subfield("l", issn)] if issn else [])))
    main, _sep, rest = title.partition(" : ")
    subfields = [Subfield("a", main + (" :" if rest else "."))] + ([Subfield("b", rest + ".")] if rest else [])
    record.add_field(Field(tag="245", indicators=Indicators("0", "0"), subfields=subfields))
    record.add_field(Field(tag="260", indicators=Indicators(" ", " "),
                           subfields=[Subfield("a", journal["place"] + " :"), Subfield("b", journal["publisher"] + ",")]))
    record.add_field(Field(tag="310", indicators=Indicators(" ", " "), subfields=[Subfield("a", journal["frequency"])]))
    record.add_field(Field(tag="362", indicators=Indicators("0", " "), subfields=[Subfield("a", journal["first_issue"])]))
    if journal.get("earlier_title"):
        record.add_field(Field(tag="780", indicators=Indicators("0", "0"),
                               subfields=[Subfield("t", journal["earlier_title"])]))
    return record


def _key(journal: dict) -> str:
    """How a holding names its journal: the print ISSN, else the title."""
    return journal.get("issn") or journal["title"]


def _holdings_by_library(rows: list[dict]) -> dict[str, list[tuple[str, str]]]:
    """library code → [(journal key, holdings statement)], in the file's order."""
    out: dict[str, list[tuple[str, str]]] = {}
    for row in rows:
        out.setdefault(row["library"], []).append((row["journal"], row["statement"]))
    return out


def load_serials() -> int:
    """Catalogue the demo journals at the members holding them and read their holdings, once.

    Returns the number of holdings read (0 when they were already there)."""
    if Holding.objects.filter(origin=DEMO_ORIGIN).exists():
        return 0
    data = datafiles.serials()
    journals = {_key(j): j for j in data["journals"]}
    holdings = _holdings_by_library(data["holdings"])
    libraries = {lib.code: lib for lib in Library.objects.filter(code__in=holdings)}
    stored = 0
    for code, rows in holdings.items():
        library = libraries.get(code)
        if library is None:
            continue
        marc = io.BytesIO()
        writer = XMLWriter(marc)
        for key, _text in rows:
            writer.write(_record(journals[key]))
        writer.close(close_fh=False)
        import_file(actor=SYSTEM, library=library, stream=io.BytesIO(marc.getvalue()),
                    name=f"{code.lower()}-serials.xml", format="marcxml")
        csv_text = "title,issn,holdings\n" + "".join(
            '"{}",{},"{}"\n'.format(journals[key]["title"].replace('"', '""'), journals[key].get("issn") or "",
                                    text.replace('"', '""'))
            for key, text in rows)
        batch = services.holdings_import(actor=SYSTEM, library=library, data=csv_text.encode(), name=DEMO_ORIGIN,
                                         format="table")
        stored += batch.stored
    services.serials_refresh()
    return stored
