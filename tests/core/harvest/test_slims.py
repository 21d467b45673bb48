"""A SLiMS-like provider: no datestamps, dc:identifier_isbn, DDC as dc:subject, <image>, local responseDate."""

from datetime import datetime, timedelta, timezone

import pymarc
import pytest

from jaringan.core.harvest import (
    CannotDisseminateFormat,
    Checkpoint,
    HarvestedRecord,
    NoSetHierarchy,
    harvest,
    identify,
    list_metadata_formats,
    list_sets,
)
from jaringan.core.catalog.identifiers import parse_isbn

from .conftest import LOC_INDONESIA, QUICK


@pytest.fixture(scope="module")
def catalogued(tmp_path_factory):
    """The real LoC records of Indonesian books that carry both an ISBN and a DDC number (19)."""
    path = tmp_path_factory.mktemp("slims") / "with_isbn_and_ddc.mrc"
    with LOC_INDONESIA.open("rb") as source, path.open("wb") as target:
        kept = [r for r in pymarc.MARCReader(source, permissive=True, to_unicode=True)
                if r is not None and r.get_fields("020") and r.get_fields("082")]
        for record in kept:
            target.write(record.as_marc())
    return path, kept


@pytest.fixture
def slims(start_server, catalogued):
    return start_server("--data", catalogued[0], "--mode", "slims", "--page-size", "5")


def _split(items):
    items = list(items)
    return [i for i in items if isinstance(i, HarvestedRecord)], [i for i in items if isinstance(i, Checkpoint)]


def test_slims_records_keep_isbn_and_ddc(slims, catalogued):
    records, checkpoints = _split(harvest(endpoint=slims.endpoint, metadata_prefix="oai_dc", **QUICK))
    marc = catalogued[1]
    assert len(records) == len(marc) == 19 and len(checkpoints) == 4
    assert all(r.datestamp is None and r.record is not None and r.error is None for r in records)
    assert all(b"<image" in r.raw for r in records)
    by_id = {f"oai:jaringan.test:{r['001'].data.strip()}": r for r in marc}
    for record in records:
        source = by_id[record.identifier]
        isbn = parse_isbn(source["020"].get("a"))
        if isbn and isbn.isbn13:
            assert b"<dc:identifier_isbn>" in record.raw and isbn.isbn13 in record.record.isbns
        ddc = source["082"]["a"].replace("/", "")
        assert ("ddc", ddc) in [(c.scheme, c.number) for c in record.record.classifications]
        assert ddc not in record.record.subjects
    assert sum(bool(r.record.isbns) for r in records) >= 15


def test_no_datestamps_means_every_run_is_a_full_harvest(slims):
    _, checkpoints = _split(harvest(endpoint=slims.endpoint, metadata_prefix="oai_dc", **QUICK))
    assert checkpoints[-1].last_datestamp is None and checkpoints[-1].next_from is None
    # a caller that passes a from_ anyway still gets everything: SLiMS has nothing to select on
    records, _ = _split(harvest(endpoint=slims.endpoint, metadata_prefix="oai_dc", from_="2024-01-01", **QUICK))
    assert len(records) == 19


def test_slims_response_date_is_local_time_labelled_utc(slims):
    _, checkpoints = _split(harvest(endpoint=slims.endpoint, metadata_prefix="oai_dc", **QUICK))
    said = datetime.strptime(checkpoints[-1].response_date, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=timezone.utc)
    ahead = said - datetime.now(timezone.utc)
    assert timedelta(hours=6, minutes=59) < ahead < timedelta(hours=7, minutes=1)


def test_slims_identify_formats_and_sets(slims):
    repository = identify(slims.endpoint, **QUICK)
    assert repository.deleted_record == "transient" and repository.earliest_datestamp is None
    assert [f.prefix for f in list_metadata_formats(slims.endpoint, **QUICK)] == ["oai_dc"]
    with pytest.raises(NoSetHierarchy, match=slims.endpoint):
        list_sets(slims.endpoint, **QUICK)
    with pytest.raises(NoSetHierarchy):
        next(harvest(endpoint=slims.endpoint, metadata_prefix="oai_dc", set_spec="lang:ind", **QUICK))
    with pytest.raises(CannotDisseminateFormat, match="SLiMS offers only oai_dc"):
        next(harvest(endpoint=slims.endpoint, metadata_prefix="marc21", **QUICK))
