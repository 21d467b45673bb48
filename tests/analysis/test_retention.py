"""Retention commitments: made for held copies only, shown on the edition's page with one query, and a committed
copy is withdrawn only when confirmed, its network's coordinators told."""

from __future__ import annotations

import pytest
from django.core import mail
from django.db import connection
from django.template import Context, Template
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from jaringan.analysis import selectors
from jaringan.analysis.models import RetentionCommitment
from jaringan.catalog import selectors as catalog_selectors
from jaringan.catalog.models import Edition, SourceRecord
from jaringan.network.models import Library


@pytest.mark.django_db
def test_a_committed_copy_is_shown_and_withdrawn_only_when_confirmed(catalogue, user):
    unpatti = Library.objects.get(code="UNPATTI")
    held = SourceRecord.objects.filter(library=unpatti, withdrawn=False).order_by("edition_id").first().edition_id
    other = SourceRecord.objects.exclude(edition_id__in=SourceRecord.objects.filter(library=unpatti)
                                         .values("edition_id")).first().edition_id
    coordinator = user("koordinator")
    coordinator.email = "koordinator@example.org"
    coordinator.save()
    client = Client()
    client.force_login(user("staf.unpatti"))
    url = "/analysis/libraries/UNPATTI/retention/"
    refused = client.post(url, {"editions": f"{held}\n{other}", "until": "2040"})
    assert refused.status_code == 400 and str(other) in refused.content.decode()
    assert not RetentionCommitment.objects.exists()  # nothing half-made
    assert client.post(url, {"editions": str(held), "until": "2040"}).status_code == 302
    commitment = RetentionCommitment.objects.get()
    assert (commitment.library, commitment.edition_id, commitment.until) == (unpatti, held, 2040)

    edition = Edition.objects.get(pk=held)
    holdings = catalog_selectors.edition_detail(edition)["holdings"]
    with CaptureQueriesContext(connection) as queries, translation.override("en"):
        html = Template("{% load analysis_tags %}{% retention_notes edition holdings %}").render(
            Context({"edition": edition, "holdings": holdings}))
    assert len(queries) == 1 and "commits to keep its copy until 2040" in html
    page = Client(HTTP_ACCEPT_LANGUAGE="id").get(f"/catalogue/{held}/").content.decode()
    assert "berjanji menyimpan eksemplarnya sampai 2040" in page

    asked = client.post(url, {"action": "withdraw", "commitment": commitment.pk})
    assert asked.status_code == 200 and 'name="confirm"' in asked.content.decode()
    assert SourceRecord.objects.filter(library=unpatti, edition_id=held, withdrawn=False).exists()
    assert Client().post(url, {"action": "withdraw", "commitment": commitment.pk, "confirm": "1"}).status_code == 403
    done = client.post(url, {"action": "withdraw", "commitment": commitment.pk, "confirm": "1"})
    assert done.status_code == 302
    assert not SourceRecord.objects.filter(library=unpatti, edition_id=held, withdrawn=False).exists()
    assert not RetentionCommitment.objects.exists()
    # the coordinators of both its networks: the eastern network's and the university libraries' forum's
    assert [m.to for m in mail.outbox] == [["koordinator.fppti@demo.jaringan.invalid", "koordinator@example.org"]]
    assert unpatti.name in mail.outbox[0].subject
    selectors.current()
    from jaringan.analysis.models import EditionProfile

    profile = EditionProfile.objects.filter(edition_id=held).first()
    assert profile is None or f",{unpatti.pk}," not in profile.holders


def _deleted(record: SourceRecord) -> bytes:
    """The library's own MARC record of the copy, marked deleted (leader/05 `d`), as its system exports it."""
    raw = bytearray(record.raw)
    raw[5:6] = b"d"
    return bytes(raw)


@pytest.mark.django_db
def test_a_file_that_withdraws_a_committed_copy_is_held_until_staff_confirm(catalogue, user, principal):
    import io

    from django.utils import timezone

    from jaringan.analysis import services
    from jaringan.catalog.pipeline import import_file
    from jaringan.network.permissions import SYSTEM

    unpatti = Library.objects.get(code="UNPATTI")
    kept, free, lapsed = SourceRecord.objects.filter(library=unpatti, withdrawn=False, format="marc21")[:3]
    services.commitments_make(actor=principal("staf.unpatti"), library=unpatti, edition_ids=[kept.edition_id],
                              until=timezone.localdate().year + 5)
    RetentionCommitment.objects.create(library=unpatti, edition_id=lapsed.edition_id,
                                       until=timezone.localdate().year - 1)  # ended last year: holds nothing
    stream = io.BytesIO(b"".join(_deleted(r) for r in (kept, free, lapsed)))
    batch = import_file(actor=SYSTEM, library=unpatti, stream=stream, name="deleted.mrc")
    assert (batch.read, batch.withdrawn, batch.held) == (3, 2, 1)
    kept.refresh_from_db()
    assert not kept.withdrawn and kept.edition_id  # still in its edition, still findable
    assert SourceRecord.objects.filter(pk__in=[free.pk, lapsed.pk], withdrawn=True).count() == 2
    commitment = RetentionCommitment.objects.get(edition_id=kept.edition_id)
    assert commitment.withdrawal_batch == batch and commitment.withdrawal_asked

    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user("staf.unpatti"))
    report = client.get(f"/manage/batches/{batch.pk}/").content.decode()
    assert "Kept: copies the library committed to keep" in report
    page = client.get("/analysis/libraries/UNPATTI/retention/").content.decode()
    assert 'id="asked"' in page and "deleted.mrc" in page and commitment.edition.title in page
    stranger = Client()
    stranger.force_login(user("staf.unhas"))
    refused = stranger.post("/analysis/libraries/UNPATTI/retention/", {"action": "keep", "commitment": commitment.pk})
    assert refused.status_code == 403
    assert client.post("/analysis/libraries/UNPATTI/retention/",
                       {"action": "keep", "commitment": commitment.pk}).status_code == 302
    commitment.refresh_from_db()
    assert commitment.withdrawal_asked is None and commitment.until == timezone.localdate().year + 5

    again = import_file(actor=SYSTEM, library=unpatti, stream=io.BytesIO(_deleted(kept)), name="again.mrc")
    assert (again.withdrawn, again.held) == (0, 1)  # the library's system says so again: asked again
    assert client.post("/analysis/libraries/UNPATTI/retention/",
                       {"action": "withdraw", "commitment": commitment.pk, "confirm": "1"}).status_code == 302
    kept.refresh_from_db()
    assert kept.withdrawn and not RetentionCommitment.objects.filter(pk=commitment.pk).exists()
    assert mail.outbox and unpatti.name in mail.outbox[-1].subject  # the coordinators are told
