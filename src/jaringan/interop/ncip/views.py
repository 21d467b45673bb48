"""``POST /ncip``: Jaringan answers ``LookupUser`` for a visiting reader's standing.

The asking system names its library in ``InitiationHeader/FromAgencyId`` and sends the secret agreed
with it (``Authorization: Bearer …``, the library's NCIP server record); the reader it asks about must
belong to a library that shares an admitted network with it. The reader is named by their pass code,
or by the home library's agency id (or code) and the reader's number there. The answer: the pass as a
privilege (valid or not, until when), every block in force at any member and overdue loans as blocks
or traps, the open reciprocal loans when ``LoanedItemsDesired``, the name when "Name Information" is
asked. Every other service gets an ``Unsupported Service`` problem; every answer is NCIP, in the
version asked.
"""

from __future__ import annotations

import hmac

from django.http import HttpResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from jaringan.network.selectors import admitted_members, library_codes

from . import client, messages

CONTENT_TYPE = "application/xml; charset=utf-8"
#: A pass's state as the privilege's status.
PRIVILEGE_STATUS = {"applied": "Pending", "refused": "Refused", "revoked": "Revoked"}
PASSWORD_TYPES = {"password", "pin", "md5 message digest algorithm"}


def _answer(body: bytes, status: int = 200) -> HttpResponse:
    return HttpResponse(body, status=status, content_type=CONTENT_TYPE)


@csrf_exempt
@require_POST
def ncip(request):
    data = request.body
    try:
        message = messages.parse(data)
    except messages.NcipError as exc:
        return _answer(messages.problem_response(messages.INVALID_MESSAGE, detail=str(exc)), 400)
    version = messages.version_of(message)
    if message.service != "LookupUser":
        return _answer(messages.problem_response(
            messages.UNSUPPORTED_SERVICE, detail="This hub answers LookupUser only.", element=message.service,
            service=None if message.is_response else message.service, version=version))
    query = messages.lookup_user_query(message)
    header = (client.hub_agency_id(), query.from_agency or "unknown")
    asker = _authenticated(request, query.from_agency)
    if asker is None:
        return _answer(messages.problem_response(
            messages.AGENCY_AUTHENTICATION_FAILED, detail="Unknown agency or wrong secret.",
            element="InitiationHeader/FromAgencyId", service="LookupUser", version=version, header=header), 403)
    if any(kind.lower() in PASSWORD_TYPES for kind, _v in query.authentication):
        return _answer(messages.problem_response(
            messages.USER_AUTHENTICATION_FAILED, detail="Passwords are not checked here; name the reader's pass.",
            element="AuthenticationInput", service="LookupUser", version=version, header=header))
    user_id = query.user_id or next((v for _k, v in query.authentication), "")
    if not user_id:
        return _answer(messages.problem_response(
            messages.NEEDED_DATA_MISSING, detail="Name the reader.", element="UserId", service="LookupUser",
            version=version, header=header))
    from jaringan.reciprocal.selectors import pass_named

    holder = pass_named(user_id, query.user_agency)
    if holder is None or not _shares_network(holder.home_id, asker.library_id):
        return _answer(messages.problem_response(
            messages.UNKNOWN_USER, element="UserId/UserIdentifierValue", value=user_id, service="LookupUser",
            version=version, header=header))
    return _answer(_lookup_answer(holder, user_id, query, version, header))


def _authenticated(request, agency: str):
    from jaringan.reciprocal.selectors import ncip_server_asking

    server = ncip_server_asking(agency)
    if server is None:
        return None
    sent = request.headers.get("Authorization", "")
    if not hmac.compare_digest(sent.encode(), f"Bearer {server.shared_secret}".encode()):
        return None
    return server


def _shares_network(a: int, b: int) -> bool:
    return any(a in members and b in members for members in admitted_members().values())


def _lookup_answer(holder, user_id: str, query, version: str, header) -> bytes:
    from jaringan.reciprocal import selectors

    today = timezone.localdate()
    standing = selectors.hub_standing(holder, today)
    if holder.state == "active":
        status = "Active" if holder.expires is None or holder.expires >= today else "Expired"
    else:
        status = PRIVILEGE_STATUS[holder.state]
    privileges = [messages.Privilege(holder.home.code, f"Reciprocal borrowing: {holder.category}", status,
                                     holder.expires)]
    codes = library_codes(b.library_id for b in standing.blocks)
    blocks = [messages.BlockOut(codes.get(b.library_id, holder.home.code), f"Block: {b.reason}"[:200], b.until)
              for b in standing.blocks]
    overdue = standing.overdue_ill + standing.overdue_reciprocal
    if overdue:
        blocks.append(messages.BlockOut(client.hub_agency_id(), f"Overdue loans: {overdue}"))
    loans = []
    if query.loaned_items_desired:
        loans = [messages.LoanOut(loan.item_barcode, loan.due, loan.title, 2 if loan.overdue_noticed_at else 1)
                 for loan in selectors.open_loans_of(holder)]
    name = holder.reader_name if "name information" in {t.lower() for t in query.element_types} else ""
    return messages.lookup_user_response(user_agency=holder.home.code, user_id=user_id, version=version,
                                         header=header, loans=loans, name=name, privileges=privileges,
                                         blocks=blocks)
