"""Interlibrary loan fixtures: the demo network, a few real books held by several members, their staff."""

from __future__ import annotations

import pytest

#: Who holds the test books: members of the eastern network (JPIT), the West Java network and the national library.
HOLDERS = ["UNPATTI", "UNHAS", "UNUD", "ITB", "UI", "PNRI"]
#: Staff accounts the demo lacks, for the lenders' side (the demo has staf.unhas and staf.unud).
EXTRA_STAFF = {"staf.ui": "UI", "staf.pnri": "PNRI"}


@pytest.fixture
def held(demo_network):
    """Three real Indonesian books (LoC records), each held by every library of HOLDERS: their editions."""
    from jaringan.catalog.services.batches import batch_start
    from jaringan.catalog.services.ingest import ingest
    from jaringan.catalog.models import Edition
    from jaringan.network.models import Library
    from jaringan.network.permissions import SYSTEM
    from tests.catalog.items import loc_items, retyped

    books = loc_items(3)
    for code in HOLDERS:
        items = [retyped(i, source_id=f"{code}-{n}") for n, i in enumerate(books)]
        batch = batch_start(actor=SYSTEM, library=Library.objects.get(code=code), name="t.mrc",
                            format="marc21")
        ingest(batch=batch, items=items)
    editions = list(Edition.objects.filter(records__source_id__in=[f"UNPATTI-{n}" for n in range(3)])
                    .order_by("pk"))
    assert len(editions) == 3 and all(e.records.count() == len(HOLDERS) for e in editions)
    return editions


@pytest.fixture
def staff(demo_network):
    """Principals by username, the demo's and EXTRA_STAFF (each with an e-mail address)."""
    from jaringan.network import services
    from jaringan.network.permissions import principal_for

    for username, code in EXTRA_STAFF.items():
        services.user_create(username=username, password="kata-sandi-panjang", role="staff", library=code,
                             email=f"{username}@demo.jaringan.invalid", check_password=False)

    def get(username: str):
        from django.contrib.auth import get_user_model

        return principal_for(get_user_model().objects.get(username=username))

    return get


@pytest.fixture
def mailbox(settings):
    """The e-mails sent, in Django's locmem outbox."""
    from django.core import mail

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    mail.outbox = []
    return mail.outbox


@pytest.fixture
def charged_loans(held, principal):
    """ITB and UI lend under an agreement that charges every loan: Rp 7,500 and shipping at Rp 30,000 a parcel."""
    from datetime import date

    from jaringan.network import services
    from jaringan.network.models import Network

    return services.agreement_save(
        actor=principal("koordinator"), network=Network.objects.get(code="JPJB"),
        data={"code": "ITB-UI-KIRIM", "title": "Pinjam dengan ongkos kirim", "purpose": "Uji.", "form": "unwritten",
              "services": ["loan"], "coverage": "named", "relation": "reciprocal", "starts": date(2026, 1, 1),
              "fee_per_loan": 7500, "free_loans_per_year": 0,
              "shipping_bands": [{"up_to_km": None, "fee": 30000}]},
        parties=[{"library": "ITB"}, {"library": "UI"}],
    )


@pytest.fixture(autouse=True)
def _sent_by_the_tests(settings):
    """In-process tests send the outbox themselves (``sender.send_due``), as a worker does: no thread of the
    test process posts behind their back."""
    settings.JARINGAN_ISO18626_SEND = "worker"
