"""Asking for an item: a request is created, approved by the reader's library, routed and sent.

* `illrequest_create`  staff ask for a reader (or a walk-in reader), or a
  reader asks from a record page (then it waits for the staff's approval)
* `illrequest_approve` the reader's library approves: routed and sent
* `illrequest_route`   rank the lenders (the routing core) and keep the rota
* `illrequest_send`    ask the next lender of the rota (or one named)

Every change of state goes through `acting.act_locked`.
"""

from __future__ import annotations

import re
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jaringan.catalog.models import Edition
from jaringan.core.catalog import codec
from jaringan.core.ill import lifecycle
from jaringan.core.errors import Conflict, Forbidden, Invalid, NotFound
from jaringan.network.models import Library
from jaringan.network.permissions import Principal
from jaringan.plaintext import refuse_controls

from .. import rota
from ..iso18626.agencies import peer_of
from ..models import IllRequest, RotaEntry, Service
from ..notices import notify
from ..permissions import can_request_for, can_see, is_system, roles_on
from ..texts import state_label
from .acting import act_locked, check_version, locked, record_event, route_locked

#: Citation fields a request copies from its edition or takes as typed.
CITATION_FIELDS = ("title", "author", "year", "publisher", "container", "volume", "issue", "pages_requested",
                   "isbn", "issn")
_PAGE_RANGE = re.compile(r"^\s*(\d+)\s*[-–]\s*(\d+)\s*$")


# --- creating ---------------------------------------------------------------------------------

@transaction.atomic
def illrequest_create(
    *, actor: Principal, edition: Edition | None = None, citation: dict | None = None, service: str = Service.LOAN,
    requester: Library | None = None, reader=None, reader_name: str = "", reader_email: str = "",
    reader_phone: str = "", reader_language: str = "", page_count: int | None = None, need_by=None,
    max_cost: Decimal | int | None = None, any_edition: bool = True, accepts_digital: bool = True, note: str = "",
    send: bool = True,
) -> IllRequest:
    """A new request. A reader's own waits for their library's approval; staff's is routed and sent at once.

    ``edition`` (a union catalogue entry) or ``citation`` (title, author, year,
    publisher, container, volume, issue, pages_requested, isbn, issn) says what
    is asked for; typed fields override the edition's. ``send`` False keeps a
    staff request ``Validated`` (routed, not yet sent).
    """
    if not actor.authenticated and not is_system(actor):
        raise Forbidden(_("Sign in to ask for an interlibrary loan."))
    requester = _requester(actor, requester)
    as_staff = can_request_for(actor, requester)
    reader = _reader(actor, requester, reader, as_staff=as_staff)
    if service not in Service.values:
        raise Invalid(_("Unknown service: %(service)s") % {"service": service},
                      errors={"service": [_("Choose loan, copy or either.")]})
    refuse_controls({**(citation or {}), "reader_name": reader_name, "reader_email": reader_email,
                     "reader_phone": reader_phone, "note": note}, texts={"note"})
    data = _citation(edition, citation)
    pages = _page_count(data.get("pages_requested", ""), page_count)
    _check_terms(service=service, pages=pages, need_by=need_by, max_cost=max_cost)
    if reader is None and not reader_name.strip():
        reader_name = requester.name  # the library asks for its own use
    req = IllRequest(
        requester=requester, reader=reader, reader_name=reader_name.strip()[:200], reader_email=reader_email,
        reader_phone=reader_phone, reader_language=reader_language, created_by_id=actor.user_id,
        edition=edition, service=service, page_count=pages, need_by=need_by,
        max_cost=Decimal(max_cost) if max_cost is not None else None, any_edition=any_edition,
        accepts_digital=accepts_digital, note=note,
        state=str(lifecycle.Step.Validated if as_staff else lifecycle.Step.AwaitingApproval),
        **{k: v[:IllRequest._meta.get_field(k).max_length] for k, v in data.items()},
    )
    if req.edition is None:
        req.edition = rota.edition_for_citation(req)
    req.save()
    record_event(req, actor=actor, action="create", from_state="", note=note)
    if not as_staff:
        notify(req, "approval_needed")
        return req
    route_locked(req, actor=actor)
    if send:
        _send_first(req, actor=actor)
    return req


def _requester(actor: Principal, requester: Library | None) -> Library:
    """The library that asks: the one named, else the reader's, else the one library the actor works for; never
    one another system serves (it asks through that system)."""
    if requester is None:
        requester = Library.objects.filter(pk=actor.reader_of).first() if actor.reader_of else None
        if requester is None and len(actor.staff_of) == 1:
            requester = Library.objects.get(pk=next(iter(actor.staff_of)))
        if requester is None:
            raise Invalid(_("Say which library asks."), errors={"requester": [_("Required.")]})
    if peer_of(requester) is not None:
        raise Invalid(_("%(library)s is served by another system; it asks through that system.")
                      % {"library": requester.name}, errors={"requester": [_("Served elsewhere.")]})
    return requester


def _reader(actor: Principal, requester: Library, reader, *, as_staff: bool):
    """The reader asked for: a reader asks for themself; staff name one (a user or its id) or none."""
    User = get_user_model()
    if not as_staff:
        if actor.reader_of != requester.pk:
            raise Forbidden(_("You may not ask on behalf of %(library)s.") % {"library": requester.name})
        return User.objects.get(pk=actor.user_id)
    if reader is not None and not isinstance(reader, User):
        reader = User.objects.filter(pk=reader).first()
        if reader is None:
            raise Invalid(_("No such reader."), errors={"reader": [_("Unknown reader.")]})
    return reader


def _citation(edition: Edition | None, citation: dict | None) -> dict:
    """What is asked for: the edition's citation, overridden by the fields typed; a title at least."""
    data = _citation_from_edition(edition) if edition is not None else {}
    for key, value in (citation or {}).items():
        if key not in CITATION_FIELDS:
            raise Invalid(_("Unknown field(s): %(fields)s") % {"fields": key}, errors={key: [_("Unknown field.")]})
        if value not in (None, ""):
            data[key] = str(value).strip()
    if not data.get("title"):
        raise Invalid(_("Say what is asked for: choose a catalogue entry or type at least a title."),
                      errors={"title": [_("Required.")]})
    return data


def _citation_from_edition(edition: Edition) -> dict:
    record = codec.from_data(edition.preferred.data) if edition.preferred_id else None
    if record is None:
        return {"title": edition.title, "year": str(edition.year or "")}
    return {
        "title": record.full_title[:500], "author": "; ".join(record.authors)[:300],
        "year": str(record.year or ""), "publisher": (record.publisher or "")[:200],
        "isbn": record.isbns[0] if record.isbns else "", "issn": record.issns[0] if record.issns else "",
        # An article: its journal, volume and issue (a copy goes to the members whose holdings cover them).
        "container": (record.container or "")[:500], "volume": (record.volume or "")[:40],
        "issue": (record.issue or "")[:40],
        "pages_requested": (record.extent or "")[:60] if record.container else "",
    }


def _page_count(pages_requested: str, page_count) -> int | None:
    if page_count not in (None, ""):
        try:
            n = int(page_count)
        except (TypeError, ValueError):
            n = -1
        if n <= 0:
            raise Invalid(_("The number of pages must be a positive whole number."),
                          errors={"page_count": [_("Not a number of pages.")]})
        return n
    match = _PAGE_RANGE.match(pages_requested or "")
    if match and int(match[2]) >= int(match[1]):
        return int(match[2]) - int(match[1]) + 1
    return None


def _check_terms(*, service: str, pages: int | None, need_by, max_cost) -> None:
    """A copy says its pages; the date needed by is not past; the most to pay is not negative."""
    if service == Service.COPY and pages is None:
        raise Invalid(_("For a copy, say how many pages (or which: 12-30)."),
                      errors={"page_count": [_("Required for a copy.")]})
    if need_by is not None and need_by < timezone.localdate():
        raise Invalid(_("The date it is needed by is already past."), errors={"need_by": [_("Past.")]})
    if max_cost is not None and Decimal(max_cost) < 0:
        raise Invalid(_("The most to pay cannot be negative."), errors={"max_cost": [_("Negative.")]})


def _send_first(req: IllRequest, *, actor) -> None:
    """Ask the first lender of the rota, when the rota has one."""
    if req.rota.filter(outcome=RotaEntry.Outcome.WAITING).exists():
        act_locked(req, actor=actor, action="send")


@transaction.atomic
def illrequest_approve(*, actor: Principal, request: IllRequest | int, expected_version: int | None = None,
                       note: str = "", send: bool = True) -> IllRequest:
    """The reader's library approves a reader's request; it is routed and sent to the first lender."""
    refuse_controls({"note": note}, texts={"note"})
    req = locked(request)
    act_locked(req, actor=actor, action="approve", expected_version=expected_version, note=note)
    if send:
        route_locked(req, actor=actor)
        _send_first(req, actor=actor)
    return req


# --- routing and sending ------------------------------------------------------------------------

@transaction.atomic
def illrequest_route(*, actor: Principal, request: IllRequest | int, lenders: list[str] | None = None,
                     expected_version: int | None = None) -> IllRequest:
    """Rank the lenders again (or only those named by code) and keep the rota; nothing is sent."""
    req = locked(request)
    if lifecycle.Role.requester not in roles_on(actor, req) and not is_system(actor):
        raise (Forbidden if can_see(actor, req) else NotFound)(_("Only the requesting library routes a request."))
    check_version(req, expected_version)
    if req.state not in (lifecycle.Step.Validated, lifecycle.Step.AwaitingApproval):
        raise Conflict(_("A request is routed before it is sent; this one is %(state)s.")
                       % {"state": state_label(req.state)}, code="illegal_transition")
    named = None
    if lenders:
        named = list(Library.objects.filter(code__in=lenders))
        missing = set(lenders) - {lib.code for lib in named}
        if missing:
            raise Invalid(_("Unknown library: %(code)s") % {"code": ", ".join(sorted(missing))},
                          errors={"lenders": [_("Unknown library.")]})
    route_locked(req, actor=actor, named=named)
    return req


@transaction.atomic
def illrequest_send(*, actor: Principal, request: IllRequest | int, lender: str | None = None,
                    expected_version: int | None = None, note: str = "") -> IllRequest:
    """Ask the next lender of the rota, or the library named by ``lender`` (routed first if not in the rota)."""
    refuse_controls({"note": note}, texts={"note"})
    req = locked(request)
    params = {"lender": lender} if lender else {}
    return act_locked(req, actor=actor, action="send", expected_version=expected_version, note=note, **params)
