"""A library's own details reach the search index as soon as they are saved, without a rebuild."""

from __future__ import annotations

import pytest

from jaringan.catalog.models import EditionChange, SourceRecord
from jaringan.discovery import selectors
from jaringan.network import services as network_services
from jaringan.network.models import Library

pytestmark = pytest.mark.django_db


def _kinds() -> dict[str, int]:
    return dict(selectors.edition_search(query=None, facets=["kind"]).facets["kind"])


def _found(kind: str) -> set[int]:
    page = selectors.edition_search(query=None, filters={"kind": [kind]}, limit=1000)
    return {h.edition.pk for h in page.hits}


def test_a_library_that_changes_kind_is_found_under_its_new_kind(catalogue, principal,
                                                                  django_capture_on_commit_callbacks):
    unpatti = Library.objects.get(code="UNPATTI")
    held = set(SourceRecord.objects.filter(library=unpatti, withdrawn=False).values_list("edition_id", flat=True))
    assert unpatti.kind == "academic" and held and "special" not in _kinds()
    with django_capture_on_commit_callbacks(execute=True):
        network_services.library_update(actor=principal("staf.unpatti"), library=unpatti, data={"kind": "special"})
    assert _found("special") == held  # the filter, and the facet counts every edition it holds
    assert _kinds()["special"] == len(held)
    assert not EditionChange.objects.exists()  # drained after the commit, not waiting for a rebuild


def test_a_detail_no_document_holds_queues_nothing(catalogue, principal, django_capture_on_commit_callbacks):
    unpatti = Library.objects.get(code="UNPATTI")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        network_services.library_update(actor=principal("staf.unpatti"), library=unpatti,
                                        data={"phone": "+62 911 000000"})
    assert not callbacks and not EditionChange.objects.exists()
    assert Library.objects.get(code="UNPATTI").phone == "+62 911 000000"
