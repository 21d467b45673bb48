"""The ISO 18626 endpoint: ``POST /iso18626`` (thin over `gate` and `inbound`)."""

from __future__ import annotations

from django.http import HttpResponse, HttpResponseNotAllowed
from django.views.decorators.csrf import csrf_exempt

from jaringan.security.throttle import client_address

from .. import conf
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
        sender = gate.Sender.of(client_address(request), request.META.get("REMOTE_ADDR"), secret=gate.secret_presented(request))
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
