"""The demo's serials (``jaringan demo``): a few real Indonesian journals catalogued by several demo
members, each member's holdings typed as a librarian types them, read by the same services staff use."""

from __future__ import annotations

import io

from pymarc import Field, Indicators, Record, Subfield, XMLWriter

from jaringan.catalog import services as catalog_services
from jaringan.network.demo import SYSTEM
from jaringan.network.models import Library

from . import services
from .demo_data import HOLDINGS, JOURNALS
from .models import Holding

DEMO_ORIGIN = "demo-holdings.csv"


def _record(journal) -> Record:
    title, issn, eissn, publisher, place, frequency, dates, earlier = journal
    record = Record(force_utf8=True)
    record.leader = "     cas a22     2a 4500"
    record.add_field(Field(tag="001", data=f"SER-{issn or title[:20]}"))
    for value in (issn, eissn):
        if value:
            record.add_field(Field(tag="022", indicators=Indicators(" ", " "),
                                   subfields=[Subfield("a", value)] + ([Subfield("l", issn)] if issn else [])))
    main, _sep, rest = title.partition(" : ")
    subfields = [Subfield("a", main + (" :" if rest else "."))] + ([Subfield("b", rest + ".")] if rest else [])
    record.add_field(Field(tag="245", indicators=Indicators("0", "0"), subfields=subfields))
    record.add_field(Field(tag="260", indicators=Indicators(" ", " "),
                           subfields=[Subfield("a", place + " :"), Subfield("b", publisher + ",")]))
    record.add_field(Field(tag="310", indicators=Indicators(" ", " "), subfields=[Subfield("a", frequency)]))
    record.add_field(Field(tag="362", indicators=Indicators("0", " "), subfields=[Subfield("a", dates)]))
    if earlier:
        record.add_field(Field(tag="780", indicators=Indicators("0", "0"), subfields=[Subfield("t", earlier)]))
    return record


def _key(journal) -> str:
    return journal[1] or journal[0]


def load_demo_serials() -> int:
    """Catalogue the demo journals at the members holding them and read their holdings, once.

    Returns the number of holdings read (0 when they were already there)."""
    if Holding.objects.filter(origin=DEMO_ORIGIN).exists():
        return 0
    journals = {_key(j): j for j in JOURNALS}
    libraries = {lib.code: lib for lib in Library.objects.filter(code__in=HOLDINGS)}
    stored = 0
    for code, rows in HOLDINGS.items():
        library = libraries.get(code)
        if library is None:
            continue
        marc = io.BytesIO()
        writer = XMLWriter(marc)
        for key, _text in rows:
            writer.write(_record(journals[key]))
        writer.close(close_fh=False)
        catalog_services.import_file(actor=SYSTEM, library=library, stream=io.BytesIO(marc.getvalue()),
                                     name=f"{code.lower()}-serials.xml", format="marcxml")
        csv_text = "title,issn,holdings\n" + "".join(
            '"{}",{},"{}"\n'.format(journals[key][0].replace('"', '""'), journals[key][1] or "", text.replace('"', '""'))
            for key, text in rows)
        batch = services.holdings_import(actor=SYSTEM, library=library, data=csv_text.encode(), name=DEMO_ORIGIN,
                                         format="table")
        stored += batch.stored
    services.serials_refresh()
    return stored
