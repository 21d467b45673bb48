"""Every stored OAI-PMH response (real ones and Sickle's protocol fixtures) read through the harvester.

The replay provider serves each file verbatim over HTTP; a resumption token
names the next file, as in Sickle's fixtures.
"""

import pytest

from jaringan.core.harvest import (
    BadArgument,
    BadResumptionToken,
    CannotDisseminateFormat,
    Checkpoint,
    HarvestedRecord,
    IdDoesNotExist,
    MalformedResponse,
    NoSetHierarchy,
    OAIError,
    get_record,
    harvest,
    identify,
    list_identifiers,
    list_metadata_formats,
    list_sets,
)

from .conftest import OAI_FIXTURES, QUICK

SICKLE = "sickle_protocol_fixtures"
DECLARED = set()


def reads(*names):
    """Declares the stored responses a test reads, when the module is loaded.

    The check at the end counts declarations, not a run's side effects, so it
    holds however the suite's workers share out this module's tests.
    """
    DECLARED.update(names)
    return lambda test: test


def _split(items):
    items = list(items)
    return [i for i in items if isinstance(i, HarvestedRecord)], [i for i in items if isinstance(i, Checkpoint)]


def _first_page(items):
    page = []
    for item in items:
        page.append(item)
        if isinstance(item, Checkpoint):
            return _split(page)
    raise AssertionError("no checkpoint")


@reads(*(f"{SICKLE}/ListRecords{n}.xml" for n in ("", "2", "3", "4")))
def test_sickle_list_records_follow_four_pages_of_tokens(replay_server):
    records, checkpoints = _split(harvest(endpoint=replay_server.url(SICKLE + "/"), metadata_prefix="oai_dc", **QUICK))
    assert [c.resumption_token for c in checkpoints] == ["ListRecords2.xml", "ListRecords3.xml", "ListRecords4.xml", None]
    assert [c.records_seen for c in checkpoints] == [2, 4, 6, 8]
    assert checkpoints[-1].last_datestamp == "2011-07-18T16:31:00Z"
    deleted = [r for r in records if r.deleted]
    assert len(deleted) == 4 and all(r.record is None for r in deleted)
    live = [r for r in records if not r.deleted]
    assert {r.identifier for r in live} == {"oai:test.example.com:1585322"}
    assert all(r.record.title == "Sample Title" and r.record.authors == ("John Doe",) for r in live)
    assert all(r.record.language == "eng" and r.record.year == 2010 for r in live)
    broken = records[-2]  # the deleted header without identifier or datestamp
    assert (broken.identifier, broken.datestamp, broken.deleted) == ("", None, True)
    assert broken.error == "the header has no identifier"
    assert b'status="deleted"' in broken.raw


@reads(f"{SICKLE}/ListRecordsBroken.xml")
def test_broken_xml_names_the_endpoint_and_the_page(replay_server):
    endpoint = replay_server.url(f"{SICKLE}/ListRecordsBroken.xml")
    with pytest.raises(MalformedResponse) as caught:
        list(harvest(endpoint=endpoint, metadata_prefix="oai_dc", **QUICK))
    assert caught.value.page == 1 and caught.value.endpoint == endpoint
    assert endpoint in str(caught.value) and "page 1" in str(caught.value) and "line 1" in str(caught.value)
    # The answer is described by status, type and length, never quoted.
    assert "broken xml" not in str(caught.value) and "HTTP 200, text/xml, 10 bytes" in str(caught.value)


def test_broken_page_after_a_token(replay_server):
    checkpoint = Checkpoint("ListRecordsBroken.xml", None, None, 2)
    with pytest.raises(MalformedResponse, match="page 1 of this harvest .*resumptionToken='ListRecordsBroken.xml'"):
        list(harvest(endpoint=replay_server.url(SICKLE + "/"), metadata_prefix="oai_dc", resume=checkpoint, **QUICK))


@reads(f"{SICKLE}/ListIdentifiers.xml", f"{SICKLE}/ListIdentifiers2.xml")
def test_list_identifiers(replay_server):
    headers = list(list_identifiers(replay_server.url(SICKLE + "/"), metadata_prefix="oai_dc", **QUICK))
    assert len(headers) == 4 and sum(h.deleted for h in headers) == 2
    assert headers[1].identifier == "oai:test.example.com::1585576" and headers[1].datestamp == "2011-08-10T16:22:00Z"


@reads(f"{SICKLE}/Identify.xml")
def test_identify(replay_server):
    repository = identify(replay_server.url(f"{SICKLE}/Identify.xml"), **QUICK)
    assert repository.name == "A Test Repository"
    assert (repository.granularity, repository.earliest_datestamp) == ("YYYY-MM-DD", "1970-01-01T00:00:00Z")
    assert repository.deleted_record == "persistent" and repository.admin_emails == ("john.doe@example.com",)


@reads(f"{SICKLE}/ListSets.xml")
def test_list_sets(replay_server):
    sets = list_sets(replay_server.url(SICKLE + "/"), **QUICK)
    assert len(sets) == 131 and sets[0].spec == "bi" and sets[0].name == "All BI publications (already published)"


@reads(f"{SICKLE}/ListMetadataFormats.xml")
def test_list_metadata_formats(replay_server):
    formats = list_metadata_formats(replay_server.url(SICKLE + "/"), **QUICK)
    assert "oai_dc" in [f.prefix for f in formats]
    assert next(f for f in formats if f.prefix == "oai_dc").namespace == "http://www.openarchives.org/OAI/2.0/oai_dc/"


@pytest.mark.parametrize("name, author", [("GetRecord.xml", "John Doe"), ("GetRecord_utf8test.xml", "某人")])
@reads(f"{SICKLE}/GetRecord.xml", f"{SICKLE}/GetRecord_utf8test.xml")
def test_get_record(replay_server, name, author):
    item = get_record(replay_server.url(f"{SICKLE}/{name}"), identifier="x", metadata_prefix="oai_dc", **QUICK)
    assert item.record.title == "Sample Title" and author in item.record.authors and not item.deleted


ERRORS = {
    "badArgument": BadArgument,
    "badResumptionToken": BadResumptionToken,
    "cannotDisseminateFormat": CannotDisseminateFormat,
    "idDoesNotExist": IdDoesNotExist,
    "noSetHierarchy": NoSetHierarchy,
    "undefinedError": OAIError,
}


@pytest.mark.parametrize("name, error", ERRORS.items())
@reads(*(f"{SICKLE}/{name}.xml" for name in ERRORS))
def test_each_oai_error_code_is_its_own_exception(replay_server, name, error):
    endpoint = replay_server.url(f"{SICKLE}/{name}.xml")
    with pytest.raises(error) as caught:
        list(harvest(endpoint=endpoint, metadata_prefix="oai_dc", **QUICK))
    assert caught.value.code == name and endpoint in str(caught.value)
    assert type(caught.value).__doc__


@reads(f"{SICKLE}/noRecordsMatch.xml")
def test_no_records_match_is_an_empty_harvest(replay_server):
    items = list(harvest(endpoint=replay_server.url(f"{SICKLE}/noRecordsMatch.xml"), metadata_prefix="oai_dc",
                         from_="2001-01-01", **QUICK))
    assert items == [Checkpoint(None, "2001-01-01", None, 0, None)]
    assert list(list_identifiers(replay_server.url(f"{SICKLE}/noRecordsMatch.xml"), metadata_prefix="x", **QUICK)) == []


def test_missing_identifier_error_via_get_record(replay_server):
    with pytest.raises(IdDoesNotExist, match="idDoesNotExist"):
        get_record(replay_server.url(f"{SICKLE}/idDoesNotExist.xml"), identifier="nope", metadata_prefix="oai_dc")


@pytest.mark.parametrize("name", ["sample-oai-pmh.xml", "sample-oai-no-namespace.xml"])
@reads("real/sample-oai-pmh.xml", "real/sample-oai-no-namespace.xml")
def test_real_provider_page_with_and_without_namespaces(replay_server, name):
    records, [checkpoint] = _first_page(harvest(endpoint=replay_server.url(f"real/{name}"), metadata_prefix="oai_dc"))
    assert len(records) == 10 and all(r.record is not None and r.error is None for r in records)
    assert records[0].identifier == "oai:sciencehistoryorg:mk61rg92z" and records[0].record.title == "Warehouses"
    assert checkpoint.resumption_token == "oai_dc.f(2018-05-03T18:09:08Z).u(2018-06-15T19:25:21Z).t(6387):100"
    assert checkpoint.response_date == "2018-06-15T22:34:53Z" and checkpoint.records_seen == 10


def test_both_real_variants_give_the_same_records(replay_server):
    def titles(name):
        records, _ = _first_page(harvest(endpoint=replay_server.url(f"real/{name}"), metadata_prefix="oai_dc"))
        return [(r.identifier, r.datestamp, r.record) for r in records]

    assert titles("sample-oai-pmh.xml") == titles("sample-oai-no-namespace.xml")


@reads("real/oai-pmh-one-record-first.xml", "real/oai-pmh-one-record-2.xml")
def test_real_two_pages_end_with_an_empty_token(replay_server):
    endpoint = replay_server.url("real/oai-pmh-one-record-first.xml")
    records, checkpoints = _split(harvest(endpoint=endpoint, metadata_prefix="oai_dc", **QUICK))
    assert len(records) == 2 and len({r.identifier for r in records}) == 2
    assert [c.resumption_token for c in checkpoints] == ["dummy_resumption", None]


def test_every_fixture_file_was_read():
    """Each stored response is read by a test above that declares it."""
    files = {str(p.relative_to(OAI_FIXTURES)) for p in OAI_FIXTURES.rglob("*.xml")}
    assert files - DECLARED == set()
    assert DECLARED - files == set()
