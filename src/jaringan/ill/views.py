"""The ISO 18626 endpoint and the download of delivered scans (thin over `inbound` and `deliveries`)."""

from __future__ import annotations

import secrets

from django.contrib.auth.views import redirect_to_login
from django.db.models import F
from django.http import FileResponse, Http404, HttpResponse, HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import render
from django.utils import formats, timezone
from django.views.decorators.csrf import csrf_exempt

from jaringan.network.permissions import principal_of
from jaringan.security.throttle import client_address

from . import conf, deliveries, gate, inbound
from .models import Delivery

XML = "application/xml; charset=utf-8"


@csrf_exempt
def iso18626(request):
    """``POST /iso18626``: one ISO 18626 message in, its confirmation out.

    HTTP 200 with the confirmation (OK or ERROR); 413 with an ERROR confirmation for a message too large (not
    read); 401 with one for a peer's message without its shared secret; 429 with ``Retry-After`` over the rate.
    """
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"], "ISO 18626: POST one message (application/xml).\n",
                                      content_type="text/plain; charset=utf-8")
    limit = conf.max_message_bytes()
    try:
        if _content_length(request) > limit:
            raise gate.too_large()
        sender = gate.Sender.of(client_address(request), request.META.get("REMOTE_ADDR"), secret=_bearer(request))
        return HttpResponse(inbound.receive(request.read(limit + 1), sender=sender), content_type=XML)
    except gate.TooLarge as exc:
        return HttpResponse(exc.answer, content_type=XML, status=413)
    except gate.Unauthenticated as exc:
        response = HttpResponse(exc.answer, content_type=XML, status=401)
        response["WWW-Authenticate"] = 'Bearer realm="iso18626"'
        return response
    except gate.Throttled as exc:
        response = HttpResponse(f"ISO 18626: {exc}\n", content_type="text/plain; charset=utf-8", status=429)
        response["Retry-After"] = str(exc.retry_after)
        return response


def _content_length(request) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


def _bearer(request) -> str:
    scheme, _, token = request.META.get("HTTP_AUTHORIZATION", "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" else ""


def may_download(principal, delivery: Delivery) -> bool:
    """The reader the copy is for, and the staff of the reader's library."""
    req = delivery.request
    return (principal.is_superuser or req.requester_id in principal.staff_of
            or (principal.user_id is not None and req.reader_id == principal.user_id))


def delivery_download(request, token: str):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    delivery = (Delivery.objects.select_related("request").filter(
        token=token, method__in=[Delivery.Method.FILE, Delivery.Method.LINK]).first())
    if delivery is None or not may_download(principal_of(request), delivery):
        raise Http404
    if delivery.method == Delivery.Method.LINK:  # the lender's system holds it: followed while it lasts here
        if delivery.purged or delivery.expires < timezone.now():
            return _gone(request, delivery)
        Delivery.objects.filter(pk=delivery.pk).update(downloads=F("downloads") + 1)
        response = HttpResponseRedirect(delivery.url)
        response["Cache-Control"] = "private, no-store"
        response["Referrer-Policy"] = "no-referrer"
        return response
    path = deliveries.file_of(delivery)
    if delivery.purged or delivery.expires < timezone.now() or not path.is_file():
        return _gone(request, delivery)
    return _file(delivery, path)


def _gone(request, delivery: Delivery):
    expires = formats.date_format(timezone.localtime(delivery.expires), "DATETIME_FORMAT")
    return render(request, "ill/delivery_gone.html", {"delivery": delivery, "expires": expires}, status=410)


def _file(delivery: Delivery, path):
    Delivery.objects.filter(pk=delivery.pk).update(downloads=F("downloads") + 1)
    response = FileResponse(open(path, "rb"), as_attachment=True, filename=delivery.filename,
                            content_type=delivery.content_type or "application/octet-stream")
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def iso18626_delivery(request, token: str):
    """``GET /iso18626/deliveries/TOKEN``: a scan for a library on another system, fetched by that library's system
    (the address travelled in the ISO 18626 message). Until the same expiry as a download here; with the shared
    secret agreed with that system, when there is one (401 without it). Expired or deleted: 410."""
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET"])
    delivery = (Delivery.objects.select_related("request__requester__iso18626_peer")
                .filter(token=token, method=Delivery.Method.FILE, request__origin="remote").first())
    if delivery is None:
        raise Http404
    peer = getattr(delivery.request.requester, "iso18626_peer", None)
    if peer is not None and peer.shared_secret and not secrets.compare_digest(
            _bearer(request).encode(), peer.shared_secret.encode()):
        response = HttpResponse("The shared secret agreed with this system is needed.\n",
                                content_type="text/plain; charset=utf-8", status=401)
        response["WWW-Authenticate"] = 'Bearer realm="iso18626"'
        return response
    path = deliveries.file_of(delivery)
    if delivery.purged or delivery.expires < timezone.now() or not path.is_file():
        return HttpResponse("This scan has expired and was deleted.\n", content_type="text/plain; charset=utf-8",
                            status=410)
    return _file(delivery, path)
