"""Downloads of a delivered scan: by the reader it is for (or the staff of the reader's library), and by the
system of a library served elsewhere, which fetches it from the address its ISO 18626 message gave."""

from __future__ import annotations

from django.contrib.auth.views import redirect_to_login
from django.http import FileResponse, Http404, HttpResponse, HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import render
from django.utils import formats, timezone

from jaringan.network.permissions import principal_of

from .. import deliveries
from ..iso18626 import gate
from ..models import Delivery


def may_download(principal, delivery: Delivery) -> bool:
    """The reader the copy is for, and the staff of the reader's library."""
    req = delivery.request
    return (principal.is_superuser or req.requester_id in principal.staff_of
            or (principal.user_id is not None and req.reader_id == principal.user_id))


def delivery_download(request, token: str):
    """``GET /ill/deliveries/TOKEN/``: the scan (or the lender's link to it) until it expires; 410 after."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    delivery = (Delivery.objects.select_related("request").filter(
        token=token, method__in=[Delivery.Method.FILE, Delivery.Method.LINK]).first())
    if delivery is None or not may_download(principal_of(request), delivery):
        raise Http404
    if delivery.method == Delivery.Method.LINK:  # the lender's system holds it: followed while it lasts here
        if deliveries.gone(delivery):
            return _gone(request, delivery)
        deliveries.count_download(delivery)
        response = HttpResponseRedirect(delivery.url)
        response["Cache-Control"] = "private, no-store"
        response["Referrer-Policy"] = "no-referrer"
        return response
    path = deliveries.file_of(delivery)
    if deliveries.gone(delivery) or not path.is_file():
        return _gone(request, delivery)
    return attachment(delivery, path)


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
    if not gate.proves(peer, gate.secret_presented(request)):
        response = HttpResponse("The shared secret agreed with this system is needed.\n",
                                content_type="text/plain; charset=utf-8", status=401)
        response["WWW-Authenticate"] = 'Bearer realm="iso18626"'
        return response
    path = deliveries.file_of(delivery)
    if deliveries.gone(delivery) or not path.is_file():
        return HttpResponse("This scan has expired and was deleted.\n", content_type="text/plain; charset=utf-8",
                            status=410)
    return attachment(delivery, path)


def _gone(request, delivery: Delivery):
    expires = formats.date_format(timezone.localtime(delivery.expires), "DATETIME_FORMAT")
    return render(request, "ill/delivery_gone.html", {"delivery": delivery, "expires": expires}, status=410)


def attachment(delivery: Delivery, path):
    """The delivered scan at ``path`` as a download (counted), never kept by a cache."""
    deliveries.count_download(delivery)
    response = FileResponse(open(path, "rb"), as_attachment=True, filename=delivery.filename,
                            content_type=delivery.content_type or "application/octet-stream")
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
