from __future__ import annotations

import pytest

from ..catalog.items import loc_items


@pytest.fixture
def catalogue(demo_network):
    """Twelve real LoC Indonesian records held by Pattimura, and the editions they became."""
    from jaringan.catalog.services.batches import batch_start
    from jaringan.catalog.services.ingest import ingest
    from jaringan.catalog.models import SourceRecord
    from jaringan.network.models import Library
    from jaringan.network.permissions import SYSTEM

    items = loc_items(12)
    batch = batch_start(actor=SYSTEM, library=Library.objects.get(code="UNPATTI"))
    ingest(batch=batch, items=items)
    ids = [SourceRecord.objects.get(source_id=i.source_id).edition_id for i in items]
    return list(dict.fromkeys(ids))


@pytest.fixture
def compiled(catalogue, principal):
    """A public list by Pattimura's staff: two sections, ten entries."""
    from jaringan.bibliographies import services

    reader = principal("staf.unpatti")
    b = services.bibliography_create(actor=reader, data={
        "title": "Literatur tentang Maluku", "compiler": "Perpustakaan Universitas Pattimura",
        "scope_note": "Buku tentang sejarah dan budaya.", "public": True})
    history = services.section_add(actor=reader, bibliography=b, title="Sejarah")
    culture = services.section_add(actor=reader, bibliography=b, title="Budaya")
    for n, edition_id in enumerate(catalogue[:10]):
        services.entry_add(actor=reader, bibliography=b, edition_id=edition_id,
                           section_id=(history.pk, culture.pk, None)[n % 3], note="Penting." if n == 0 else "")
    return b
