"""An edition's page keeps its parts rendered under a digest of what they show: a change to anything the
page shows is on the next page, and nothing of one person's page reaches another's (SQLite and PostgreSQL)."""

import pytest
from django.core.cache import caches
from django.test import Client

from jaringan.catalog import selectors
from jaringan.catalog.models import Edition, MatchLink, SourceRecord
from jaringan.catalog.services.batches import batch_start
from jaringan.catalog.services.ingest import ingest
from jaringan.catalog.templatetags.catalog_fragments import CACHE
from jaringan.network.models import Library
from jaringan.network.permissions import SYSTEM

from .items import loc_items, retyped

pytestmark = pytest.mark.django_db


@pytest.fixture
def merged(demo_network):
    items = loc_items(3)
    for code, batch_items in (("UNPATTI", items),
                              ("UNHAS", [retyped(i, source_id=f"UNHAS-{n}") for n, i in enumerate(items)])):
        ingest(batch=batch_start(actor=SYSTEM, library=Library.objects.get(code=code)), items=batch_items)
    return SourceRecord.objects.get(source_id=items[0].source_id).edition


def page(client, edition, language="en") -> str:
    response = client.get(f"/catalogue/{edition.pk}/", HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    return response.content.decode()


def main(html: str) -> str:
    """The page's own part (the header's forms carry a token of each request's own)."""
    return html.split("<main>")[1].split("</main>")[0]


def kept() -> int:
    return len(caches[CACHE]._cache)


def two_of_a_work(merged) -> Edition:
    """Another edition, made an edition of the same work as ``merged``."""
    other = Edition.objects.exclude(pk=merged.pk).order_by("pk").first()
    work = merged.work or other.work
    Edition.objects.filter(pk__in=[merged.pk, other.pk]).update(work=work)
    merged.refresh_from_db()
    return other


def test_a_change_to_what_the_page_shows_is_on_the_next_page(merged):
    two_of_a_work(merged)
    anonymous = Client()
    first = page(anonymous, merged)
    assert kept() == 4 and main(page(anonymous, merged)) == main(first)  # the same parts, kept once
    record = merged.records.get(library__code="UNHAS")
    record.data = {**record.data, "holdings": [{"call_number": "XYZ 123.4", "items": 7}]}
    record.save(update_fields=["data"])
    Library.objects.filter(code="UNPATTI").update(name="Perpustakaan Pattimura Baru")
    MatchLink.objects.filter(record=record).update(score=99)
    Edition.objects.filter(pk=merged.pk).update(work=None)
    merged.refresh_from_db()
    changed = page(anonymous, merged)
    assert "XYZ 123.4" in changed and ">7</td>" in changed and "(99 points;" in changed
    assert "Perpustakaan Pattimura Baru" in changed and "Perpustakaan Pattimura Baru" not in first
    assert "Other editions of this work" in first and "Other editions of this work" not in changed
    assert kept() == 8
    assert "Edition no." in first and "Edisi no." in page(anonymous, merged, "id")  # each language its own


def test_a_holding_taken_out_leaves_the_page_and_the_other_editions_counts_follow(merged):
    other = two_of_a_work(merged)
    before, before_other = page(Client(), merged), page(Client(), other)
    SourceRecord.objects.filter(edition=other, library__code="UNHAS").update(edition=None)  # taken out
    after, after_other = page(Client(), merged), page(Client(), other)
    assert "2 holdings" in before and "1 holding</li>" in after  # the other edition's count, on this page
    assert "Held by 2 libraries" in before_other and "Held by 1 library" in after_other


def test_nothing_of_a_persons_page_is_kept_or_shown_to_another(merged, passwords):
    anonymous_page = page(Client(), merged)
    staff = Client()
    assert staff.login(username="staf.unpatti", password=passwords["staf.unpatti"])
    staff_page = page(staff, merged)
    assert "Not the same edition" in staff_page and "Same edition as no." in staff_page
    assert "Not the same edition" not in anonymous_page and "Not the same edition" not in page(Client(), merged)
    reader = Client()
    assert reader.login(username="pembaca", password=passwords["pembaca"])
    assert "Distance from UNPATTI" in page(reader, merged) and "Distance from" not in page(Client(), merged)


def test_the_fingerprint_names_the_rows_read(merged):
    one, two = selectors.edition_detail(merged)["fingerprint"], selectors.edition_detail(merged)["fingerprint"]
    assert one == two
    SourceRecord.objects.filter(edition=merged, library__code="UNHAS").update(source_id="UNHAS-renamed")
    assert selectors.edition_detail(merged)["fingerprint"] != one
