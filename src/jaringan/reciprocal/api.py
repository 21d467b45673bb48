"""JSON API of reciprocal borrowing (under ``/api/reciprocal/``): the desk's check, lending and taking
back for a host's staff; a reader's own pass. Session (with CSRF) or bearer token."""

from __future__ import annotations

from datetime import date

from ninja import Router, Schema, Status

from jaringan.api_errors import ErrorOut
from jaringan.core.errors import NotFound
from jaringan.network.models import Library
from jaringan.network.auth import WRITE_AUTH, api_user
from jaringan.network.auth import api_principal as _principal

from . import selectors, services, texts
from .models import Collection, Loan

router = Router(tags=["reciprocal borrowing"], auth=WRITE_AUTH)




def _library(code: str) -> Library:
    library = Library.objects.filter(code=code).first()
    if library is None:
        raise NotFound(f"No library with code {code}.", errors={"code": ["Unknown library."]})
    return library


class PassCodeIn(Schema):
    code: str


class DeskCheckOut(Schema):
    reason: str
    passed: bool
    text: str


class DeskDecisionOut(Schema):
    allowed: bool
    reader: str
    home: str
    category: str
    agreement: str | None
    items_left: int
    items_limit: int
    due: date | None
    renewals: int
    deposit: str
    fee: str
    excluded: list[str]
    standing_from: str
    checks: list[DeskCheckOut]


class ReciprocalLoanIn(Schema):
    code: str
    item_barcode: str
    title: str
    collection: str = Collection.GENERAL


class ReciprocalLoanOut(Schema):
    id: int
    host: str
    item_barcode: str
    title: str
    due: date
    renewals: int
    returned: bool


class NetworkPassOut(Schema):
    code: str
    state: str
    home: str
    category: str
    expires: date | None
    valid_at: list[str]
    loans: list[ReciprocalLoanOut]


def _loan(loan: Loan) -> dict:
    return {"id": loan.pk, "host": loan.host.code, "item_barcode": loan.item_barcode, "title": loan.title,
            "due": loan.due, "renewals": loan.renewals, "returned": loan.returned_at is not None}


@router.post("/reciprocal/libraries/{code}/desk", response=DeskDecisionOut)
def desk_check(request, code: str, payload: PassCodeIn):
    """The host desk's check of a pass (kept as a visit): may the visitor borrow here today, and why not."""
    view, holder = services.visit_check(actor=_principal(request), host=_library(code), code=payload.code)
    d = view.decision
    lines, agreements = texts.decision_lines(d, view.libraries, view.agreements)
    agreement = agreements.get(d.agreement_id)
    return {"allowed": d.allowed, "reader": holder.reader_name, "home": holder.home.code, "category": holder.category,
            "agreement": agreement.code if agreement else None, "items_left": d.items_left,
            "items_limit": d.items_limit, "due": d.due, "renewals": d.renewals, "deposit": str(d.deposit),
            "fee": str(d.fee), "excluded": [str(c) for c in d.excluded], "standing_from": view.standing.source,
            "checks": [{"reason": c.reason, "passed": c.passed, "text": line["text"]}
                       for c, line in zip(d.checks, lines)]}


@router.post("/reciprocal/libraries/{code}/loans", response={201: ReciprocalLoanOut})
def loan_create(request, code: str, payload: ReciprocalLoanIn):
    """Lend an item to a visitor (decided again now): 409 with the reasons when the visitor may not borrow."""
    loan = services.loan_create(actor=_principal(request), host=_library(code), code=payload.code,
                                item_barcode=payload.item_barcode, title=payload.title,
                                collection=payload.collection)
    return Status(201, _loan(loan))


@router.post("/reciprocal/loans/{pk}/return", response=ReciprocalLoanOut)
def loan_return(request, pk: int):
    """Take an item back (the host's staff)."""
    return _loan(services.loan_return(actor=_principal(request), loan_id=pk))


@router.post("/reciprocal/loans/{pk}/renew", response=ReciprocalLoanOut)
def loan_renew(request, pk: int):
    """Renew a loan within the agreement's renewals (the host's staff)."""
    return _loan(services.loan_renew(actor=_principal(request), loan_id=pk))


@router.get("/reciprocal/pass", response={200: NetworkPassOut, 404: ErrorOut})
def my_pass(request):
    """My own network pass: its code, state, where it is good today, and my loans."""
    user = api_user(request)
    holder = selectors.live_pass_of(user)
    if holder is None:
        raise NotFound("You have no network pass.")
    hosts = selectors.hosts_for(holder) if holder.state == "active" else []
    return {"code": holder.code, "state": holder.state, "home": holder.home.code, "category": holder.category,
            "expires": holder.expires, "valid_at": [library.code for library, _a in hosts],
            "loans": [_loan(loan) for loan in selectors.loans_of(holder)[:200]]}
