"""Full, incremental and selective harvests of a real local provider serving 300 LoC records."""

from datetime import datetime, timedelta, timezone

import pytest

from jaringan.core.harvest import (
    BadArgument,
    BadVerb,
    CannotDisseminateFormat,
    Checkpoint,
    HarvestedRecord,
    IdDoesNotExist,
    OaiClient,
    ProviderUnavailable,
    get_record,
    harvest,
    list_identifiers,
    oai_datestamp,
)

from .conftest import DELETED_EVERY, LOC_ARGS, PAGE_SIZE, QUICK, RECORDS


def _split(items):
    items = list(items)
    return [i for i in items if isinstance(i, HarvestedRecord)], [i for i in items if isinstance(i, Checkpoint)]


@pytest.fixture(scope="module")
def full(loc_server):
    return _split(harvest(endpoint=loc_server.endpoint, metadata_prefix="marc21", library="LOC", **QUICK))


def test_full_harvest_over_several_pages(full):
    records, checkpoints = full
    assert len(records) == RECORDS and len({r.identifier for r in records}) == RECORDS
    assert len(checkpoints) == RECORDS // PAGE_SIZE
    assert [c.records_seen for c in checkpoints] == list(range(PAGE_SIZE, RECORDS + 1, PAGE_SIZE))
    assert all(c.resumption_token for c in checkpoints[:-1]) and checkpoints[-1].complete
    assert checkpoints[-1].last_datestamp == max(r.datestamp for r in records)


def test_live_records_are_normalised_from_marcxml(full):
    records, _ = full
    live = [r for r in records if not r.deleted]
    assert all(r.record is not None and r.error is None for r in live)
    assert all(r.record.source_id == r.identifier and r.record.library == "LOC" for r in live)
    assert sum(r.record.language == "ind" for r in live) > 250
    assert sum(bool(r.record.isbns) for r in live) > 50
    assert all(r.raw.startswith(b"<record") and b"MARC21/slim" in r.raw for r in live)


def test_deleted_records_come_out_deleted(full):
    records, _ = full
    deleted = [r for r in records if r.deleted]
    assert len(deleted) == RECORDS // DELETED_EVERY
    assert all(r.record is None and r.error is None and b'status="deleted"' in r.raw for r in deleted)
    assert all(r.datestamp and r.sets for r in deleted)


def test_oai_dc_gives_the_same_records_as_marc(loc_server, full):
    dc_records, _ = _split(harvest(endpoint=loc_server.endpoint, metadata_prefix="oai_dc", **QUICK))
    marc = {r.identifier: r.record for r in full[0]}
    assert [r.identifier for r in dc_records] == list(marc)
    same_isbns = [r.record.isbns == marc[r.identifier].isbns for r in dc_records if r.record]
    assert len(same_isbns) == RECORDS - RECORDS // DELETED_EVERY and all(same_isbns)


def test_incremental_harvest_from_the_high_water_mark(loc_server, full):
    records, _ = full
    since = "2010-01-01"
    expected = {r.identifier for r in records if r.datestamp >= since}
    newer, checkpoints = _split(harvest(endpoint=loc_server.endpoint, metadata_prefix="marc21", from_=since, **QUICK))
    assert {r.identifier for r in newer} == expected and 0 < len(expected) < 50
    assert checkpoints[-1].from_ == since and checkpoints[-1].complete
    # the next run starts at the highest datestamp seen: only that record (from is inclusive) comes again
    again, _ = _split(harvest(endpoint=loc_server.endpoint, metadata_prefix="marc21",
                              from_=checkpoints[-1].next_from, **QUICK))
    assert [r.datestamp for r in again] == [max(r.datestamp for r in records)]


def test_from_in_local_time_is_sent_in_utc(loc_server, full):
    records, _ = full
    stamp = sorted(r.datestamp for r in records)[100]
    wib = datetime.fromisoformat(stamp.replace("Z", "+00:00")).astimezone(timezone(timedelta(hours=7)))
    newer, checkpoints = _split(harvest(endpoint=loc_server.endpoint, metadata_prefix="oai_dc",
                                        from_=wib.isoformat(), **QUICK))
    assert checkpoints[-1].from_ == stamp
    assert {r.identifier for r in newer} == {r.identifier for r in records if r.datestamp >= stamp}


def test_until_and_sets(loc_server, full):
    records, _ = full
    older, _ = _split(harvest(endpoint=loc_server.endpoint, metadata_prefix="oai_dc", until="2000-12-31", **QUICK))
    assert {r.identifier for r in older} == {r.identifier for r in records if r.datestamp < "2001"}
    english, _ = _split(harvest(endpoint=loc_server.endpoint, metadata_prefix="oai_dc", set_spec="lang:eng", **QUICK))
    assert english and all(r.sets == ("lang:eng",) for r in english)
    everything, _ = _split(harvest(endpoint=loc_server.endpoint, metadata_prefix="oai_dc", set_spec="lang", **QUICK))
    assert len(everything) == RECORDS  # sets are hierarchical


def test_post_works(loc_server, full):
    before = len(loc_server.requests_log())
    records, _ = _split(harvest(endpoint=loc_server.endpoint, metadata_prefix="marc21", http_method="POST", **QUICK))
    assert [r.identifier for r in records] == [r.identifier for r in full[0]]
    log = loc_server.requests_log()[before:]
    assert log.count('"POST /oai HTTP/1.1" 200') == RECORDS // PAGE_SIZE and '"GET' not in log


def test_day_granularity_provider_gets_days(start_server):
    server = start_server(*LOC_ARGS, "--granularity", "YYYY-MM-DD")
    with pytest.raises(BadArgument, match=server.endpoint):  # what the provider says to a time
        OaiClient(server.endpoint).page({"verb": "ListRecords", "metadataPrefix": "oai_dc",
                                         "from": "2010-01-06T08:26:49Z"})
    records, checkpoints = _split(harvest(endpoint=server.endpoint, metadata_prefix="oai_dc",
                                          from_="2010-01-06T08:26:49Z", **QUICK))
    assert checkpoints[-1].from_ == "2010-01-06"
    assert records and all(r.datestamp >= "2010-01-06" and len(r.datestamp) == 10 for r in records)


def test_provider_errors_name_the_endpoint(loc_server, full):
    with pytest.raises(CannotDisseminateFormat, match=f"{loc_server.endpoint}.*cannotDisseminateFormat"):
        next(harvest(endpoint=loc_server.endpoint, metadata_prefix="mods", **QUICK))
    with pytest.raises(IdDoesNotExist):
        get_record(loc_server.endpoint, identifier="oai:jaringan.test:nope", metadata_prefix="oai_dc")
    with pytest.raises(BadVerb, match="OAI-PMH base URL"):
        OaiClient(loc_server.endpoint).page({"verb": "Harvest"})
    nothing = list(harvest(endpoint=loc_server.endpoint, metadata_prefix="oai_dc", from_="2099-01-01", **QUICK))
    assert nothing == [Checkpoint(None, "2099-01-01", None, 0, None)]
    assert len(list(list_identifiers(loc_server.endpoint, metadata_prefix="oai_dc", from_="2010-01-01"))) < 50
    item = get_record(loc_server.endpoint, identifier=full[0][0].identifier, metadata_prefix="marc21", library="LOC")
    assert item.record == full[0][0].record


def test_unreachable_provider(tmp_path):
    import socket

    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        endpoint = f"http://127.0.0.1:{probe.getsockname()[1]}/oai"
    with pytest.raises(ProviderUnavailable, match=f"{endpoint} could not be reached for page 1 .* 3 attempts"):
        next(harvest(endpoint=endpoint, metadata_prefix="oai_dc", **QUICK))


def test_a_complete_checkpoint_is_not_resumed(loc_server):
    with pytest.raises(ValueError, match="next_from"):
        next(harvest(endpoint=loc_server.endpoint, metadata_prefix="oai_dc", resume=Checkpoint(None, None, None, 9)))


@pytest.mark.parametrize(
    "given, granularity, expected",
    [
        ("2024-03-05", "YYYY-MM-DDThh:mm:ssZ", "2024-03-05"),
        ("2024-03-05T10:20:30Z", "YYYY-MM-DDThh:mm:ssZ", "2024-03-05T10:20:30Z"),
        ("2024-03-05T10:20:30Z", "YYYY-MM-DD", "2024-03-05"),
        ("2024-03-05T05:20:30+07:00", "YYYY-MM-DDThh:mm:ssZ", "2024-03-04T22:20:30Z"),
        ("2024-03-05 10:20:30", "YYYY-MM-DDThh:mm:ssZ", "2024-03-05T10:20:30Z"),
        ("2024-03-05T10:20:30.123Z", "YYYY-MM-DDThh:mm:ssZ", "2024-03-05T10:20:30Z"),
    ],
)
def test_oai_datestamp(given, granularity, expected):
    assert oai_datestamp(given, granularity) == expected


@pytest.mark.parametrize("bad", ["yesterday", "2024-3-5", "05/03/2024"])
def test_oai_datestamp_refuses_non_dates(bad):
    with pytest.raises(ValueError, match="not a date"):
        oai_datestamp(bad)
