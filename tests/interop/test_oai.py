"""The OAI-PMH 2.0 provider, harvested over real HTTP by Sickle and by our own harvester."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import requests
from django.db import connection
from lxml import etree
from sickle import Sickle
from sickle import oaiexceptions as sickle_errors

from . import oai_structure
from .server import serving

OAI = "{http://www.openarchives.org/OAI/2.0/}"
MARC = "{http://www.loc.gov/MARC21/slim}"
DC = "{http://purl.org/dc/elements/1.1/}"
MODS = "{http://www.loc.gov/mods/v3}"


def endpoint(live_server) -> str:
    return live_server.url + "/oai"


def ask(url: str, method: str = "GET", **params) -> etree._Element:
    """One request; the response is checked against the protocol's structure."""
    params = {k.rstrip("_"): v for k, v in params.items()}
    if method == "POST":
        response = requests.post(url, data=params, timeout=30)
    else:
        response = requests.get(url, params=params, timeout=30)
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/xml")
    return oai_structure.check(response.content)


def error_of(root) -> str | None:
    error = root.find(f"{OAI}error")
    return error.get("code") if error is not None else None


def identifier(edition_id: int) -> str:
    return f"oai:jaringan.local:edition/{edition_id}"


def edition_id(oai_identifier: str) -> int:
    return int(oai_identifier.rsplit("/", 1)[1])


def all_items():
    """(live edition ids, retired edition ids) in the database."""
    from jaringan.catalog.models import Edition, RetiredEdition

    return (set(Edition.objects.values_list("pk", flat=True)),
            set(RetiredEdition.objects.values_list("edition_id", flat=True)))


def harvest(url, **params) -> list:
    return list(Sickle(url, max_retries=0, timeout=30).ListRecords(ignore_deleted=False, **params))


def test_identify_formats_and_sets(union, live_server):
    sickle = Sickle(endpoint(live_server))
    identify = sickle.Identify()
    assert identify.protocolVersion == "2.0" and identify.deletedRecord == "persistent"
    assert identify.granularity == "YYYY-MM-DDThh:mm:ssZ" and identify.baseURL == endpoint(live_server)
    assert identify.repositoryIdentifier == "jaringan.local"
    formats = {f.metadataPrefix: f.metadataNamespace for f in sickle.ListMetadataFormats()}
    assert formats == {"oai_dc": "http://www.openarchives.org/OAI/2.0/oai_dc/",
                       "marcxml": "http://www.loc.gov/MARC21/slim", "marc21": "http://www.loc.gov/MARC21/slim",
                       "mods": "http://www.loc.gov/mods/v3"}
    specs = {s.setSpec: s.setName for s in sickle.ListSets()}
    assert specs["network:JABAR"] == "Jaringan Jawa Barat" and specs["library:UNPATTI"].endswith("Pattimura")
    assert {"network", "network:TIMUR", "library", "library:PNRI", "library:ITB"} <= set(specs)
    for verb in ("Identify", "ListMetadataFormats", "ListSets"):
        assert error_of(ask(endpoint(live_server), verb=verb)) is None


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_harvest_everything_through_resumption_tokens(union, live_server, settings, method):
    settings.OAI_PAGE_SIZE = 7
    live, retired = all_items()
    assert len(live) == 119 and retired == set(union.retired) and len(retired) == 1
    records = list(Sickle(endpoint(live_server), http_method=method, max_retries=0)
                   .ListRecords(metadataPrefix="oai_dc", ignore_deleted=False))
    ids = [edition_id(r.header.identifier) for r in records]
    assert len(ids) == len(set(ids)) == 120
    assert set(ids) == live | retired
    deleted = {edition_id(r.header.identifier) for r in records if r.header.deleted}
    assert deleted == retired
    shared = next(r for r in records if edition_id(r.header.identifier) == union.editions["ITB:60"])
    assert shared.header.setSpecs == ["library:ITB", "library:PNRI", "network:JABAR"]
    assert shared.metadata["title"] and shared.metadata["identifier"][-1].endswith(f"/catalogue/{union.editions['ITB:60']}/")
    datestamps = [r.header.datestamp for r in records]
    assert datestamps == sorted(datestamps)
    assert all(oai_structure.UTC_SECONDS.match(d) for d in datestamps)


def test_every_page_is_well_formed_and_counts_the_list(union, live_server, settings):
    settings.OAI_PAGE_SIZE = 50
    url = endpoint(live_server)
    first = ask(url, verb="ListIdentifiers", metadataPrefix="marc21")
    token = first.find(f".//{OAI}resumptionToken")
    assert len(first.findall(f".//{OAI}header")) == 50
    assert (token.get("completeListSize"), token.get("cursor")) == ("120", "0") and token.text
    second = ask(url, verb="ListIdentifiers", resumptionToken=token.text)
    token2 = second.find(f".//{OAI}resumptionToken")
    assert second.find(f"{OAI}request").attrib == {"verb": "ListIdentifiers", "resumptionToken": token.text}
    assert token2.get("cursor") == "50" and token2.text
    last = ask(url, verb="ListIdentifiers", resumptionToken=token2.text)
    end = last.find(f".//{OAI}resumptionToken")
    assert len(last.findall(f".//{OAI}header")) == 20
    assert end is not None and not end.text and end.get("cursor") == "100"  # an empty token closes the list
    whole = ask(url, verb="ListRecords", metadataPrefix="marcxml", set="library:UNPATTI")
    assert whole.find(f".//{OAI}resumptionToken") is None  # one page: no token at all


def test_records_in_each_format(union, live_server):
    url = endpoint(live_server)
    shared = union.editions["ITB:60"]
    marc = ask(url, verb="GetRecord", identifier=identifier(shared), metadataPrefix="marcxml")
    record = marc.find(f".//{OAI}metadata/{MARC}record")
    assert record.findtext(f"{MARC}controlfield[@tag='001']") == str(shared)
    holders = sorted(f.findtext(f"{MARC}subfield[@code='a']") for f in record.findall(f"{MARC}datafield[@tag='852']"))
    assert holders == ["ITB", "PNRI"]
    title = record.findtext(f"{MARC}datafield[@tag='245']/{MARC}subfield[@code='a']")
    assert title and union.items[60].record.title.split()[0] in title
    alias = ask(url, verb="GetRecord", identifier=identifier(shared), metadataPrefix="marc21")
    assert etree.tostring(alias.find(f".//{MARC}record")) == etree.tostring(record)
    dc = ask(url, verb="GetRecord", identifier=identifier(shared), metadataPrefix="oai_dc")
    assert dc.findtext(f".//{DC}title")
    mods = ask(url, verb="GetRecord", identifier=identifier(shared), metadataPrefix="mods")
    assert mods.findtext(f".//{MODS}titleInfo/{MODS}title")
    gone = ask(url, verb="GetRecord", identifier=identifier(union.retired[0]), metadataPrefix="oai_dc")
    header = gone.find(f".//{OAI}header")
    assert header.get("status") == "deleted" and gone.find(f".//{OAI}metadata") is None


def test_sets_hold_what_their_members_hold(union, live_server):
    url = endpoint(live_server)

    def ids(set_spec):
        return {edition_id(r.header.identifier): r.header.deleted for r in harvest(url, metadataPrefix="oai_dc",
                                                                                    set=set_spec)}

    itb = ids("library:ITB")
    expected_itb = {union.editions[f"ITB:{n}"] for n in range(41, 100)}
    assert {i for i, deleted in itb.items() if not deleted} == expected_itb
    assert union.editions["ITB:40"] not in itb  # ITB withdrew it: it left the set (PNRI still holds it)
    timur = ids("network:TIMUR")  # ITB only applied to TIMUR: its holdings are not the network's
    assert {i for i, d in timur.items() if not d} == {union.editions[f"UNPATTI:{n}"] for n in range(101, 120)}
    assert {i for i, d in timur.items() if d} == set(union.retired)  # deletions reach every set's harvesters
    jabar = ids("network:JABAR")
    assert {i for i, d in jabar.items() if not d} == ({union.editions[f"PNRI:{n}"] for n in range(80)}
                                                        | expected_itb)
    everything = ids("library")
    assert len(everything) == 120
    assert set(ids("network")) == set(everything)
    with pytest.raises(sickle_errors.NoRecordsMatch):
        harvest(url, metadataPrefix="oai_dc", set="library:NOPE")


def _set_datestamps(union):
    """Known datestamps: PNRI's first 40 one second apart on 10 January 2024, the rest on 1 March, the
    retired one on 2 March."""
    from jaringan.catalog.models import Edition, RetiredEdition

    base = datetime(2024, 1, 10, 8, 0, 0, tzinfo=UTC)
    early = [union.editions[f"PNRI:{n}"] for n in range(40)]
    for n, pk in enumerate(early):
        Edition.objects.filter(pk=pk).update(updated=base + timedelta(seconds=n, microseconds=250_000))
    Edition.objects.exclude(pk__in=early).update(updated=datetime(2024, 3, 1, 12, 0, tzinfo=UTC))
    RetiredEdition.objects.update(retired=datetime(2024, 3, 2, 9, 30, tzinfo=UTC))
    return early


def test_incremental_harvests_by_from_and_until(union, live_server):
    early = _set_datestamps(union)
    url = endpoint(live_server)

    def ids(**window):
        try:
            return [edition_id(r.header.identifier) for r in harvest(url, metadataPrefix="oai_dc", **window)]
        except sickle_errors.NoRecordsMatch:
            return []

    assert ids(**{"from": "2024-01-10T08:00:05Z", "until": "2024-01-10T08:00:09Z"}) == early[5:10]
    assert ids(until="2024-01-10T08:00:00Z") == early[:1]  # until is inclusive to the second
    assert ids(**{"from": "2024-01-10", "until": "2024-01-10"}) == early
    assert len(ids(**{"from": "2024-03-01"})) == 120 - 40
    assert ids(**{"from": "2024-03-02T00:00:00Z"}) == union.retired
    assert ids(**{"from": "2024-03-03"}) == []
    assert ids(until="2023-12-31") == []
    identify = Sickle(url).Identify()
    assert identify.earliestDatestamp == "2024-01-10T08:00:00Z"


def test_a_harvest_during_changes_misses_nothing(union, live_server, settings):
    """An edition changed after it was sent comes again later; one retired mid-harvest comes as deleted."""
    from django.utils import timezone

    from jaringan.catalog.services.placement import record_withdraw
    from jaringan.catalog.models import Edition, SourceRecord

    _set_datestamps(union)
    settings.OAI_PAGE_SIZE = 30
    url = endpoint(live_server)
    first = ask(url, verb="ListIdentifiers", metadataPrefix="oai_dc")
    seen = [edition_id(h.findtext(f"{OAI}identifier")) for h in first.iter(f"{OAI}header")]
    token = first.find(f".//{OAI}resumptionToken").text
    changed = seen[3]
    Edition.objects.filter(pk=changed).update(updated=timezone.now())
    later = union.editions["UNPATTI:110"]
    assert later not in seen
    record_withdraw(record=SourceRecord.objects.get(library__code="UNPATTI", source_id="UNPATTI-110"))
    deleted = []
    while token:
        page = ask(url, verb="ListIdentifiers", resumptionToken=token)
        for h in page.iter(f"{OAI}header"):
            seen.append(edition_id(h.findtext(f"{OAI}identifier")))
            if h.get("status") == "deleted":
                deleted.append(seen[-1])
        token = page.find(f".//{OAI}resumptionToken").text
    live, retired = all_items()
    assert set(seen) == live | retired
    assert seen.count(changed) == 2 and seen[-1] in (changed, later)
    assert later in deleted and set(deleted) == retired


def test_resumption_token_survives_a_restart(union, live_server, settings):
    settings.OAI_PAGE_SIZE = 40
    url = endpoint(live_server)
    first = ask(url, verb="ListRecords", metadataPrefix="marcxml")
    seen = [h.findtext(f"{OAI}identifier") for h in first.iter(f"{OAI}header")]
    token = first.find(f".//{OAI}resumptionToken").text
    database = connection.settings_dict["NAME"]
    with serving(database, "--page-size", "25") as restarted:
        while token:
            page = ask(restarted + "/oai", verb="ListRecords", resumptionToken=token)
            seen += [h.findtext(f"{OAI}identifier") for h in page.iter(f"{OAI}header")]
            token = page.find(f".//{OAI}resumptionToken").text
    live, retired = all_items()
    assert sorted(edition_id(i) for i in seen) == sorted(live | retired)
    token = ask(url, verb="ListRecords", metadataPrefix="marcxml").find(f".//{OAI}resumptionToken").text
    with serving(database, "--secret-key", "another-network-s-key") as stranger:
        assert error_of(ask(stranger + "/oai", verb="ListRecords", resumptionToken=token)) == "badResumptionToken"


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_every_error_code(union, live_server, settings, method):
    settings.OAI_PAGE_SIZE = 10
    url = endpoint(live_server)

    def code(**params):
        root = ask(url, method, **params)
        found = error_of(root)
        if found in ("badVerb", "badArgument"):
            assert root.find(f"{OAI}request").attrib == {}  # the spec: no attributes echoed then
        return found

    assert code() == "badVerb"
    assert code(verb="Harvest") == "badVerb"
    assert code(verb="identify") == "badVerb"
    assert code(verb="Identify", metadataPrefix="oai_dc") == "badArgument"
    assert code(verb="ListRecords") == "badArgument"
    assert code(verb="GetRecord", metadataPrefix="oai_dc") == "badArgument"
    assert code(verb="ListRecords", metadataPrefix="oai_dc", from_="2024-13-45") == "badArgument"
    assert code(verb="ListRecords", metadataPrefix="oai_dc", from_="2024-01-01T00:00:00") == "badArgument"
    assert code(verb="ListRecords", metadataPrefix="oai_dc", from_="2024-01-01",
                until="2024-02-01T00:00:00Z") == "badArgument"
    assert code(verb="ListRecords", metadataPrefix="oai_dc", from_="2024-02-01", until="2024-01-01") == "badArgument"
    first = ask(url, method, verb="ListIdentifiers", metadataPrefix="oai_dc")
    token = first.find(f".//{OAI}resumptionToken").text
    assert code(verb="ListIdentifiers", resumptionToken=token, metadataPrefix="oai_dc") == "badArgument"
    assert code(verb="ListIdentifiers", resumptionToken="not-a-token") == "badResumptionToken"
    assert code(verb="ListIdentifiers", resumptionToken=token[:-3] + "abc") == "badResumptionToken"
    assert code(verb="ListRecords", resumptionToken=token) == "badResumptionToken"  # issued for ListIdentifiers
    assert code(verb="ListSets", resumptionToken=token) == "badResumptionToken"
    assert code(verb="ListRecords", metadataPrefix="marc") == "cannotDisseminateFormat"
    assert code(verb="GetRecord", metadataPrefix="dc", identifier=identifier(union.editions["PNRI:1"])) \
        == "cannotDisseminateFormat"
    assert code(verb="GetRecord", metadataPrefix="oai_dc", identifier=identifier(10**9)) == "idDoesNotExist"
    assert code(verb="GetRecord", metadataPrefix="oai_dc", identifier="oai:elsewhere.org:edition/1") \
        == "idDoesNotExist"
    assert code(verb="ListMetadataFormats", identifier="edition/x") == "idDoesNotExist"
    assert code(verb="ListRecords", metadataPrefix="oai_dc", from_="2999-01-01") == "noRecordsMatch"
    assert code(verb="ListIdentifiers", metadataPrefix="oai_dc", set="network:NOPE") == "noRecordsMatch"
    assert code(verb="ListMetadataFormats", identifier=identifier(union.retired[0])) == "noMetadataFormats"
    assert code(verb="ListMetadataFormats", identifier=identifier(union.editions["PNRI:1"])) is None


def test_repeated_arguments_are_refused(union, live_server):
    url = endpoint(live_server)
    for query in ("verb=Identify&verb=Identify", "verb=ListRecords&metadataPrefix=oai_dc&metadataPrefix=mods"):
        response = requests.get(f"{url}?{query}", timeout=30)
        root = oai_structure.check(response.content)
        assert error_of(root) == ("badVerb" if query.startswith("verb=Identify") else "badArgument")


def test_an_empty_repository_has_no_set_hierarchy(db, live_server):
    url = endpoint(live_server)
    assert error_of(ask(url, verb="ListSets")) == "noSetHierarchy"
    assert error_of(ask(url, verb="ListRecords", metadataPrefix="oai_dc", set="library:X")) == "noSetHierarchy"
    assert error_of(ask(url, verb="ListRecords", metadataPrefix="oai_dc")) == "noRecordsMatch"
    identify = ask(url, verb="Identify")
    assert identify.findtext(f".//{OAI}earliestDatestamp")


def test_our_own_harvester_copies_the_union_into_another_library(union, live_server, settings):
    """Round trip: a new member harvests the network's MARCXML; each record joins the edition it came from."""
    from jaringan.catalog.models import SourceRecord
    from jaringan.harvesting import services
    from jaringan.network.models import Library
    from jaringan.network.permissions import SYSTEM

    settings.OAI_PAGE_SIZE = 25
    mirror = Library.objects.create(code="MIRROR", name="Mirror", kind="public", city="Ambon", province="Maluku")
    source = services.source_save(actor=SYSTEM, library=mirror,
                                  data={"endpoint": endpoint(live_server), "metadata_prefix": "marc21",
                                        "set_spec": "network:TIMUR"})
    run = services.source_harvest(source=source, retries=0, retry_wait=0.01, timeout=30)
    assert run.status == "done", run.error
    copies = list(SourceRecord.objects.filter(library=mirror, withdrawn=False))
    assert len(copies) == 19 and run.batch.withdrawn == 1  # the retired edition arrives as a deletion
    joined = [c for c in copies if c.edition_id == edition_id(c.source_id)]
    assert len(joined) == len(copies)
    source.refresh_from_db()
    assert source.next_from and source.checkpoint is None


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_a_nul_byte_or_an_oversized_form_is_an_oai_error(union, live_server, settings, method):
    """Never Django's HTML 400 or 500 page, never a response that is not XML: a badArgument error."""
    url = endpoint(live_server)
    some = union.editions["PNRI:1"]
    for params in ({"verb": "GetRecord", "identifier": identifier(some) + "\x00", "metadataPrefix": "mods"},
                   {"verb": "Identify\x00"}, {"verb": "ListRecords", "metadataPrefix": "oai_dc", "set\x00": "x"}):
        assert error_of(ask(url, method, **params)) in ("badArgument", "badVerb")
    big = "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)
    root = ask(url, "POST", verb="ListRecords", metadataPrefix="oai_dc", set=big)
    assert error_of(root) == "badArgument" and root.find(f"{OAI}request").attrib == {}
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 3
    many = {f"x{n}": "1" for n in range(5)}
    assert error_of(ask(url, method, verb="Identify", **many)) == "badArgument"
