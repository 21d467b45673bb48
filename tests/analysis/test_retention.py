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
