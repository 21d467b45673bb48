"""Harvests that tell the truth, against a real OAI-PMH provider process on 127.0.0.1.

A record moved in the page is unchanged; a source is checked with the provider when it is added; a
provider that keeps no deleted records has what it no longer lists withdrawn after a complete full
run (and only then); an operator runs a source now, in full or not; providers whose dates never move
are harvested in full on schedule.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone, translation

from jaringan.catalog.models import SourceRecord
from jaringan.core.errors import Invalid
from jaringan.harvesting import services
from jaringan.harvesting.models import HarvestRun, HarvestSource
from jaringan.network.models import Library
from jaringan.network.permissions import SYSTEM
from tests.core.harvest.conftest import LOC_INDONESIA, QUICK, start_server  # noqa: F401 (a fixture)
from tests.support import processes
from tests.support.oai_server import HTML_ERROR_PAGE, OaiServer


def _args(limit: int, *more: str) -> tuple:
    return ("--data", LOC_INDONESIA, "--limit", limit, "--page-size", 20, *more)


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def servers(start_server):
    return start_server


def _serve_instead(server: OaiServer, *args) -> None:
    """The same provider address now answers with other records (or in another way)."""
    server.args = [str(a) for a in args]
    server.restart()


def _save(endpoint: str, prefix: str = "oai_dc", **data) -> HarvestSource:
    return services.source_save(actor=SYSTEM, library=Library.objects.get(code="UNPATTI"),
                                data={"endpoint": endpoint, "metadata_prefix": prefix, **data}, **QUICK)


def _live(source) -> int:
    return SourceRecord.objects.filter(library=source.library, withdrawn=False).count()


# --- 1. the checksum is the record's, not its place in the page ------------------------------------------

@pytest.mark.django_db
def test_a_record_moved_in_the_page_is_unchanged(demo_network, servers):
    # one indented page: the last record is followed by other whitespace than the rest
    server = servers("--data", LOC_INDONESIA, "--limit", 30, "--page-size", 100, "--pretty")
    source = _save(server.endpoint, "marc21", harvest_mode="full")
    first = services.source_harvest(source=source, **QUICK)
    assert first.status == "done" and first.batch.created == 30
    _serve_instead(server, "--data", LOC_INDONESIA, "--limit", 30, "--page-size", 100, "--pretty", "--reverse")
    again = services.source_harvest(source=source, **QUICK)
    assert again.status == "done" and again.full
    assert (again.batch.read, again.batch.unchanged, again.batch.updated) == (30, 30, 0)


# --- 2. a source is checked with the provider when it is added -------------------------------------------

@pytest.mark.django_db
def test_a_format_the_provider_does_not_offer_is_refused_in_plain_words(demo_network, servers, passwords):
    server = servers(*_args(10, "--mode", "slims"))
    with pytest.raises(Invalid) as refused:
        _save(server.endpoint, "marc21")
    assert refused.value.errors == {"metadata_prefix": ["This server offers oai_dc, not marc21."]}
    assert not HarvestSource.objects.exists()

    normal = servers(*_args(10))
    with pytest.raises(Invalid, match="This server offers oai_dc, marc21 and marcxml, not mods"):
        services.provider_check(normal.endpoint, "mods", **QUICK)

    staff = Client()
    assert staff.login(username="staf.unpatti", password=passwords["staf.unpatti"])
    page = staff.post("/manage/libraries/UNPATTI/sources/", {"endpoint": server.endpoint, "metadata_prefix": "marc21",
                                                             "every_hours": "24"},
                      follow=True, HTTP_ACCEPT_LANGUAGE="id").content.decode()
    assert "Server ini menawarkan oai_dc, bukan marc21." in page and not HarvestSource.objects.exists()


@pytest.mark.django_db
def test_the_admin_site_asks_the_provider_too_and_only_superusers_see_sources(demo_network, servers, passwords):
    from django.contrib.auth import get_user_model

    server = servers(*_args(10, "--mode", "slims"))
    get_user_model().objects.create_superuser("root", "root@jaringan.test", "a-long-passphrase")
    admin = Client()
    assert admin.login(username="root", password="a-long-passphrase")
    form = {"library": Library.objects.get(code="UNPATTI").pk, "endpoint": server.url("oai2.php"),
            "metadata_prefix": "marc21", "every_hours": "24", "active": "on", "harvest_mode": "auto"}
    refused = admin.post("/admin/harvesting/harvestsource/add/", form, HTTP_ACCEPT_LANGUAGE="en")
    assert refused.status_code == 200 and "This server offers oai_dc, not marc21." in refused.content.decode()
    assert not HarvestSource.objects.exists()
    added = admin.post("/admin/harvesting/harvestsource/add/", {**form, "metadata_prefix": "oai_dc"})
    assert added.status_code == 302
    source = HarvestSource.objects.get()
    assert source.deleted_record == "transient" and source.harvests_in_full

    staff = Client()
    assert staff.login(username="staf.unpatti", password=passwords["staf.unpatti"])
    assert staff.get("/admin/harvesting/harvestsource/").status_code in (302, 403)


@pytest.mark.django_db
def test_the_api_asks_the_provider_too(demo_network, servers, user):
    from jaringan.network.services import token_create

    server = servers(*_args(10, "--mode", "slims"))
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token_create(user=user('staf.unpatti'))}", "HTTP_ACCEPT_LANGUAGE": "en"}
    asked = {"endpoint": server.endpoint, "metadata_prefix": "marc21"}
    refused = Client().post("/api/libraries/UNPATTI/sources", asked, content_type="application/json", **auth)
    assert refused.status_code == 400
    assert refused.json()["errors"] == {"metadata_prefix": ["This server offers oai_dc, not marc21."]}
    added = Client().post("/api/libraries/UNPATTI/sources", {**asked, "metadata_prefix": "oai_dc"},
                          content_type="application/json", **auth)
    assert added.status_code == 201, added.content
    assert added.json()["deleted_record"] == "transient" and added.json()["harvest_mode"] == "auto"
    assert [s["id"] for s in Client().get("/api/libraries/UNPATTI/sources", **auth).json()] == [added.json()["id"]]
    other = {"HTTP_AUTHORIZATION": f"Bearer {token_create(user=user('staf.itb'))}"}
    assert Client().post("/api/libraries/UNPATTI/sources", asked, content_type="application/json",
                         **other).status_code == 403
    assert HarvestSource.objects.count() == 1


@pytest.mark.django_db
def test_an_html_page_is_refused_with_its_status_and_type_never_its_body(demo_network, servers):
    server = servers("--mode", "html", "--data", LOC_INDONESIA)
    with pytest.raises(Invalid) as refused:
        _save(server.url("oai2.php"))
    message = refused.value.errors["endpoint"][0]
    assert "does not answer as an OAI-PMH server" in message and "HTTP 200, text/html" in message
    assert f"{len(HTML_ERROR_PAGE):,} bytes" in message
    assert "mysql_connect" not in message and "<html" not in message.lower()
    with pytest.raises(Invalid) as gone:
        _save("http://127.0.0.1:9/oai")
    assert gone.value.errors["endpoint"] == ["The server at http://127.0.0.1:9/oai could not be reached. Check the "
                                             "address, or try again later."]
    assert not HarvestSource.objects.exists()


@pytest.mark.django_db
def test_what_the_provider_says_of_deletions_and_dates_is_kept(demo_network, servers):
    slims = _save(servers(*_args(10, "--mode", "slims")).url("oai2.php"))
    assert (slims.deleted_record, slims.granularity) == ("transient", "YYYY-MM-DDThh:mm:ssZ")
    assert slims.repository_name == "Jaringan test provider (slims)"
    tidy = _save(servers(*_args(10, "--granularity", "YYYY-MM-DD")).endpoint, "marc21")
    assert (tidy.deleted_record, tidy.granularity) == ("persistent", "YYYY-MM-DD")
    assert tidy.keeps_no_deletions is False and slims.keeps_no_deletions is True


# --- 3. what a provider keeping no deletions no longer lists is withdrawn, after a complete full run only ---

@pytest.mark.django_db
def test_a_complete_full_harvest_withdraws_what_the_provider_no_longer_lists(demo_network, servers):
    server = servers(*_args(60, "--mode", "slims"))
    source = _save(server.endpoint)
    first = services.source_harvest(source=source, **QUICK)
    assert first.status == "done" and first.full and first.withdrawn == 0 and _live(source) == 60
    _serve_instead(server, *_args(45, "--mode", "slims"))  # 15 records deleted in SLiMS: they just vanish
    second = services.source_harvest(source=source, **QUICK)
    assert second.status == "done" and second.full and second.batch.read == 45
    assert second.withdrawn == 15 and _live(source) == 45
    assert SourceRecord.objects.filter(library=source.library, withdrawn=True, edition__isnull=True).count() == 15
    third = services.source_harvest(source=source, **QUICK)
    assert third.withdrawn == 0 and _live(source) == 45  # nothing is withdrawn twice


@pytest.mark.django_db
def test_a_copy_committed_to_be_kept_stays_when_the_provider_stops_listing_it(demo_network, servers):
    from jaringan.analysis.models import RetentionCommitment

    server = servers(*_args(20, "--mode", "slims"))
    source = _save(server.endpoint)
    assert services.source_harvest(source=source, **QUICK).status == "done" and _live(source) == 20
    kept = list(SourceRecord.objects.filter(library=source.library).order_by("pk")[:20:2])  # every other one
    for record in kept:
        RetentionCommitment.objects.create(library=source.library, edition_id=record.edition_id,
                                           until=timezone.localdate().year + 3)
    _serve_instead(server, *_args(15, "--mode", "slims"))
    second = services.source_harvest(source=source, **QUICK)
    asked = RetentionCommitment.objects.filter(withdrawal_asked__isnull=False).count()
    assert 0 < asked < 5  # some of the five gone were committed: they wait for staff, the others leave
    assert second.withdrawn == 5 - asked and _live(source) == 15 + asked
    assert not SourceRecord.objects.filter(pk__in=[r.pk for r in kept], withdrawn=True).exists()


@pytest.mark.django_db
def test_a_source_saved_before_providers_were_asked_learns_their_policy_on_a_full_run(demo_network, servers):
    server = servers(*_args(30, "--mode", "slims"))
    source = HarvestSource.objects.create(library=Library.objects.get(code="UNPATTI"), endpoint=server.endpoint,
                                          metadata_prefix="oai_dc")
    assert services.source_harvest(source=source, **QUICK).status == "done" and _live(source) == 30
    source.refresh_from_db()
    assert source.deleted_record == "transient" and source.keeps_no_deletions
    _serve_instead(server, *_args(25, "--mode", "slims"))
    assert services.source_harvest(source=source, **QUICK).withdrawn == 5 and _live(source) == 25


@pytest.mark.django_db
def test_a_broken_or_resumed_run_withdraws_nothing_and_the_next_full_one_does(demo_network, servers):
    server = servers(*_args(60, "--deleted-record", "transient"))
    source = _save(server.endpoint, "marc21")
    assert services.source_harvest(source=source, **QUICK).status == "done" and _live(source) == 60
    _serve_instead(server, *_args(40, "--deleted-record", "transient", "--mode", "flaky", "--fail-page", 2,
                                  "--fail-how", "503", "--fail-times", 2))
    broken = services.source_harvest(source=source, full=True, retries=1, retry_wait=0.01, timeout=10)
    assert broken.status == "failed" and broken.withdrawn == 0 and _live(source) == 60
    resumed = services.source_harvest(source=source, full=True, **QUICK)
    assert resumed.status == "done" and resumed.resumed and resumed.withdrawn == 0 and _live(source) == 60
    full = services.source_harvest(source=source, full=True, **QUICK)
    assert full.status == "done" and full.withdrawn == 20 and _live(source) == 40


@pytest.mark.django_db
def test_an_incremental_run_or_a_provider_reporting_deletions_withdraws_nothing(demo_network, servers):
    keeps_none = servers(*_args(30, "--deleted-record", "no"))
    source = _save(keeps_none.endpoint, "marc21")
    assert services.source_harvest(source=source, **QUICK).status == "done"
    _serve_instead(keeps_none, *_args(20, "--deleted-record", "no"))
    incremental = services.source_harvest(source=source, **QUICK)
    assert incremental.status == "done" and not incremental.full and incremental.withdrawn == 0
    assert _live(source) == 30

    reports = servers(*_args(30))  # deletedRecord persistent: it says what it deleted
    other = _save(reports.endpoint, "marcxml")
    services.source_harvest(source=other, **QUICK)
    _serve_instead(reports, *_args(20))
    assert services.source_harvest(source=other, full=True, **QUICK).withdrawn == 0


# --- 4. an operator runs a source now, from the command line -----------------------------------------------

@pytest.mark.django_db(transaction=True)
def test_an_operator_runs_a_source_now_in_full_from_the_command_line(demo_network, servers, tmp_path):
    server = servers(*_args(40, "--deleted-record", "transient"))
    source = _save(server.endpoint, "marc21")
    assert services.source_harvest(source=source, **QUICK).status == "done"
    assert not source.is_due()
    due = processes.run(tmp_path / "due", "harvest", "--library", "UNPATTI")
    assert due.returncode == 0 and "No source is due." in due.stdout

    _serve_instead(server, *_args(30, "--deleted-record", "transient"))
    now = processes.run(tmp_path / "now", "harvest", "--source", str(source.pk), "--full")
    assert now.returncode == 0, now.stderr
    assert "read 30 = 0 new + 0 updated + 30 unchanged" in now.stdout
    assert f"{server.endpoint}: 10 records the provider no longer lists were withdrawn" in now.stdout
    run = HarvestRun.objects.filter(source=source).order_by("-pk").first()
    assert run.full and run.withdrawn == 10 and _live(source) == 30

    incremental = processes.run(tmp_path / "inc", "harvest", "--library", "UNPATTI", "--incremental")
    assert incremental.returncode == 0, incremental.stderr
    assert HarvestRun.objects.filter(source=source).order_by("-pk").first().full is False
    assert "from=" in server.requests_log().splitlines()[-1]

    unknown = processes.run(tmp_path / "unknown", "harvest", "--source", "999999")
    assert unknown.returncode == 66 and "There is no harvest source 999999." in unknown.stderr  # NotFound
    bare = processes.run(tmp_path / "bare", "harvest", "--full")
    assert bare.returncode == 2 and "--source ID" in bare.stderr
    assert HarvestRun.objects.filter(source=source).count() == 3


# --- 5. providers whose dates never move are harvested in full on schedule ---------------------------------

@pytest.mark.django_db
def test_slims_oai2_is_harvested_in_full_on_schedule_and_staff_can_choose(demo_network, servers, passwords):
    provider = servers(*_args(20))
    slims_like = _save(provider.url("oai2.php"), "marc21")
    tidy = _save(provider.endpoint, "marcxml")
    assert slims_like.harvest_mode == "auto" and slims_like.harvests_in_full and not tidy.harvests_in_full
    for source in (slims_like, tidy):
        assert services.source_harvest(source=source, **QUICK).status == "done"
    HarvestSource.objects.update(last_success=timezone.now() - timedelta(days=2))
    scheduled = {run.source_id: run for run in services.harvest_due(library_code="UNPATTI", **QUICK)}
    assert scheduled[slims_like.pk].full and not scheduled[tidy.pk].full
    asked = [line for line in provider.requests_log().splitlines() if "ListRecords" in line][-2:]
    assert sum("from=" in line for line in asked) == 1

    staff = Client()
    assert staff.login(username="staf.unpatti", password=passwords["staf.unpatti"])
    staff.post("/manage/libraries/UNPATTI/sources/", {"endpoint": provider.endpoint, "metadata_prefix": "oai_dc",
                                                      "every_hours": "24", "harvest_mode": "full"})
    chosen = HarvestSource.objects.get(endpoint=provider.endpoint, metadata_prefix="oai_dc")
    assert chosen.harvest_mode == "full" and chosen.harvests_in_full
    page = staff.post("/manage/libraries/UNPATTI/sources/", {"endpoint": provider.endpoint, "metadata_prefix": "oai_dc",
                                                             "every_hours": "24", "harvest_mode": "incremental"},
                      follow=True, HTTP_ACCEPT_LANGUAGE="id").content.decode()
    chosen.refresh_from_db()
    assert chosen.harvest_mode == "incremental" and not chosen.harvests_in_full
    assert HarvestSource.objects.filter(endpoint=provider.endpoint, metadata_prefix="oai_dc").count() == 1
    assert "Hanya yang berubah sejak panen terakhir" in page  # the mode, shown in the sources table
