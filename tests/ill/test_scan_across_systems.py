"""A scan reaches a library on another system, and one from another system reaches our reader: by URL in the
ISO 18626 message, under the same expiry and access rules as a scan kept here."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from jaringan.core import iso18626 as core
from jaringan.core.iso18626 import elements as el
from jaringan.ill import services
from jaringan.ill.iso18626 import sender
from jaringan.ill.models import AgencyId, Delivery, IllRequest, Peer
from jaringan.ill.tick import tick
from jaringan.network.models import Library
from tests.paths import ISO18626

from .peer_server import PeerServer

pytestmark = pytest.mark.django_db
SCAN = b"%PDF-1.4 bab dua"


@pytest.fixture
def unhas_elsewhere(demo_network):
    """UNHAS is served by another system (a real peer on 127.0.0.1) that agreed a shared secret with this hub."""
    with PeerServer().running() as peer:
        Peer.objects.create(library=Library.objects.get(code="UNHAS"), url=peer.url, agency_id_type="agencyIdType2",
                            agency_id_value="agencyIdValue1", shared_secret="rahasia-bersama")
        AgencyId.objects.create(library=Library.objects.get(code="UNPATTI"), id_type="agencyIdType1",
                                id_value="agencyIdValue1")
        yield peer


def test_a_scan_for_a_library_on_another_system_travels_as_a_url(unhas_elsewhere, staff, settings,
                                                                 django_capture_on_commit_callbacks):
    settings.JARINGAN_BASE_URL = "https://hub.jaringan.example"
    raw = (ISO18626 / "reshare_samples" / "request.xml").read_bytes()  # UNHAS asks UNPATTI for a copy
    answer = core.parse(Client().post("/iso18626", data=raw, content_type="application/xml",
                                      HTTP_AUTHORIZATION="Bearer rahasia-bersama").content)
    assert answer.confirmation_header.message_status == "OK"
    req = IllRequest.objects.get(origin="remote")
    assert (req.requester.code, req.supplier.code, req.service) == ("UNHAS", "UNPATTI", "copy")
    with django_capture_on_commit_callbacks(execute=True):
        services.illrequest_act(actor=staff("staf.unpatti"), request=req, action="CopyCompleted",
                                scan=SimpleUploadedFile("bab-2.pdf", SCAN, content_type="application/pdf"), pages=12)
    sender.send_due()
    delivery = Delivery.objects.get(request=req)
    assert delivery.method == "file" and delivery.expires > timezone.now() + timedelta(days=13)
    [sent] = [m for m in unhas_elsewhere.messages() if isinstance(m, core.SupplyingAgencyMessage)]
    assert core.validate(unhas_elsewhere.received[-1]) == []
    info = sent.delivery_info
    assert sent.status_info.status == "CopyCompleted" and info.sent_via.value == "URL"
    assert info.item_id == f"https://hub.jaringan.example/iso18626/deliveries/{delivery.token}"
    assert info.delivered_format.value == "PDF" and "Available until" in sent.message_info.note

    path = info.item_id.removeprefix("https://hub.jaringan.example")
    # Only the requesting library's system fetches it: with the secret agreed with it.
    assert Client().get(path).status_code == 401
    assert Client().get(path, HTTP_AUTHORIZATION="Bearer another-secret").status_code == 401
    fetched = Client().get(path, HTTP_AUTHORIZATION="Bearer rahasia-bersama")
    assert fetched.status_code == 200 and b"".join(fetched.streaming_content) == SCAN
    other = ("y" if delivery.token[0] == "x" else "x") + delivery.token[1:]
    assert Client().get(path.replace(delivery.token, other),
                        HTTP_AUTHORIZATION="Bearer rahasia-bersama").status_code == 404
    # Until the same expiry as a download here: then the file is deleted and the address answers 410.
    assert tick(now=delivery.expires + timedelta(minutes=1)).purged == 1
    assert Client().get(path, HTTP_AUTHORIZATION="Bearer rahasia-bersama").status_code == 410
    delivery.refresh_from_db()
    assert delivery.downloads == 1 and delivery.purged


def test_a_scan_from_a_lender_on_another_system_reaches_the_reader(unhas_elsewhere, held, staff, user, client,
                                                                   django_capture_on_commit_callbacks):
    desk = staff("staf.unpatti")
    req = services.illrequest_create(actor=desk, edition=held[0], service="copy", reader_name="X", send=False,
                                     citation={"pages_requested": "1-10"})
    with django_capture_on_commit_callbacks(execute=True):
        services.illrequest_send(actor=desk, request=req, lender="UNHAS")
    sender.send_due()
    req.refresh_from_db()
    assert req.state == "RequestReceived"
    now = timezone.now().replace(microsecond=0)
    url = "https://ill.unhas.example/scans/77/bab-1.pdf"
    message = core.SupplyingAgencyMessage(
        header=el.Header(supplying_agency_id=el.AgencyId(agency_id_type=el.SchemeValue(value="agencyIdType2"),
                                                         agency_id_value="agencyIdValue1"),
                         requesting_agency_id=el.AgencyId(agency_id_type=el.SchemeValue(value="JARINGAN"),
                                                          agency_id_value="UNPATTI"),
                         timestamp=now, requesting_agency_request_id=str(req.pk), supplying_agency_request_id="U-77"),
        message_info=el.MessageInfo(reason_for_message=core.ReasonForMessage.StatusChange),
        status_info=el.StatusInfo(status=core.Status.CopyCompleted, last_change=now),
        delivery_info=el.DeliveryInfo(date_sent=now, item_id=url, sent_via=el.SchemeValue(value="URL")),
    )
    answer = core.parse(Client().post("/iso18626", data=core.build(message), content_type="application/xml",
                                      HTTP_AUTHORIZATION="Bearer rahasia-bersama").content)
    assert answer.confirmation_header.message_status == "OK", answer.error_data
    req.refresh_from_db()
    link = req.deliveries.get()
    assert req.state == "CopyCompleted" and (link.method, link.url) == ("link", url) and link.token
    assert link.expires > timezone.now() + timedelta(days=13)  # JARINGAN_ILL_DOWNLOAD_DAYS, as a scan kept here
    address = f"/ill/deliveries/{link.token}/"
    assert client.get(address).status_code == 302 and "/login" in client.get(address)["Location"]  # signed in
    client.force_login(user("staf.unhas"))  # the lender's staff: not the reader's library
    assert client.get(address).status_code == 404
    client.force_login(user("staf.unpatti"))
    followed = client.get(address)
    assert followed.status_code == 302 and followed["Location"] == url
    page = client.get(f"/manage/ill/requests/{req.pk}/").content.decode()
    assert address in page and url not in page  # followed through this hub, where the rules are checked
    Delivery.objects.filter(pk=link.pk).update(expires=timezone.now() - timedelta(minutes=1))
    assert client.get(address).status_code == 410
