"""The ISO 18626 endpoint: ``POST /iso18626`` (thin over `gate` and `inbound`)."""

from __future__ import annotations

from django.http import HttpResponse, HttpResponseNotAllowed
from django.views.decorators.csrf import csrf_exempt

from jaringan.core.errors import JaringanError, lookup
from jaringan.errors import status_of
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
    except JaringanError as exc:
        return turned_away(exc)


#: The HTTP status of a message turned away at the door, more precise than its branch's (``status_of``).
TURNED_AWAY = {gate.TooLarge: 413, gate.Unauthenticated: 401, gate.Throttled: 429}


def turned_away(exc: JaringanError) -> HttpResponse:
    """A message not taken in, nothing of it kept: the ERROR confirmation when there is one, else a line of text;
    an error the message did not cause (``Unavailable``: the peer sends it again) answers its branch's status."""
    status = lookup(TURNED_AWAY, exc, None) or status_of(exc)
    answer = getattr(exc, "answer", b"")
    if answer:
        response = HttpResponse(answer, content_type=XML, status=status)
    else:
        response = HttpResponse(f"ISO 18626: {exc}\n", content_type="text/plain; charset=utf-8", status=status)
    if isinstance(exc, gate.Unauthenticated):
        response["WWW-Authenticate"] = 'Bearer realm="iso18626"'
    if isinstance(exc, gate.Throttled):
        response["Retry-After"] = str(exc.retry_after)
    return response


def _content_length(request) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0
