"""The ISO 18626 endpoint (thin over `inbound` and `gate`), and the scans other systems fetch from here."""

from __future__ import annotations

from django.http import Http404, HttpResponse, HttpResponseNotAllowed
from django.views.decorators.csrf import csrf_exempt

from jaringan.security.throttle import client_address

from .. import conf, deliveries
from ..models import Delivery
from ..web.downloads import attachment
from . import gate, inbound

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
    if not gate.proves(peer, _bearer(request)):
        response = HttpResponse("The shared secret agreed with this system is needed.\n",
                                content_type="text/plain; charset=utf-8", status=401)
        response["WWW-Authenticate"] = 'Bearer realm="iso18626"'
        return response
    path = deliveries.file_of(delivery)
    if deliveries.gone(delivery) or not path.is_file():
        return HttpResponse("This scan has expired and was deleted.\n", content_type="text/plain; charset=utf-8",
                            status=410)
    return attachment(delivery, path)
