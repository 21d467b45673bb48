"""Holdings files read into the database: linked to the catalogue's serials, refused lines named,
a file read twice not doubled, and only a library's own staff may send its holdings."""

import pytest

from tests.paths import FIXTURES

pytestmark = pytest.mark.django_db

CSV = """title,issn,holdings
Biodiversitas,1412-033X,"Vol. 1 (2000) - vol. 12 (2011)"
Medical Journal of Indonesia,0853-1773,"1995-2003; 2007-"
Jurnal Tanpa ISSN,,"v.3 no.2 missing; v.1-5 (1990-1994)"
,,"v.1-3"
Buletin Lama,1234-5678,"kept in the store room"
"""


def library(code):
    from jaringan.network.models import Library

    return Library.objects.get(code=code)


def test_csv_of_typed_holdings(demo_network, principal):
    from jaringan.serials import selectors, services
    from jaringan.serials.models import Holding, Serial

    batch = services.holdings_import(actor=principal("staf.itb"), library=library("ITB"), data=CSV.encode(),
                                     name="pegangan.csv")
    assert (batch.read, batch.stored, batch.refused) == (5, 4, 1)
    reasons = {(p["line"], p["reason"].split(":")[0]) for p in batch.problems}
    assert (5, "no title and no ISSN") in reasons  # line 5 of the file: the header is line 1
    assert (6, "ISSN with a wrong check digit kept as written") in reasons
    assert (6, "kept as written, not read as ranges") in reasons
    kept = Holding.objects.get(library__code="ITB", title="Buletin Lama")
    assert kept.unparsed == ["kept in the store room"] and kept.display == "kept in the store room"
    assert Serial.objects.filter(title="Jurnal Tanpa ISSN").count() == 1
    assert [h.code for h in selectors.holders_of(issn="1412-033X", volume=13)] == []
    assert [h.code for h in selectors.holders_of(issn="1412033x", volume=12)] == ["ITB"]
    assert [h.code for h in selectors.holders_of(issn="0853-1773", year=2005)] == []
    assert [h.code for h in selectors.holders_of(issn="0853-1773", year="2019")] == ["ITB"]
    assert [h.code for h in selectors.holders_of(title="Jurnal tanpa ISSN", volume=3)] == ["ITB"]
    assert selectors.holders_of(issn="2085-4722", volume=1) is None  # an ISSN nobody's holdings name

    again = services.holdings_import(actor=principal("staf.itb"), library=library("ITB"), data=CSV.encode(),
                                     name="pegangan.csv")
    assert again.stored == 4
    assert Holding.objects.filter(library__code="ITB").count() == 4  # the same file again replaces, never doubles
    assert Serial.objects.filter(title="Jurnal Tanpa ISSN").count() == 1


def test_only_the_library_staff_send_its_holdings(demo_network, principal):
    from jaringan.core.errors import Forbidden
    from jaringan.serials import services

    with pytest.raises(Forbidden):
        services.holdings_import(actor=principal("staf.unhas"), library=library("ITB"), data=CSV.encode(), name="x.csv")
    with pytest.raises(Forbidden):
        services.holdings_import(actor=principal("pembaca"), library=library("UNPATTI"), data=CSV.encode(),
                                 name="x.csv")


def test_an_unreadable_file_is_refused_with_a_reason(demo_network, principal):
    from jaringan.core.errors import Invalid
    from jaringan.serials import services
    from jaringan.serials.models import HoldingsBatch

    with pytest.raises(Invalid) as caught:
        services.holdings_import(actor=principal("staf.itb"), library=library("ITB"), data=b"just some words\n",
                                 name="notes.txt")
    assert "notes.txt" in caught.value.message
    assert not HoldingsBatch.objects.exists()


def test_a_holdings_file_declaring_a_dtd_is_kept_as_a_batch_that_says_why(demo_network, principal):
    """The XML the readers share refuses a DTD (an entity bomb's fuse) in holdings too: the batch says so."""
    from jaringan.serials import services

    data = (b'<?xml version="1.0"?><!DOCTYPE collection [<!ENTITY a "aaaaaaaa">]>'
            b'<collection xmlns="http://www.loc.gov/MARC21/slim"><record>&a;</record></collection>')
    batch = services.holdings_import(actor=principal("staf.itb"), library=library("ITB"), data=data, name="mfhd.xml")
    assert (batch.read, batch.stored) == (0, 0) and "DTD" in batch.message


def test_evergreen_bibliographic_records_and_their_mfhd(demo_network, principal):
    """The seven Evergreen serials catalogued by one member, then its MFHD records linked to them by the
    control numbers they name (the bibs' 901 $a), and every holdings line kept."""
    from jaringan.catalog.pipeline import import_file
    from jaringan.serials import selectors, services
    from jaringan.serials.models import Holding, Serial, SerialIssn

    actor = principal("staf.itb")
    with (FIXTURES / "evergreen" / "serials_marc21.xml").open("rb") as fh:
        import_file(actor=actor, library=library("ITB"), stream=fh, name="serials_marc21.xml")
    services.serials_refresh()
    assert Serial.objects.count() == 7
    # print and electronic ISSN of "Circulation research" are one serial
    assert SerialIssn.objects.get(issn="0009-7330").serial_id == SerialIssn.objects.get(issn="1524-4571").serial_id
    batch = services.holdings_import(actor=actor, library=library("ITB"),
                                     data=(FIXTURES / "evergreen" / "serials_mfhd.xml").read_bytes(), name="mfhd.xml")
    assert (batch.read, batch.stored, batch.refused) == (7, 7, 0)
    assert batch.format == "mfhd"
    assert Holding.objects.filter(serial__isnull=True).count() == 0
    globe = Holding.objects.get(serial__issns__issn="1481-5869")
    assert globe.display == "v.9:no.1 (2006)-v.9:no.2 (2006); v.10:no.2 (2007)-v.11:no.1 (2008)"
    assert [h.code for h in selectors.holders_of(issn="1481-5869", volume=10)] == ["ITB"]
    assert selectors.holders_of(issn="1481-5869", volume=12) == []
    assert [h.code for h in selectors.holders_of(issn="1700-8050", year=2003)] == ["ITB"]


def test_mfhd_before_its_bibliographic_records_waits_and_is_linked(demo_network, principal,
                                                                   django_capture_on_commit_callbacks):
    from jaringan.catalog.pipeline import import_file
    from jaringan.serials import services
    from jaringan.serials.models import Holding

    actor = principal("staf.itb")
    batch = services.holdings_import(actor=actor, library=library("ITB"),
                                     data=(FIXTURES / "evergreen" / "serials_mfhd.xml").read_bytes(), name="mfhd.xml")
    assert batch.stored == 7 and Holding.objects.filter(serial__isnull=True).count() == 7
    assert any("a815076" in p["reason"] for p in batch.problems)
    with (FIXTURES / "evergreen" / "serials_marc21.xml").open("rb") as fh, \
            django_capture_on_commit_callbacks(execute=True):
        import_file(actor=actor, library=library("ITB"), stream=fh, name="serials_marc21.xml")
    # the import's end regroups the serials and links the holdings that waited (after its commit)
    assert Holding.objects.filter(serial__isnull=True).count() == 0


@pytest.mark.parametrize("name", ["journals.cambridge.org_2011 Cambridge Journals NESLI2 Full Package_2013-01-01.txt",
                                  "AnnualReviews_SciencesCollection34_2011-04-27.txt"])
def test_kbart_lists(demo_network, principal, name):
    from jaringan.serials import selectors, services

    data = (FIXTURES / "serials_holdings" / "gokb_kbart" / name).read_bytes()
    batch = services.holdings_import(actor=principal("staf.itb"), library=library("ITB"), data=data, name=name)
    assert batch.refused == 0 and batch.stored > 40
    if "NESLI2" in name:  # Religious Studies 1997-2012, v.33-48
        assert [h.code for h in selectors.holders_of(issn="1469-901X", volume=40)] == ["ITB"]
        assert selectors.holders_of(issn="0034-4125", year=2013) == []
        [holder] = selectors.holders_of(issn="0034-4125", year=2000)
        assert holder.electronic


def test_title_changes_link_the_runs(demo_network, principal):
    from jaringan.demo.serials import load_serials
    from jaringan.serials.models import Serial, SerialRelation

    assert load_serials() > 10
    makara = Serial.objects.get(title="Makara")
    sains = Serial.objects.get(issns__issn="1693-6671")
    assert SerialRelation.objects.filter(earlier=makara, later=sains).exists()
    assert load_serials() == 0  # once
